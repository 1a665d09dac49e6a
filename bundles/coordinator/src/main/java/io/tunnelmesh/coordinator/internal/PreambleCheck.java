package io.tunnelmesh.coordinator.internal;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;
import io.tunnelmesh.control.ControlFrames;
import io.tunnelmesh.control.RelayFrames;
import java.util.List;

/**
 * Reads the 4-byte preamble: {@code TMC1} goes on to the control channel, {@code TMR1} becomes a relay link
 * ({@link RelayHub#install}); anything else (an HTTP request, a port scan) closes the connection.
 */
final class PreambleCheck extends ByteToMessageDecoder {
    private final RateLimitedLog problems;
    private final RelayHub relay;

    PreambleCheck(RateLimitedLog problems, RelayHub relay) {
        this.problems = problems;
        this.relay = relay;
    }

    @Override
    protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
        int n = Math.min(in.readableBytes(), ControlFrames.PREAMBLE.length);
        boolean control = startsWith(in, n, ControlFrames.PREAMBLE);
        boolean relayLink = startsWith(in, n, RelayFrames.PREAMBLE);
        if (!control && !relayLink) {
            in.skipBytes(in.readableBytes());
            problems.record(Counters.Kind.BAD_PREAMBLE, "from " + ctx.channel().remoteAddress()
                    + ": not a TunnelMesh/J control or relay client (first bytes are not TMC1 or TMR1)");
            ctx.close();
            return;
        }
        if (n == ControlFrames.PREAMBLE.length) {
            in.skipBytes(n);
            if (relayLink) {
                relay.install(ctx.pipeline());
            }
            ctx.pipeline().remove(this); // hands what follows to the frame decoder
        }
    }

    private static boolean startsWith(ByteBuf in, int n, byte[] preamble) {
        for (int i = 0; i < n; i++) {
            if (in.getByte(in.readerIndex() + i) != preamble[i]) {
                return false;
            }
        }
        return true;
    }

    @Override
    protected void decodeLast(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
        if (in.isReadable()) {
            problems.record(Counters.Kind.TRUNCATED, "from " + ctx.channel().remoteAddress()
                    + ": closed in the middle of the preamble");
            in.skipBytes(in.readableBytes());
        }
    }
}
