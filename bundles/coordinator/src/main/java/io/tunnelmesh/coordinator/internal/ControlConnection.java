package io.tunnelmesh.coordinator.internal;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.tunnelmesh.api.NodeKey;
import io.tunnelmesh.control.ControlSession;
import io.tunnelmesh.control.NodeEntry;
import java.io.IOException;

/**
 * One node's control connection after the preamble, on its Netty event loop: Noise message 1 carrying the
 * hello, the decision and the welcome in message 2 ({@link HelloAnswer}), then for a member the map, deltas and
 * keepalives ({@link EstablishedSession}). This handler routes each frame by the connection's phase and hands
 * the registry's calls to the event loop. Everything that touches the channel or the Noise session runs on the
 * event loop, so frames go out in nonce order.
 */
final class ControlConnection extends ChannelInboundHandlerAdapter implements MemberSession {
    private final ControlContext parts;
    private ControlChannel channel;
    private HandshakeTimer handshakeTimer;
    private HelloAnswer hello;
    private EstablishedSession established;

    ControlConnection(ControlContext parts) {
        this.parts = parts;
    }

    @Override
    public NodeKey key() {
        return hello.key();
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        channel = new ControlChannel(ctx, parts.problems());
        handshakeTimer = new HandshakeTimer(channel, parts.limits().handshakeTimeout());
        hello = new HelloAnswer(parts, channel, handshakeTimer, this);
    }

    /** Removed from the pipeline when the connection turns out to be a relay link: its timer must not close that. */
    @Override
    public void handlerRemoved(ChannelHandlerContext ctx) {
        handshakeTimer.cancel();
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) throws Exception {
        handshakeTimer.start();
        super.channelActive(ctx);
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        byte[] frame;
        ByteBuf buf = (ByteBuf) msg;
        try {
            frame = ByteBufUtil.getBytes(buf);
        } finally {
            buf.release();
        }
        channel.heard();
        switch (channel.phase()) {
            case AWAIT_HELLO -> hello.read(frame);
            case ESTABLISHED -> established.read(frame);
            case DECIDING -> channel.fail(Counters.Kind.BAD_FRAME, "sent a frame before the coordinator's welcome");
            case CLOSING -> { } // the rest of a connection being closed
        }
    }

    @Override
    public void admitted(NodeEntry self, byte[] map) {
        channel.onLoop(() -> {
            if (channel.phase() != ControlChannel.Phase.DECIDING) {
                return;
            }
            ControlSession session = hello.welcome(self);
            if (session == null) {
                return;
            }
            channel.phase(ControlChannel.Phase.ESTABLISHED);
            established = new EstablishedSession(parts, channel, this, session);
            established.start(map);
        });
    }

    @Override
    public void notMember() {
        channel.onLoop(() -> {
            if (channel.phase() == ControlChannel.Phase.DECIDING) {
                hello.refuse(Refusal.NOT_A_MEMBER, "node " + key() + " is not a member of this mesh (never joined, or removed):"
                        + " join with a new token");
            }
        });
    }

    @Override
    public void deliver(byte[] delta) {
        channel.onLoop(() -> {
            if (channel.established()) {
                established.deliver(delta);
            }
        });
    }

    @Override
    public void bye(String reason) {
        channel.onLoop(() -> {
            if (channel.established()) {
                established.bye(reason);
            }
            channel.close();
        });
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) throws Exception {
        handshakeTimer.cancel();
        hello.closed();
        if (established != null) {
            established.closed();
        }
        channel.phase(ControlChannel.Phase.CLOSING);
        super.channelInactive(ctx);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        if (cause instanceof IOException) {
            ctx.close(); // reset by peer and the like: nothing to report
            return;
        }
        channel.fail(Counters.Kind.BAD_FRAME, NodeNames.oneLine(cause));
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) throws Exception {
        if (ctx.channel().isWritable() && established != null) {
            established.writable();
        }
        super.channelWritabilityChanged(ctx);
    }
}
