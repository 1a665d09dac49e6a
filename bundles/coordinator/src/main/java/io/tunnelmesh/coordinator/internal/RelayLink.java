package io.tunnelmesh.coordinator.internal;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.tunnelmesh.api.NodeKey;
import io.tunnelmesh.control.ControlHandshake;
import io.tunnelmesh.control.ControlProtocolException;
import io.tunnelmesh.control.RelayFrames;
import io.tunnelmesh.control.relay.RelayFrameSplitter;
import io.tunnelmesh.control.relay.RelayKeyCache;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * One node's relay link, on its event loop: the Noise IK handshake that proves the node's key, then forwarding.
 * Data frames are forwarded where they were read ({@link RelayFrameSplitter}; a copy only for a recipient with a
 * backlog): the recipient's key in a frame's header is overwritten with the sender's (the server's word, never the
 * client's), and consecutive frames of one read for one recipient go out as one slice of the read buffer, one write
 * (one task when the recipient is on another event loop), flushed when this read batch completes. A recipient over
 * its high-water mark gets nothing (dropped, counted). Nothing is allocated or logged per frame.
 */
final class RelayLink extends ChannelInboundHandlerAdapter implements RelayFrameSplitter.Frames {
    /** A node pings when idle, so silence this long means it is gone (its host lost the network, say). */
    static final long SILENCE_LIMIT_NANOS = TimeUnit.SECONDS.toNanos(15);
    private static final int CACHE = 8; // recipients a link remembers; a power of two
    /** A read batch can be a megabyte: recipients get what is forwarded at least this often, not only at its end. */
    private static final int FLUSH_BYTES = 64 << 10;
    /**
     * A forwarded slice keeps its whole read buffer (up to 64 KiB) alive until written. A recipient with a backlog
     * gets copies instead, so what its queue holds is its frames' bytes, not the read buffers they came in.
     */
    private static final long COPY_WHEN_QUEUED = 64 << 10;

    private final RelayHub hub;
    private RelayFrameSplitter splitter;
    private ChannelHandlerContext ctx;
    private NodeKey key;
    private byte[] keyBytes;
    private boolean established;
    private volatile boolean open = true;
    private ScheduledFuture<?> timer;
    private long lastReadNanos = System.nanoTime();
    /** Recipients met lately: a frame's recipient is found without a map lookup or key object. */
    private final RelayKeyCache<RelayLink> recipients = new RelayKeyCache<>(CACHE);
    /** Channels written to in this read batch, flushed when it completes. */
    private final Channel[] toFlush = new Channel[CACHE];
    private int flushCount;
    private long batchFrames;
    private long batchBytes;
    /** The read being split, and the frames of it waiting to go to one recipient: [runStart, runEnd) of runBuffer. */
    private ByteBuf reading;
    private RelayLink runTo;
    private ByteBuf runBuffer;
    private int runStart;
    private int runEnd;

    RelayLink(RelayHub hub) {
        this.hub = hub;
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        this.ctx = ctx;
        this.splitter = new RelayFrameSplitter(ctx.alloc());
        timer = ctx.executor().schedule(this::handshakeTimedOut, hub.handshakeTimeout().toMillis(), TimeUnit.MILLISECONDS);
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        ByteBuf in = (ByteBuf) msg;
        reading = in;
        try {
            if (!splitter.split(in, this)) {
                hub.counters().oversized.increment();
                fail(Counters.Kind.BAD_FRAME, "relay link" + (key == null ? "" : " of " + key.shortForm())
                        + " announced a frame longer than " + RelayFrames.MAX_PAYLOAD + " bytes");
            }
            endRun();
        } finally {
            reading = null;
            in.release();
        }
    }

    @Override
    public void frame(ByteBuf buffer, int at, int size) {
        if (!open) {
            return;
        }
        if (!established) {
            handshake(buffer, at, size);
            return;
        }
        byte type = buffer.getByte(at + RelayFrames.LENGTH_FIELD);
        if (type == RelayFrames.DATA) {
            forward(buffer, at, size);
        } else if (type == RelayFrames.PING) {
            endRun();
            ByteBuf pong = buffer.retainedSlice(at, size);
            pong.setByte(RelayFrames.LENGTH_FIELD, RelayFrames.PONG);
            ctx.write(pong, ctx.voidPromise());
            markForFlush(ctx.channel());
        } else if (type != RelayFrames.PONG) {
            fail(Counters.Kind.BAD_FRAME, "relay link of " + key.shortForm() + " sent a frame of unknown type " + type);
        }
    }

    private void forward(ByteBuf buffer, int at, int size) {
        RelayLink to = recipient(buffer, at);
        if (to == null) {
            hub.counters().unknownRecipient.increment();
            return;
        }
        if (!to.ctx.channel().isWritable()) {
            hub.counters().recipientFull.increment();
            return;
        }
        buffer.setBytes(at + RelayFrames.KEY_OFFSET, keyBytes);
        batchFrames++;
        batchBytes += size - RelayFrames.HEADER;
        if (to == runTo && buffer == runBuffer && at == runEnd) {
            runEnd += size;
        } else {
            endRun();
            runTo = to;
            runBuffer = buffer;
            runStart = at;
            runEnd = at + size;
        }
        if (buffer != reading || batchBytes >= FLUSH_BYTES) {
            endRun(); // a cut frame's copy lives only during this call
        }
        if (batchBytes >= FLUSH_BYTES) {
            flushBatch();
        }
    }

    /** Writes the waiting frames to their recipient: a slice of the read buffer, or a copy for a recipient with a backlog. */
    private void endRun() {
        RelayLink to = runTo;
        if (to == null) {
            return;
        }
        runTo = null;
        Channel channel = to.ctx.channel();
        int length = runEnd - runStart;
        ByteBuf out = channel.bytesBeforeUnwritable() < RelayHub.WATER_MARK.high() - COPY_WHEN_QUEUED
                ? ctx.alloc().directBuffer(length).writeBytes(runBuffer, runStart, length)
                : runBuffer.retainedSlice(runStart, length);
        runBuffer = null;
        channel.write(out, channel.voidPromise());
        markForFlush(channel);
    }

    /** The open link of the frame's recipient, from the cache when it was met before, else from the hub. */
    private RelayLink recipient(ByteBuf frame, int start) {
        int at = start + RelayFrames.KEY_OFFSET;
        RelayLink cached = recipients.get(frame, at);
        if (cached != null && cached.open) {
            return cached;
        }
        byte[] bytes = new byte[RelayFrames.KEY_LENGTH]; // only on a cache miss
        frame.getBytes(at, bytes);
        RelayLink found = hub.link(NodeKey.of(bytes));
        if (found != null) {
            recipients.put(frame, at, found);
        }
        return found;
    }

    private void markForFlush(Channel channel) {
        for (int i = 0; i < flushCount; i++) {
            if (toFlush[i] == channel) {
                return;
            }
        }
        if (flushCount == toFlush.length) {
            flushBatch(); // more recipients in one batch than remembered: flush early rather than grow
        }
        toFlush[flushCount++] = channel;
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        lastReadNanos = System.nanoTime();
        flushBatch();
        ctx.fireChannelReadComplete();
    }

    private void flushBatch() {
        endRun();
        for (int i = 0; i < flushCount; i++) {
            toFlush[i].flush();
            toFlush[i] = null;
        }
        flushCount = 0;
        if (batchFrames != 0) {
            hub.counters().frames.add(batchFrames);
            hub.counters().bytes.add(batchBytes);
            batchFrames = 0;
            batchBytes = 0;
        }
    }

    private void handshake(ByteBuf buffer, int at, int size) {
        byte type = buffer.getByte(at + RelayFrames.LENGTH_FIELD);
        byte[] message1 = ByteBufUtil.getBytes(buffer, at + RelayFrames.HEADER, size - RelayFrames.HEADER);
        if (type != RelayFrames.HANDSHAKE) {
            hub.counters().badHandshake.increment();
            fail(Counters.Kind.BAD_HANDSHAKE, "relay link sent a frame of type " + type + " before its handshake");
            return;
        }
        ControlHandshake.Acceptance acceptance;
        try {
            acceptance = ControlHandshake.accept(RelayFrames.PROLOGUE, hub.key(), message1);
        } catch (ControlProtocolException | RuntimeException e) {
            hub.counters().badHandshake.increment();
            fail(Counters.Kind.BAD_HANDSHAKE, "relay " + e.getMessage());
            return;
        }
        key = acceptance.initiator();
        keyBytes = key.toBytes();
        timer.cancel(false);
        if (!hub.isMember(key) || !hub.register(key, this)) {
            hub.counters().refused.increment();
            hub.problems().record(Counters.Kind.REFUSED, "relay link of " + key.shortForm() + ": not a member of this mesh");
            reply(acceptance, "node " + key + " is not a member of this mesh (never joined, or removed): join with a new token");
            return; // closed once the refusal is out
        }
        established = true;
        hub.counters().links.incrementAndGet();
        hub.gate().authenticated(ctx);
        if (!reply(acceptance, "")) {
            return;
        }
        long tick = SILENCE_LIMIT_NANOS / 3;
        timer = ctx.executor().scheduleAtFixedRate(this::checkSilence, tick, tick, TimeUnit.NANOSECONDS);
    }

    /** Sends Noise message 2 carrying {@code refusal} (empty: admitted). */
    private boolean reply(ControlHandshake.Acceptance acceptance, String refusal) {
        byte[] message2;
        try {
            message2 = acceptance.reply(refusal.getBytes(StandardCharsets.UTF_8)).message();
        } catch (ControlProtocolException | RuntimeException e) {
            hub.counters().badHandshake.increment();
            fail(Counters.Kind.BAD_HANDSHAKE, "relay " + e.getMessage());
            return false;
        }
        ByteBuf out = ctx.alloc().ioBuffer(RelayFrames.HEADER + message2.length);
        out.writeInt(message2.length);
        out.writeByte(RelayFrames.HANDSHAKE);
        out.writeZero(RelayFrames.KEY_LENGTH);
        out.writeBytes(message2);
        ctx.writeAndFlush(out).addListener(refusal.isEmpty() ? ChannelFutureListener.FIRE_EXCEPTION_ON_FAILURE : ChannelFutureListener.CLOSE);
        return true;
    }

    private void handshakeTimedOut() {
        if (!established && open) {
            hub.counters().badHandshake.increment();
            fail(Counters.Kind.HANDSHAKE_TIMEOUT, "relay link without a finished handshake within "
                    + hub.handshakeTimeout().toMillis() + " ms");
        }
    }

    private void checkSilence() {
        long silent = System.nanoTime() - lastReadNanos;
        if (silent >= SILENCE_LIMIT_NANOS) {
            fail(Counters.Kind.IDLE_TIMEOUT, "relay link of " + key.shortForm() + " silent for " + silent / 1_000_000_000 + " s");
        }
    }

    /** Bytes written to this link that the socket has not taken yet: bounded by the high-water mark. */
    long queuedBytes() {
        io.netty.channel.ChannelOutboundBuffer buffer = ctx.channel().unsafe().outboundBuffer();
        return buffer == null ? 0 : buffer.totalPendingWriteBytes();
    }

    /** Closes from any thread (the node was removed, or has a newer link). */
    void close() {
        open = false;
        ctx.channel().close();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) throws Exception {
        open = false;
        splitter.release();
        if (timer != null) {
            timer.cancel(false);
        }
        if (established) {
            established = false;
            hub.counters().links.decrementAndGet();
            hub.unregister(key, this);
        }
        super.channelInactive(ctx);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        if (cause instanceof IOException) {
            ctx.close();
        } else {
            fail(Counters.Kind.BAD_FRAME, "relay link: " + cause.getMessage());
        }
    }

    private void fail(Counters.Kind kind, String detail) {
        hub.problems().record(kind, "from " + ctx.channel().remoteAddress() + ": " + detail);
        open = false;
        ctx.close();
    }
}
