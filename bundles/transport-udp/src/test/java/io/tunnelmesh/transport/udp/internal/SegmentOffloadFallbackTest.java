package io.tunnelmesh.transport.udp.internal;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollDatagramChannel;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * A path whose MTU is below the datagram size: the kernel refuses segmented sends there (plain sends would be
 * fragmented), and the transport must resend those datagrams one by one and stop joining them, losing none.
 * Runs a child JVM inside a namespace of its own whose loopback MTU is lowered (root and ip needed).
 */
class SegmentOffloadFallbackTest {
    @Test
    void datagramsRefusedForSegmentationAreSentOneByOne() throws Exception {
        assumeTrue("root".equals(System.getProperty("user.name")), "skipped: needs root to create a network namespace");
        assumeTrue(Files.isExecutable(Path.of("/usr/sbin/ip")) || Files.isExecutable(Path.of("/usr/bin/ip")),
                "skipped: the ip tool (iproute2) is missing");
        assumeTrue(segmentationSupported(), "skipped: no UDP_SEGMENT support in this kernel/Netty");
        String namespace = "tmtest-" + Long.toHexString(ThreadLocalRandom.current().nextLong() & 0xffffffffL);
        run("ip", "netns", "add", namespace);
        try {
            run("ip", "-n", namespace, "link", "set", "lo", "mtu", "1280", "up");
            String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
            String output = run("ip", "netns", "exec", namespace, java, "--enable-native-access=ALL-UNNAMED",
                    "--sun-misc-unsafe-memory-access=allow", "-cp", System.getProperty("java.class.path"),
                    SmallMtuPathMain.class.getName(), "300", "1400");
            assertTrue(output.contains("received-in-order=300 dropped=0 warned=true"), output);
        } finally {
            run("ip", "netns", "delete", namespace);
        }
    }

    private static String run(String... command) throws IOException, InterruptedException {
        List<String> line = new ArrayList<>(List.of(command));
        Process process = new ProcessBuilder(line).redirectErrorStream(true).start();
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new IOException(String.join(" ", command) + ": timed out");
        }
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (process.exitValue() != 0) {
            throw new IOException(String.join(" ", command) + " failed: " + output.strip());
        }
        return output;
    }

    private static boolean segmentationSupported() {
        return Epoll.isAvailable() && EpollDatagramChannel.isSegmentedDatagramPacketSupported();
    }
}
