package io.tunnelmesh.coordinator.internal;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.concurrent.RejectedExecutionException;

/**
 * One control connection's channel as the parts that run it share it on its event loop: the phase it is in, when the
 * node was last heard, frames out, and the two ways it ends (after what was written, or at once and counted).
 */
final class ControlChannel {
    enum Phase { AWAIT_HELLO, DECIDING, ESTABLISHED, CLOSING }

    private final ChannelHandlerContext ctx;
    private final RateLimitedLog problems;
    private Phase phase = Phase.AWAIT_HELLO;
    private long lastReadNanos = System.nanoTime();

    ControlChannel(ChannelHandlerContext ctx, RateLimitedLog problems) {
        this.ctx = ctx;
        this.problems = problems;
    }

    ChannelHandlerContext ctx() {
        return ctx;
    }

    Phase phase() {
        return phase;
    }

    void phase(Phase now) {
        phase = now;
    }

    boolean established() {
        return phase == Phase.ESTABLISHED;
    }

    /** A frame arrived: the node is alive. */
    void heard() {
        lastReadNanos = System.nanoTime();
    }

    long lastReadNanos() {
        return lastReadNanos;
    }

    InetAddress remoteIp() {
        return ((InetSocketAddress) ctx.channel().remoteAddress()).getAddress();
    }

    /** Writes one frame with its 2-byte length; the caller flushes. */
    void writeFrame(byte[] frame) {
        ByteBuf out = ctx.alloc().ioBuffer(2 + frame.length);
        out.writeShort(frame.length);
        out.writeBytes(frame);
        ctx.write(out);
    }

    /** Runs task on this connection's event loop; while the coordinator stops, that loop may be gone, and the session with it. */
    void onLoop(Runnable task) {
        try {
            ctx.executor().execute(task);
        } catch (RejectedExecutionException e) {
            // stopping: nothing left to deliver to
        }
    }

    /** Closes once what was written has gone out. */
    void close() {
        phase = Phase.CLOSING;
        ctx.writeAndFlush(ctx.alloc().buffer(0)).addListener(ChannelFutureListener.CLOSE);
    }

    void fail(Counters.Kind kind, String detail) {
        problems.record(kind, "from " + ctx.channel().remoteAddress() + ": " + detail);
        phase = Phase.CLOSING;
        ctx.close();
    }
}
