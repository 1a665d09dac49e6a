package io.tunnelmesh.coordinator.internal;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;
import io.tunnelmesh.control.ControlFrames;
import java.util.List;

/** Reads the 4-byte preamble {@code TMC1}; anything else (an HTTP request, a port scan) closes the connection. */
final class PreambleCheck extends ByteToMessageDecoder {
    private final RateLimitedLog problems;

    PreambleCheck(RateLimitedLog problems) {
        this.problems = problems;
    }

    @Override
    protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
        byte[] expected = ControlFrames.PREAMBLE;
        int n = Math.min(in.readableBytes(), expected.length);
        for (int i = 0; i < n; i++) {
            if (in.getByte(in.readerIndex() + i) != expected[i]) {
                in.skipBytes(in.readableBytes());
                problems.record(Counters.Kind.BAD_PREAMBLE, "from " + ctx.channel().remoteAddress()
                        + ": not a TunnelMesh/J control client (first bytes are not TMC1)");
                ctx.close();
                return;
            }
        }
        if (n == expected.length) {
            in.skipBytes(expected.length);
            ctx.pipeline().remove(this); // hands what follows to the frame decoder
        }
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
