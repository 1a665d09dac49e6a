package io.tunnelmesh.tun.internal;

import io.tunnelmesh.api.IpPrefix;
import io.tunnelmesh.api.tun.TunConfig;
import io.tunnelmesh.api.tun.TunDevice;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.security.MessageDigest;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * Two hosts joined by TUN devices instead of a wire: a namespace each with a TUN (10.215.0.1 and .2, fd00:215::1
 * and ::2), and two relay threads that copy what one device reads into the other with the batch methods, which
 * is what the VPN node does minus the encryption. A TCP connection between the hosts then runs through the
 * driver's segmentation and coalescing on every packet.
 */
final class TunRelay implements AutoCloseable {
    static final InetAddress A4 = address("10.215.0.1");
    static final InetAddress B4 = address("10.215.0.2");
    static final InetAddress A6 = address("fd00:215::1");
    static final InetAddress B6 = address("fd00:215::2");
    private static final int BATCH = 128;
    private static final long TRANSFER_TIMEOUT_SECONDS = 120;
    private static final com.sun.management.ThreadMXBean THREADS =
            (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();

    final TestNamespace a;
    final TestNamespace b;
    final TunDevice deviceA;
    final TunDevice deviceB;
    private final Thread aToB;
    private final Thread bToA;
    private volatile Exception failure;
    /** Per relay thread (0: A to B, 1: B to A), published after every batch: packets relayed, bytes allocated. */
    private final long[] relayed = new long[2];
    private final long[] allocated = new long[2];

    /** @param offloads the TUN_F_* flags both devices ask the kernel for (0: plain TUNs) */
    TunRelay(int offloads) throws Exception {
        this(offloads, BATCH);
    }

    /** @param batch packets per read and write at the most */
    TunRelay(int offloads, int batch) throws Exception {
        TestNamespace first = new TestNamespace();
        TestNamespace second = null;
        TunDevice one = null;
        try {
            second = new TestNamespace();
            LinuxTunDriver driver = new LinuxTunDriver(offloads);
            one = first.call(() -> driver.open(config("tmra0", "10.215.0.1/24", "fd00:215::1/64")));
            TunDevice two = second.call(() -> driver.open(config("tmrb0", "10.215.0.2/24", "fd00:215::2/64")));
            a = first;
            b = second;
            deviceA = one;
            deviceB = two;
        } catch (Exception e) {
            if (one != null) {
                one.close();
            }
            first.close();
            if (second != null) {
                second.close();
            }
            throw e;
        }
        aToB = relay(deviceA, deviceB, 0, batch);
        bToA = relay(deviceB, deviceA, 1, batch);
    }

    private static TunConfig config(String name, String ipv4, String ipv6) {
        return new TunConfig(name, List.of(IpPrefix.parse(ipv4), IpPrefix.parse(ipv6)), 1420, 10_000);
    }

    private Thread relay(TunDevice from, TunDevice to, int direction, int batch) {
        return Thread.ofPlatform().daemon().name("relay-" + from.name()).start(() -> {
            ByteBuffer[] packets = new ByteBuffer[batch];
            for (int i = 0; i < batch; i++) {
                packets[i] = ByteBuffer.allocateDirect(2048);
            }
            try {
                int n;
                long count = 0;
                while ((n = from.read(packets)) > 0) {
                    to.write(packets, n);
                    count += n;
                    synchronized (relayed) {
                        relayed[direction] = count;
                        allocated[direction] = THREADS.getCurrentThreadAllocatedBytes();
                    }
                }
            } catch (IOException e) {
                if (!e.getMessage().endsWith("is closed")) { // the other device closed first: the relay ends
                    failure = e;
                }
            } catch (RuntimeException e) {
                failure = e;
            }
        });
    }

    /**
     * Sends {@code total} bytes (cycling through {@code data}) over one TCP connection from host A to a server on
     * host B at {@code server}, and compares the SHA-256 of what arrived with what was sent.
     *
     * @return the nanoseconds from connect to the last byte received
     */
    long transfer(InetAddress server, byte[] data, long total) throws Exception {
        try (ServerSocketChannel listener = b.call(() -> ServerSocketChannel.open()
                .bind(new InetSocketAddress(server, 0)));
                SocketChannel client = a.call(SocketChannel::open)) {
            CompletableFuture<byte[]> received = new CompletableFuture<>();
            Thread receiver = Thread.ofPlatform().name("tcp-receiver").start(() -> {
                try (SocketChannel accepted = listener.accept()) {
                    MessageDigest digest = MessageDigest.getInstance("SHA-256");
                    ByteBuffer buffer = ByteBuffer.allocate(1 << 18);
                    while (accepted.read(buffer.clear()) >= 0) {
                        digest.update(buffer.flip());
                    }
                    received.complete(digest.digest());
                } catch (Exception e) {
                    received.completeExceptionally(e);
                }
            });
            // If the relay stalls, a blocked write would wait forever: closing the channel ends it with an error.
            CompletableFuture<Void> watchdog = CompletableFuture.runAsync(() -> {
                try {
                    client.close();
                } catch (IOException ignored) {
                    // already closed
                }
            }, CompletableFuture.delayedExecutor(TRANSFER_TIMEOUT_SECONDS, TimeUnit.SECONDS));
            try {
                return send(client, listener, received, data, total);
            } finally {
                watchdog.cancel(false);
                receiver.interrupt();
            }
        }
    }

    private static long send(SocketChannel client, ServerSocketChannel listener, CompletableFuture<byte[]> received,
            byte[] data, long total) throws Exception {
        long start = System.nanoTime();
        client.socket().connect(listener.getLocalAddress(), 5_000);
        MessageDigest digest = MessageDigest.getInstance("SHA-256");
        long sent = 0;
        while (sent < total) {
            int offset = (int) (sent % data.length);
            int length = (int) Math.min(data.length - offset, total - sent);
            ByteBuffer chunk = ByteBuffer.wrap(data, offset, length);
            digest.update(chunk.duplicate());
            while (chunk.hasRemaining()) {
                client.write(chunk);
            }
            sent += length;
        }
        client.shutdownOutput();
        byte[] arrived = received.get(TRANSFER_TIMEOUT_SECONDS, TimeUnit.SECONDS);
        long nanos = System.nanoTime() - start;
        if (!MessageDigest.isEqual(digest.digest(), arrived)) {
            throw new AssertionError("the bytes that arrived differ from those sent (SHA-256)");
        }
        return nanos;
    }

    /** Packets relayed and heap bytes allocated so far by both relay threads together. */
    long[] relayedAndAllocated() {
        synchronized (relayed) {
            return new long[] {relayed[0] + relayed[1], allocated[0] + allocated[1]};
        }
    }

    /** A failure of a relay thread, if one failed. */
    Exception failure() {
        return failure;
    }

    @Override
    public void close() throws Exception {
        deviceA.close();
        deviceB.close();
        aToB.join(5_000);
        bToA.join(5_000);
        try {
            a.close();
        } finally {
            b.close();
        }
    }

    private static InetAddress address(String text) {
        try {
            return InetAddress.getByName(text);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
