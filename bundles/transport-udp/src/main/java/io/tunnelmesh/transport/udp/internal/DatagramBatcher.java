package io.tunnelmesh.transport.udp.internal;

import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.socket.DatagramPacket;
import io.netty.channel.unix.SegmentedDatagramPacket;
import io.netty.channel.unix.Socket;
import io.netty.channel.unix.UnixChannel;
import io.netty.util.internal.PlatformDependent;
import java.io.IOException;
import java.net.Inet6Address;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.Queue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;

/**
 * The send side. Any thread copies its datagram into a pooled direct buffer and puts it on a bounded lock-free
 * queue; {@link #flush()} schedules one drain task on the event loop unless one is already pending. The drain
 * writes everything queued without flushing, then flushes once, and Netty's epoll channel turns the many
 * outbound datagrams into sendmmsg calls. So a burst from several threads costs one event-loop wake-up and a few
 * system calls, and a full queue or socket drops (counted) instead of blocking the caller. Where the kernel
 * offers UDP_SEGMENT, runs of equal-size datagrams for one peer go out as one segmented send
 * ({@link SegmentCoalescer}).
 *
 * <p>One exception: a lone datagram flushed after the binding was idle for a while (an idle ping, a keystroke over
 * SSH) is sent at once, from the flushing thread, with the channel's native socket. From another thread that saves
 * waking the event loop, a thread hand-off that costs tens to hundreds of microseconds on a busy machine; on the
 * event loop itself (the node answering from there: a handshake response, packets a peer queued) it skips a task and
 * Netty's outbound pipeline, code that idle traffic runs cold. Under load flushes
 * come microseconds apart and keep the batched path: sending every lone datagram from the caller moved the sends
 * of a TCP stream's ACKs onto the TUN reader's core and cost a third of the throughput (measured: git log -- docs/PERFORMANCE.md).
 */
final class DatagramBatcher implements Runnable {
    /** Datagrams written per drain before yielding the event loop to pending reads. */
    private static final int DRAIN_LIMIT = 1_024;
    /** A flush this long after the previous one finds the binding idle. */
    static final long IDLE_NANOS = 1_000_000L;

    private final Channel channel;
    /** The native socket under an epoll channel, for sending a lone datagram without the event loop; else null. */
    private final Socket socket;
    private final boolean ipv6Capable;
    private final TransportCounters counters;
    /** Netty's JCTools MPSC array queue: bounded and allocation-free, unlike the JDK's concurrent queues. */
    private final Queue<DatagramPacket> queue;
    private final int capacity;
    /**
     * Set while a drain is scheduled or running, or a lone datagram is being sent: whoever set it is the queue's
     * only consumer (the queue allows one), and other senders' datagrams wait behind it, so nothing overtakes.
     */
    private final AtomicBoolean drainScheduled = new AtomicBoolean();
    /** When datagrams were last flushed; written by every flushing thread, racy on purpose (a hint only). */
    private volatile long lastFlushNanos = System.nanoTime();
    private final Consumer<String> warn;
    /** Cleared for good when the kernel refuses a segmented send (e.g. a path MTU below the datagram size). */
    private volatile boolean segmentOffload;
    private volatile boolean closed;

    DatagramBatcher(Channel channel, boolean ipv6Capable, int capacity, TransportCounters counters,
            boolean segmentOffload, Consumer<String> warn) {
        this.channel = channel;
        this.socket = channel instanceof UnixChannel unix && unix.fd() instanceof Socket fd ? fd : null;
        this.segmentOffload = segmentOffload;
        this.warn = warn;
        this.ipv6Capable = ipv6Capable;
        this.counters = counters;
        this.capacity = capacity;
        this.queue = PlatformDependent.newFixedMpscQueue(capacity);
    }

    /** Copies position to limit of {@code datagram} (leaving its position unchanged) and queues it. */
    boolean offer(ByteBuffer datagram, InetSocketAddress destination) {
        if (closed) {
            return false;
        }
        // A full queue is checked before copying, so a sender outrunning the socket wastes no buffer per drop.
        if (queue.size() >= capacity || destination.isUnresolved()
                || (!ipv6Capable && destination.getAddress() instanceof Inet6Address)) {
            counters.sendDrops.increment();
            return false;
        }
        int length = datagram.remaining();
        ByteBuf copy = channel.alloc().directBuffer(length, length);
        int position = datagram.position();
        copy.writeBytes(datagram); // advances the caller's position: put it back (no duplicate() allocation)
        datagram.position(position);
        if (!queue.offer(new DatagramPacket(copy, destination))) {
            copy.release();
            counters.sendDrops.increment();
            return false;
        }
        return true;
    }

    void flush() {
        if (queue.isEmpty()) {
            return;
        }
        long now = System.nanoTime();
        boolean idle = now - lastFlushNanos > IDLE_NANOS;
        lastFlushNanos = now;
        if (idle && socket != null && queue.size() == 1 && drainScheduled.compareAndSet(false, true)) {
            sendLoneDatagram();
            return;
        }
        scheduleDrain();
    }

    private void scheduleDrain() {
        if (!queue.isEmpty() && drainScheduled.compareAndSet(false, true)) {
            channel.eventLoop().execute(this);
        }
    }

    /** On the caller's thread, holding {@link #drainScheduled}. */
    private void sendLoneDatagram() {
        try {
            DatagramPacket packet = queue.poll();
            if (packet != null && !sendNow(packet)) {
                channel.writeAndFlush(packet, channel.voidPromise()); // socket full: the event loop sends it later
            }
        } finally {
            drainScheduled.set(false); // whatever happened, the next flush must be able to drain
        }
        scheduleDrain(); // what other threads queued meanwhile
    }

    /** @return true when the datagram is finished with (sent, or failed for good); false when the socket is full */
    private boolean sendNow(DatagramPacket packet) {
        ByteBuf content = packet.content();
        InetSocketAddress to = packet.recipient();
        try {
            int sent = content.hasMemoryAddress()
                    ? socket.sendToAddress(content.memoryAddress(), content.readerIndex(), content.writerIndex(),
                            to.getAddress(), to.getPort())
                    : socket.sendTo(content.nioBuffer(), 0, content.readableBytes(), to.getAddress(), to.getPort());
            if (sent <= 0) {
                return false;
            }
        } catch (IOException | RuntimeException e) { // e.g. the binding closed meanwhile
            counters.ioErrors.increment();
        }
        packet.release();
        return true;
    }

    /** On the event loop, holding {@link #drainScheduled}. */
    @Override
    public void run() {
        try {
            drain();
        } finally {
            drainScheduled.set(false); // a failed drain must not leave the queue without a consumer for good
        }
        scheduleDrain(); // more arrived meanwhile: come back after the reads waiting on this loop
    }

    private void drain() {
        DatagramPacket packet;
        int written = 0;
        while (written < DRAIN_LIMIT && (packet = queue.poll()) != null) {
            if (!channel.isActive()) {
                packet.release();
                continue;
            }
            if (!channel.isWritable()) {
                // The socket buffer and Netty's outbound buffer are both full: the network is slower than we
                // send. Dropping here is what a full UDP socket does anyway, without unbounded memory.
                packet.release();
                counters.sendDrops.increment();
                continue;
            }
            if (segmentOffload) {
                packet = SegmentCoalescer.coalesce(packet, queue, channel.alloc());
            }
            if (packet instanceof SegmentedDatagramPacket segmented) {
                writeSegmented(segmented);
            } else {
                channel.write(packet, channel.voidPromise());
            }
            written++;
        }
        channel.flush();
    }

    /**
     * The kernel refuses a segmented send whose segments do not fit the path MTU (EMSGSIZE), which a plain send
     * would have fragmented. So the joined buffer is kept until the write completes, and on failure its
     * datagrams go out one by one: nothing is lost, and later runs are no longer joined.
     */
    private void writeSegmented(SegmentedDatagramPacket segmented) {
        ByteBuf kept = segmented.content().retain();
        int start = kept.readerIndex();
        int end = kept.writerIndex();
        int segmentSize = segmented.segmentSize();
        InetSocketAddress recipient = segmented.recipient();
        channel.write(segmented).addListener((ChannelFuture done) -> {
            try {
                if (!done.isSuccess()) {
                    resendOneByOne(done.cause(), kept, start, end, segmentSize, recipient);
                }
            } finally {
                kept.release();
            }
        });
    }

    private void resendOneByOne(Throwable cause, ByteBuf kept, int start, int end, int segmentSize,
            InetSocketAddress recipient) {
        if (segmentOffload) {
            segmentOffload = false;
            warn.accept("UDP transport: the kernel refused a segmented (UDP_SEGMENT) send to " + recipient + " ("
                    + cause.getMessage() + "); sending one datagram per message from now on");
        }
        for (int offset = start; offset < end; offset += segmentSize) {
            int length = Math.min(segmentSize, end - offset);
            channel.write(new DatagramPacket(kept.retainedSlice(offset, length), recipient), channel.voidPromise());
        }
        channel.flush();
    }

    void close() {
        closed = true;
        DatagramPacket packet;
        while ((packet = queue.poll()) != null) {
            packet.release();
        }
    }
}
