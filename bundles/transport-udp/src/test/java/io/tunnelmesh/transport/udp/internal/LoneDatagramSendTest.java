package io.tunnelmesh.transport.udp.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.tunnelmesh.api.transport.DatagramReceiver;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * A lone datagram flushed after the binding was idle leaves from the caller's thread, without waiting for the
 * event loop (an idle ping saves a thread hand-off); a burst still goes through the event loop, in order.
 * Proven by holding the event loop busy: what is sent while it is busy could only have left without it.
 */
class LoneDatagramSendTest {
    private static final long RECEIVE_TIMEOUT_MILLIS = 2_000;

    @Test
    void loneDatagramAfterIdleLeavesWithoutTheEventLoopAndBurstsWaitForIt() throws Exception {
        CountDownLatch busy = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        // the receiver holds the event loop busy, as a slow node would, until released
        DatagramReceiver holdsTheLoop = (datagram, source, via) -> {
            busy.countDown();
            awaitQuietly(release);
        };
        try (UdpBinding binding = UdpBinding.open(0, holdsTheLoop, UdpSettings.DEFAULTS, System.err::println);
             DatagramChannel peer = DatagramChannel.open().bind(new InetSocketAddress("127.0.0.1", 0))) {
            assumeTrue(binding.describeSocket().startsWith(IoFlavour.EPOLL + " "),
                    "skipped: the direct send needs Netty's native epoll socket");
            peer.configureBlocking(false);
            UdpEndpoint to = new UdpEndpoint((InetSocketAddress) peer.getLocalAddress());
            peer.send(ByteBuffer.wrap(new byte[] {0}), new InetSocketAddress("127.0.0.1", binding.listenPort()));
            busy.await(5, TimeUnit.SECONDS);
            try {
                Thread.sleep(5); // idle for longer than DatagramBatcher.IDLE_NANOS
                binding.send(datagram(1), to);
                binding.flush();
                assertEquals(1, receive(peer, RECEIVE_TIMEOUT_MILLIS), "the lone datagram, while the loop is busy");

                for (int i = 2; i <= 4; i++) {
                    binding.send(datagram(i), to);
                }
                binding.flush();
                assertNull(receiveOrNull(peer, 200), "a burst waits for the event loop's batched send");
            } finally {
                release.countDown();
            }
            List<Integer> burst = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                burst.add(receive(peer, RECEIVE_TIMEOUT_MILLIS));
            }
            assertEquals(List.of(2, 3, 4), burst, "the burst, in order, once the loop is free");
        }
    }

    private static ByteBuffer datagram(int marker) {
        ByteBuffer b = ByteBuffer.allocateDirect(64);
        b.put(0, (byte) marker);
        return b;
    }

    private static int receive(DatagramChannel peer, long timeoutMillis) throws Exception {
        Integer marker = receiveOrNull(peer, timeoutMillis);
        if (marker == null) {
            throw new AssertionError("nothing arrived within " + timeoutMillis + " ms");
        }
        return marker;
    }

    private static Integer receiveOrNull(DatagramChannel peer, long timeoutMillis) throws Exception {
        ByteBuffer in = ByteBuffer.allocate(128);
        long deadline = System.nanoTime() + timeoutMillis * 1_000_000;
        while (System.nanoTime() < deadline) {
            if (peer.receive(in) != null) {
                return (int) in.get(0);
            }
            Thread.sleep(1);
        }
        return null;
    }

    private static void awaitQuietly(CountDownLatch latch) {
        try {
            latch.await(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
