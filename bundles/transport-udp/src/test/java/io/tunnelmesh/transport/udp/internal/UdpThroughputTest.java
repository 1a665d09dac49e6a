package io.tunnelmesh.transport.udp.internal;

import io.tunnelmesh.api.Endpoint;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tunnelmesh.api.transport.DatagramReceiver;
import io.tunnelmesh.api.transport.TransportBinding;
import java.lang.management.ManagementFactory;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/**
 * Loopback figures (printed, not asserted: they depend on the machine) and the allocation check on the hot path,
 * which is asserted: bytes allocated per datagram by the sending thread and by the receiving event loop.
 */
class UdpThroughputTest {
    private static final int WARM_UP = 50_000;
    private static final int PACKETS = 200_000;
    private static final int SIZE = 1452; // a 1420-byte tunnel packet plus WireGuard's 32 bytes
    private static final int FLUSH_EVERY = Integer.getInteger("udp.flush.every", 32);
    private static final int IN_FLIGHT = 4_096;
    /** Netty's own objects per datagram (DatagramPacket, sender address, outbound entry) stay well below this. */
    private static final long MAX_BYTES_PER_DATAGRAM = 512;

    private static final com.sun.management.ThreadMXBean THREADS =
            (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();

    /** Counts datagrams and the allocation of the thread it is called on, between two marks. */
    private static final class CountingReceiver implements DatagramReceiver {
        final AtomicLong count = new AtomicLong();
        volatile long allocatedAtMark = -1;
        volatile long countAtMark;
        volatile long allocatedNow;
        volatile boolean mark;
        /** The event loop that delivers, as the node sees it. */
        volatile Thread loop;

        @Override
        public void received(ByteBuffer datagram, Endpoint source, TransportBinding via) {
            if (loop == null) {
                loop = Thread.currentThread();
            }
            long n = count.incrementAndGet();
            if (mark) {
                mark = false;
                countAtMark = n;
                allocatedAtMark = THREADS.getCurrentThreadAllocatedBytes();
            }
            if ((n & 1023) == 0) {
                allocatedNow = THREADS.getCurrentThreadAllocatedBytes();
            }
        }
    }

    @Test
    void loopbackSendAndReceiveRatesAndAllocation() throws Exception {
        CountingReceiver receiver = new CountingReceiver();
        CollectingReceiver senderReceiver = new CollectingReceiver();
        try (UdpBinding target = UdpBinding.open(0, receiver, UdpSettings.DEFAULTS, System.err::println);
             UdpBinding sender = UdpBinding.open(0, senderReceiver, UdpSettings.DEFAULTS, System.err::println)) {
            UdpEndpoint destination = new UdpEndpoint(new InetSocketAddress("127.0.0.1", target.listenPort()));
            ByteBuffer datagram = ByteBuffer.allocateDirect(SIZE);

            send(sender, destination, datagram, WARM_UP, receiver.count);
            awaitQuiet(receiver);

            Thread senderLoop = loopOf(sender, senderReceiver);
            Thread targetLoop = receiver.loop;
            long senderLoopCpu0 = cpuOf(senderLoop);
            long targetLoopCpu0 = cpuOf(targetLoop);
            receiver.mark = true;
            long received0 = receiver.count.get();
            long allocated0 = THREADS.getCurrentThreadAllocatedBytes();
            long cpu0 = THREADS.getCurrentThreadCpuTime();
            long start = System.nanoTime();
            send(sender, destination, datagram, PACKETS, receiver.count);
            long sendNanos = System.nanoTime() - start;
            long sendCpu = THREADS.getCurrentThreadCpuTime() - cpu0;
            long sendAllocated = THREADS.getCurrentThreadAllocatedBytes() - allocated0;
            long receivedEnd = awaitQuiet(receiver);
            long receiveNanos = System.nanoTime() - start;
            long received = receivedEnd - received0;
            double senderLoopMicros = (cpuOf(senderLoop) - senderLoopCpu0) / 1e3 / PACKETS;
            double targetLoopMicros = (cpuOf(targetLoop) - targetLoopCpu0) / 1e3 / Math.max(1, received);

            double sendBytesPer = (double) sendAllocated / PACKETS;
            long receiveSpan = receivedEnd - receiver.countAtMark;
            double receiveBytesPer = (double) (receiver.allocatedNow - receiver.allocatedAtMark) / Math.max(1, receiveSpan);
            System.out.printf("UDP loopback %d-byte datagrams, flush every %d: send() %.0f k/s (%.2f us CPU each),"
                    + " received %d of %d (%.0f k/s), send() refused while the queue was full %d times;"
                    + " allocation per datagram: sender"
                    + " thread %.0f B, receiving event loop %.0f B%n", SIZE, FLUSH_EVERY, PACKETS / (sendNanos / 1e6),
                    sendCpu / 1e3 / PACKETS, received, PACKETS, received / (receiveNanos / 1e6), sender.dropped(),
                    sendBytesPer, receiveBytesPer);
            System.out.printf("UDP loopback event-loop CPU per datagram: sending loop %.2f us (drain, sendmmsg and the"
                    + " kernel's loopback delivery), receiving loop %.2f us (recvmmsg and hand-over)%n",
                    senderLoopMicros, targetLoopMicros);
            assertTrue(received > PACKETS / 2, "most datagrams arrive on loopback: " + received);
            assertTrue(sendBytesPer < MAX_BYTES_PER_DATAGRAM, "send() allocates " + sendBytesPer + " B per datagram");
            assertTrue(receiveBytesPer < MAX_BYTES_PER_DATAGRAM, "receive allocates " + receiveBytesPer + " B per datagram");
        }
    }

    /**
     * The anchor: the same datagrams sent and received by the JDK's own blocking DatagramChannels, one system call
     * per datagram, each on a plain thread.
     */
    @Test
    void anchorJdkDatagramChannels() throws Exception {
        try (DatagramChannel in = DatagramChannel.open();
             DatagramChannel out = DatagramChannel.open()) {
            in.setOption(StandardSocketOptions.SO_RCVBUF, 8 << 20);
            in.bind(new InetSocketAddress("127.0.0.1", 0));
            AtomicLong count = new AtomicLong();
            long[] cpu = new long[2];
            Thread reader = Thread.ofPlatform().start(() -> {
                ByteBuffer buffer = ByteBuffer.allocateDirect(4096);
                try {
                    while (true) {
                        buffer.clear();
                        in.receive(buffer);
                        if (count.incrementAndGet() == WARM_UP) {
                            cpu[0] = THREADS.getCurrentThreadCpuTime();
                        }
                        cpu[1] = THREADS.getCurrentThreadCpuTime();
                    }
                } catch (IOException closed) {
                    // the test closed the channel
                }
            });
            InetSocketAddress destination = (InetSocketAddress) in.getLocalAddress();
            ByteBuffer datagram = ByteBuffer.allocateDirect(SIZE);
            long sendCpu = 0;
            for (int i = 0; i < WARM_UP + PACKETS; i++) {
                if (i == WARM_UP) {
                    sendCpu = THREADS.getCurrentThreadCpuTime();
                }
                out.send(datagram.rewind(), destination);
            }
            sendCpu = THREADS.getCurrentThreadCpuTime() - sendCpu;
            long received = 0;
            while (received != count.get()) {
                received = count.get();
                Thread.sleep(200);
            }
            in.close();
            reader.join(5_000);
            System.out.printf("UDP loopback anchor, JDK DatagramChannel one syscall per datagram: send() %.2f us CPU"
                    + " (including the kernel's loopback delivery), receive() %.2f us CPU per datagram; received %d"
                    + " of %d%n", sendCpu / 1e3 / PACKETS, (cpu[1] - cpu[0]) / 1e3 / Math.max(1, received - WARM_UP),
                    received, WARM_UP + PACKETS);
        }
    }

    private static long cpuOf(Thread thread) {
        return THREADS.getThreadCpuTime(thread.threadId());
    }

    /**
     * Sends {@code count} datagrams, keeping at most {@link #IN_FLIGHT} not yet received (when {@code received} is
     * given), as a congestion-controlled flow would: an unpaced sender only measures how fast the receiving socket
     * overflows.
     */
    private static void send(UdpBinding sender, UdpEndpoint destination, ByteBuffer datagram, int count,
            AtomicLong received) throws InterruptedException {
        long base = received == null ? 0 : received.get();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        for (int i = 0; i < count; i++) {
            while (received != null && i - (received.get() - base) > IN_FLIGHT) {
                if (System.nanoTime() > deadline) {
                    throw new AssertionError("datagrams stopped arriving: " + (received.get() - base) + " of " + i);
                }
                Thread.yield();
            }
            datagram.clear();
            datagram.putInt(0, i);
            while (!sender.send(datagram, destination)) {
                if (System.nanoTime() > deadline) {
                    throw new AssertionError("the send queue stayed full for a minute");
                }
                sender.flush();
                Thread.yield(); // queue full: the event loop is behind; give it the core
            }
            if (i % FLUSH_EVERY == FLUSH_EVERY - 1) {
                sender.flush();
            }
        }
        sender.flush();
    }

    /** Waits until no datagram arrived for 200 ms; returns the count. */
    private static long awaitQuiet(CountingReceiver receiver) throws InterruptedException {
        long last = -1;
        long now = receiver.count.get();
        while (now != last) {
            Thread.sleep(200);
            last = now;
            now = receiver.count.get();
        }
        return now;
    }

    /** The event-loop thread of {@code binding}: the thread its receiver is called on, found by name. */
    private static Thread loopOf(UdpBinding binding, CollectingReceiver receiver) throws Exception {
        try (java.nio.channels.DatagramChannel probe = java.nio.channels.DatagramChannel.open()) {
            probe.send(ByteBuffer.wrap(new byte[] {1}), new InetSocketAddress("127.0.0.1", binding.listenPort()));
            String name = receiver.datagrams.poll(5, java.util.concurrent.TimeUnit.SECONDS).thread();
            return Thread.getAllStackTraces().keySet().stream().filter(t -> t.getName().equals(name)).findFirst().orElseThrow();
        }
    }
}
