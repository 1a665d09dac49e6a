package io.tunnelmesh.tun.internal;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * Waits until the interface's IPv6 addresses accept packets. Even without duplicate address detection
 * (IFA_F_NODAD) the kernel completes an IPv6 address on a work queue and only then installs its local route;
 * a packet arriving before that is dropped (Ip6InAddrErrors). So open() returns once every address has its
 * local /128 route, read from the calling thread's namespace view (/proc/thread-self), where the interface was
 * created.
 */
final class Ipv6Readiness {
    private static final Path ROUTES = Path.of("/proc/thread-self/net/ipv6_route");
    private static final long TIMEOUT_NANOS = TimeUnit.SECONDS.toNanos(2);

    private Ipv6Readiness() {
    }

    /** @return true when every address in {@code wanted} has its local route, false after the timeout */
    static boolean await(String interfaceName, List<byte[]> wanted) throws IOException {
        if (wanted.isEmpty() || !Files.isReadable(ROUTES)) {
            return true;
        }
        long deadline = System.nanoTime() + TIMEOUT_NANOS;
        while (!allRouted(interfaceName, wanted)) {
            if (System.nanoTime() > deadline) {
                return false;
            }
            LockSupport.parkNanos(1_000_000);
        }
        return true;
    }

    /**
     * Lines begin {@code DEST PREFIXLEN SRC SRCLEN NEXTHOP METRIC REFCNT USE FLAGS DEVICE}, addresses in hex;
     * a local route is DEST/128 (0x80) with RTF_LOCAL (0x80000000) in FLAGS.
     */
    private static boolean allRouted(String interfaceName, List<byte[]> wanted) throws IOException {
        List<String> lines = Files.readAllLines(ROUTES);
        for (byte[] address : wanted) {
            String hex = HexFormat.of().formatHex(address);
            boolean routed = false;
            for (String line : lines) {
                String[] f = line.trim().split("\\s+");
                if (f.length == 10 && f[0].equals(hex) && f[1].equals("80") && f[9].equals(interfaceName)
                        && (Long.parseLong(f[8], 16) & 0x80000000L) != 0) {
                    routed = true;
                    break;
                }
            }
            if (!routed) {
                return false;
            }
        }
        return true;
    }
}
