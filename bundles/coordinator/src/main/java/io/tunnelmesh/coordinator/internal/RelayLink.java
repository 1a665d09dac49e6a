package io.tunnelmesh.coordinator.internal;

import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.tunnelmesh.api.NodeKey;
import io.tunnelmesh.control.ControlHandshake;
import io.tunnelmesh.control.ControlProtocolException;
import io.tunnelmesh.control.RelayFrames;
import io.tunnelmesh.control.relay.RelayFrameSplitter;
import io.tunnelmesh.control.relay.RelayFrameHeader;
import io.tunnelmesh.control.relay.RelayHandshake;
import java.io.IOException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * One node's relay link, on its event loop: the Noise IK handshake that proves the node's key, then its frames: data
 * to the {@link RelayForwarder}, pings answered; a node silent for {@link #SILENCE_LIMIT_NANOS} is cut off.
 */
final class RelayLink extends ChannelInboundHandlerAdapter implements RelayFrameSplitter.Frames {
    /** A node pings when idle, so silence this long means it is gone (its host lost the network, say). */
    static final long SILENCE_LIMIT_NANOS = TimeUnit.SECONDS.toNanos(15);

    private final RelayHub hub;
    private RelayFrameSplitter splitter;
    private RelayForwarder forwarder;
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
            handshake(buffer, at, size);
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

    private void handshake(ByteBuf buffer, int at, int size) {
        byte type = RelayFrameHeader.type(buffer, at);
        if (type != RelayFrames.HANDSHAKE) {
            hub.counters().badHandshake.increment();
            fail(Counters.Kind.BAD_HANDSHAKE, "relay link sent a frame of type " + type + " before its handshake");
            return;
        }
        ControlHandshake.Acceptance acceptance;
        try {
            acceptance = RelayHandshake.accept(hub.key(), buffer, at, size);
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
        ByteBuf out;
        try {
            out = RelayHandshake.reply(ctx.alloc(), acceptance, refusal);
        } catch (ControlProtocolException | RuntimeException e) {
            hub.counters().badHandshake.increment();
            fail(Counters.Kind.BAD_HANDSHAKE, "relay " + e.getMessage());
            return false;
        }
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

    private void fail(Counters.Kind kind, String detail) {
        hub.problems().record(kind, "from " + ctx.channel().remoteAddress() + ": " + detail);
        open = false;
        ctx.close();
    }
}
