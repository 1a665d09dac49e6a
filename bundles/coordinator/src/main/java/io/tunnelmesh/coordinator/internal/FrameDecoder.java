package io.tunnelmesh.coordinator.internal;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.LengthFieldBasedFrameDecoder;
import io.tunnelmesh.control.ControlFrames;

/**
 * Splits the stream into frames: a 2-byte big-endian length and that many bytes (the length field stripped).
 * A 2-byte length cannot exceed {@link ControlFrames#MAX_FRAME}; a zero length is the peer closing, and a
 * connection that ends inside a frame is counted as truncated.
 */
final class FrameDecoder extends LengthFieldBasedFrameDecoder {
    private final RateLimitedLog problems;

    FrameDecoder(RateLimitedLog problems) {
        super(ControlFrames.MAX_FRAME + 2, 0, 2, 0, 2);
        this.problems = problems;
    }

    @Override
    protected Object decode(ChannelHandlerContext ctx, ByteBuf in) throws Exception {
        if (in.readableBytes() >= 2 && in.getUnsignedShort(in.readerIndex()) == 0) {
            in.skipBytes(in.readableBytes());
            ctx.close(); // a zero length closes the connection (docs/COORDINATOR.md, framing)
            return null;
        }
        return super.decode(ctx, in);
    }

    @Override
    protected void decodeLast(ChannelHandlerContext ctx, ByteBuf in, java.util.List<Object> out) throws Exception {
        super.decodeLast(ctx, in, out);
        if (in.isReadable()) {
            problems.record(Counters.Kind.TRUNCATED, "from " + ctx.channel().remoteAddress() + ": closed after "
                    + in.readableBytes() + " bytes of an incomplete frame");
            in.skipBytes(in.readableBytes());
        }
    }
}
