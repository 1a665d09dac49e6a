package io.tunnelmesh.coordinator.internal;

import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.tunnelmesh.api.NodeKey;
import io.tunnelmesh.control.RelayFrames;
import io.tunnelmesh.control.relay.RelayFrameHeader;
import io.tunnelmesh.control.relay.RelayFrameSplitter;
import java.io.IOException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * One node's relay link, on its event loop: its frames go to the {@link RelayAdmission} until the node is admitted,
 * then data to the {@link RelayForwarder}, pings answered; a node silent for {@link #SILENCE_LIMIT_NANOS} is cut off.
 */
final class RelayLink extends ChannelInboundHandlerAdapter implements RelayFrameSplitter.Frames {
    /** A node pings when idle, so silence this long means it is gone (its host lost the network, say). */
    static final long SILENCE_LIMIT_NANOS = TimeUnit.SECONDS.toNanos(15);

    private final RelayHub hub;
    private RelayFrameSplitter splitter;
    private RelayForwarder forwarder;
    private RelayAdmission admission;
    private ChannelHandlerContext ctx;
    private NodeKey key;
    private byte[] keyBytes;
    private boolean established;
    private volatile boolean open = true;
    private ScheduledFuture<?> timer;
    private long lastReadNanos = System.nanoTime();

    RelayLink(RelayHub hub) {
        this.hub = hub;
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        this.ctx = ctx;
        this.splitter = new RelayFrameSplitter(ctx.alloc());
        this.forwarder = new RelayForwarder(hub, ctx.alloc());
        this.admission = new RelayAdmission(hub, this, ctx);
        timer = ctx.executor().schedule(this::handshakeTimedOut, hub.handshakeTimeout().toMillis(), TimeUnit.MILLISECONDS);
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        ByteBuf in = (ByteBuf) msg;
        forwarder.beginRead(in);
        try {
            if (!splitter.split(in, this)) {
                hub.counters().oversized.increment();
                fail(Counters.Kind.BAD_FRAME, "relay link" + (key == null ? "" : " of " + key.shortForm())
                        + " announced a frame longer than " + RelayFrames.MAX_PAYLOAD + " bytes");
            }
            forwarder.endRun();
        } finally {
            forwarder.endRead();
            in.release();
        }
    }

    @Override
    public void frame(ByteBuf buffer, int at, int size) {
        if (!open) {
            return;
        }
        if (!established) {
            admission.read(buffer, at, size);
            return;
        }
        byte type = RelayFrameHeader.type(buffer, at);
        if (type == RelayFrames.DATA) {
            forwarder.forward(buffer, at, size, keyBytes);
        } else if (type == RelayFrames.PING) {
            forwarder.endRun();
            ctx.write(RelayFrameHeader.pong(buffer, at, size), ctx.voidPromise());
            forwarder.markForFlush(ctx.channel());
        } else if (type != RelayFrames.PONG) {
            fail(Counters.Kind.BAD_FRAME, "relay link of " + key.shortForm() + " sent a frame of unknown type " + type);
        }
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        lastReadNanos = System.nanoTime();
        forwarder.flushBatch();
        ctx.fireChannelReadComplete();
    }

    /** The node proved {@code key} (admitted or not). */
    void identified(NodeKey key) {
        this.key = key;
        this.keyBytes = key.toBytes();
        timer.cancel(false);
    }

    /** The node is a member and its link is registered with the hub: its frames are forwarded from now on. */
    void admitted() {
        established = true;
        hub.counters().links.incrementAndGet();
    }

    /** Admitted and answered: from now on the node must not stay silent. */
    void watchSilence() {
        long tick = SILENCE_LIMIT_NANOS / 3;
        timer = ctx.executor().scheduleAtFixedRate(this::checkSilence, tick, tick, TimeUnit.NANOSECONDS);
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

    Channel channel() {
        return ctx.channel();
    }

    boolean isOpen() {
        return open;
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

    /** Records why (rate-limited) and closes the link. */
    void fail(Counters.Kind kind, String detail) {
        hub.problems().record(kind, "from " + ctx.channel().remoteAddress() + ": " + detail);
        open = false;
        ctx.close();
    }
}
