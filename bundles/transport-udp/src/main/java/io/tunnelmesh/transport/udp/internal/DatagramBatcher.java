package io.tunnelmesh.transport.udp.internal;

import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.socket.DatagramPacket;
import io.netty.channel.unix.SegmentedDatagramPacket;
import io.netty.util.internal.PlatformDependent;
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
 */
final class DatagramBatcher implements Runnable {
    /** Datagrams written per drain before yielding the event loop to pending reads. */
    private static final int DRAIN_LIMIT = 1_024;

    private final Channel channel;
    private final boolean ipv6Capable;
    private final TransportCounters counters;
    /** Netty's JCTools MPSC array queue: bounded and allocation-free, unlike the JDK's concurrent queues. */
    private final Queue<DatagramPacket> queue;
    private final int capacity;
    private final AtomicBoolean drainScheduled = new AtomicBoolean();
    private final Consumer<String> warn;
    /** Cleared for good when the kernel refuses a segmented send (e.g. a path MTU below the datagram size). */
    private volatile boolean segmentOffload;
    private volatile boolean closed;

    DatagramBatcher(Channel channel, boolean ipv6Capable, int capacity, TransportCounters counters,
            boolean segmentOffload, Consumer<String> warn) {
        this.channel = channel;
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
        if (!queue.isEmpty() && drainScheduled.compareAndSet(false, true)) {
            channel.eventLoop().execute(this);
        }
    }

    /** On the event loop. */
    @Override
    public void run() {
        drainScheduled.set(false);
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
        flush(); // more arrived meanwhile: come back after the reads waiting on this loop
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
