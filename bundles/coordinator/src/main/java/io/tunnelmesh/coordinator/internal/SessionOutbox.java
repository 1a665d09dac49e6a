package io.tunnelmesh.coordinator.internal;

import io.netty.channel.ChannelHandlerContext;
import io.tunnelmesh.api.NodeKey;
import io.tunnelmesh.control.ControlSession;
import java.util.ArrayDeque;

/**
 * Plaintexts waiting for the channel to become writable: sealed only when they can be written, so a slow
 * reader costs references to shared encoded messages, not sealed copies. Bounded by bytes: a reader so slow that
 * the queue passes {@code maxPendingBytes} beyond the first map is cut off. The map waits for a {@link MapPermits}
 * permit.
 */
final class SessionOutbox {
    private final ControlChannel channel;
    private final ControlSession session;
    private final MapPermits permits;
    private final NodeKey key;
    private final long maxPendingBytes;
    private final ArrayDeque<byte[]> queue = new ArrayDeque<>();
    private byte[] pendingMap; // the queue entry that needs a map permit
    private long bytes;
    private long allowance;
    private boolean permitRequested;
    private boolean holdingPermit;

    SessionOutbox(ControlChannel channel, ControlSession session, MapPermits permits, NodeKey key, long maxPendingBytes) {
        this.channel = channel;
        this.session = session;
        this.permits = permits;
        this.key = key;
        this.maxPendingBytes = maxPendingBytes;
    }

    /** Queues the full map, the first message after the welcome: the bound counts from its size. */
    void map(byte[] map) {
        allowance = maxPendingBytes + map.length;
        pendingMap = map;
        enqueue(map);
    }

    /** Queues a message for the node, cutting off a reader so slow that the queue passes its bound. */
    void enqueue(byte[] message) {
        if (!channel.established()) {
            return;
        }
        if (bytes + message.length > allowance) {
            channel.fail(Counters.Kind.SLOW_READER, "node " + key.shortForm() + " left " + bytes + " bytes of messages unread");
            return;
        }
        queue.add(message);
        bytes += message.length;
        drain();
    }

    /** Seals and writes queued messages while the channel takes them; a full map first waits for a permit. */
    void drain() {
        ChannelHandlerContext ctx = channel.ctx();
        boolean wrote = false;
        while (channel.established() && !queue.isEmpty() && ctx.channel().isWritable()) {
            byte[] message = queue.peek();
            if (message == pendingMap && !holdingPermit) {
                if (!permitRequested) {
                    permitRequested = true;
                    permits.acquire(() -> ctx.executor().execute(this::permitGranted));
                }
                break;
            }
            queue.poll();
            bytes -= message.length;
            for (byte[] frame : session.seal(message)) {
                channel.writeFrame(frame);
            }
            wrote = true;
            if (message == pendingMap) {
                pendingMap = null;
                ctx.flush();
                // the permit is held until the map has left for the kernel, not just been queued
                ctx.writeAndFlush(ctx.alloc().buffer(0)).addListener(f -> releasePermit());
                wrote = false;
            }
        }
        if (wrote) {
            ctx.flush();
        }
    }

    /**
     * Seals and writes at once, ahead of the queue (only for bye, after which the connection closes). The queue is
     * dropped: what the node has not read yet no longer matters to a node that must leave.
     */
    void sendLast(byte[] message) {
        queue.clear();
        for (byte[] frame : session.seal(message)) {
            channel.writeFrame(frame);
        }
        channel.ctx().flush();
    }

    /** The connection ended: the permit goes to the next session, the queue is dropped. */
    void close() {
        releasePermit();
        queue.clear();
    }

    private void permitGranted() {
        permitRequested = false;
        holdingPermit = true;
        if (!channel.established()) {
            releasePermit();
            return;
        }
        drain();
    }

    private void releasePermit() {
        if (holdingPermit) {
            holdingPermit = false;
            permits.release();
        }
    }
}
