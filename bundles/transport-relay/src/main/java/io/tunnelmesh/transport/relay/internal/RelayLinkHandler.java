package io.tunnelmesh.transport.relay.internal;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.tunnelmesh.api.StaticKeyPair;
import io.tunnelmesh.api.transport.DatagramReceiver;
import io.tunnelmesh.control.ControlHandshake;
import io.tunnelmesh.control.ControlProtocolException;
import io.tunnelmesh.control.RelayFrames;
import io.tunnelmesh.control.relay.RelayFrameHeader;
import io.tunnelmesh.control.relay.RelayFrameSplitter;
import io.tunnelmesh.control.relay.RelayHandshake;
import java.nio.ByteBuffer;

/**
 * The handler of one channel of a {@link RelayConnection}: proves this node's key (Noise IK, relay prologue), then
 * hands data frames to the node and answers pings; a channel the connection has replaced is ignored. Datagrams go to
 * the node as views of the read buffer ({@link RelayFrameSplitter}), a whole read's worth before {@code batchComplete}.
 */
final class RelayLinkHandler extends ChannelInboundHandlerAdapter implements RelayFrameSplitter.Frames {
    private final RelayConnection link;
    private final StaticKeyPair identity;
    private final DatagramReceiver receiver;
    private final RelayBinding binding;
    private final RelaySenders senders;
    private final RelayFrameSplitter splitter;
    private ChannelHandlerContext ctx;
    private ControlHandshake.Initiation initiation;

    RelayLinkHandler(RelayConnection link, StaticKeyPair identity, DatagramReceiver receiver, RelayBinding binding,
            RelaySenders senders, ByteBufAllocator alloc) {
        this.link = link;
        this.identity = identity;
        this.receiver = receiver;
        this.binding = binding;
        this.senders = senders;
        this.splitter = new RelayFrameSplitter(alloc);
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        this.ctx = ctx;
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) throws Exception {
        try {
            initiation = RelayHandshake.initiate(identity, link.server().key());
        } catch (ControlProtocolException e) {
            link.lost(e.getMessage());
            return;
        }
        ctx.writeAndFlush(RelayHandshake.opening(ctx.alloc(), initiation), ctx.voidPromise());
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        ByteBuf in = (ByteBuf) msg;
        try {
            if (link.isCurrent(ctx.channel()) && !splitter.split(in, this)) {
                link.lost("the server sent a frame longer than " + RelayFrames.MAX_PAYLOAD + " bytes");
            }
        } finally {
            in.release();
        }
    }

    @Override
    public void frame(ByteBuf buffer, int at, int size) {
        if (!link.isCurrent(ctx.channel())) {
            return; // lost() while splitting this read
        }
        byte type = RelayFrameHeader.type(buffer, at);
        if (type == RelayFrames.DATA && link.isEstablished()) {
            ByteBuffer datagram = buffer.internalNioBuffer(at + RelayFrames.HEADER, size - RelayFrames.HEADER);
            receiver.received(datagram, senders.of(buffer, at + RelayFrames.KEY_OFFSET), binding);
        } else if (type == RelayFrames.PING) {
            ctx.write(RelayFrameHeader.pong(buffer, at, size), ctx.voidPromise());
        } else if (type == RelayFrames.HANDSHAKE && !link.isEstablished()) {
            finishHandshake(buffer, at, size);
        }
        // PONG: its arrival is the point; unknown types: a newer server's, ignored
    }

    private void finishHandshake(ByteBuf buffer, int at, int size) {
        String refusal;
        try {
            refusal = RelayHandshake.finish(initiation, buffer, at, size);
        } catch (ControlProtocolException e) {
            link.lost("relay server did not prove key " + link.server().key().shortForm() + " (" + e.getMessage() + ")");
            return;
        }
        if (refusal != null) {
            link.lost("refused: " + refusal);
            return;
        }
        link.admitted();
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        if (!link.isCurrent(ctx.channel())) {
            return;
        }
        link.heard();
        ctx.flush(); // pongs
        receiver.batchComplete(binding);
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) {
        if (link.isCurrent(ctx.channel()) && ctx.channel().isWritable()) {
            link.writeQueued();
        }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        splitter.release();
        if (link.isCurrent(ctx.channel())) {
            link.lost(link.isEstablished() ? "the server closed the link" : "the server closed the link during the handshake");
        }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        if (link.isCurrent(ctx.channel())) {
            link.failed(cause);
        }
    }
}
