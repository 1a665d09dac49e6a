package io.tunnelmesh.coordinator.internal;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.tunnelmesh.api.NodeKey;
import io.tunnelmesh.control.ControlHandshake;
import io.tunnelmesh.control.ControlProtocolException;
import io.tunnelmesh.control.RelayFrames;
import io.tunnelmesh.control.relay.RelayFrameHeader;
import io.tunnelmesh.control.relay.RelayHandshake;

/**
 * The server's half of a relay link's handshake: reads the node's Noise message 1, which proves its key, and answers
 * with message 2, empty for a member (its link then registered with the hub) or saying why not. On the link's event
 * loop.
 */
final class RelayAdmission {
    private final RelayHub hub;
    private final RelayLink link;
    private final ChannelHandlerContext ctx;

    RelayAdmission(RelayHub hub, RelayLink link, ChannelHandlerContext ctx) {
        this.hub = hub;
        this.link = link;
        this.ctx = ctx;
    }

    /** A frame of a link not admitted yet: it must be the handshake. */
    void read(ByteBuf buffer, int at, int size) {
        byte type = RelayFrameHeader.type(buffer, at);
        if (type != RelayFrames.HANDSHAKE) {
            hub.counters().badHandshake.increment();
            link.fail(Counters.Kind.BAD_HANDSHAKE, "relay link sent a frame of type " + type + " before its handshake");
            return;
        }
        ControlHandshake.Acceptance acceptance;
        try {
            acceptance = RelayHandshake.accept(hub.key(), buffer, at, size);
        } catch (ControlProtocolException | RuntimeException e) {
            hub.counters().badHandshake.increment();
            link.fail(Counters.Kind.BAD_HANDSHAKE, "relay " + e.getMessage());
            return;
        }
        NodeKey key = acceptance.initiator();
        link.identified(key);
        if (!hub.isMember(key) || !hub.register(key, link)) {
            hub.counters().refused.increment();
            hub.problems().record(Counters.Kind.REFUSED, "relay link of " + key.shortForm() + ": not a member of this mesh");
            reply(acceptance, "node " + key + " is not a member of this mesh (never joined, or removed): join with a new token");
            return; // closed once the refusal is out
        }
        link.admitted();
        hub.gate().authenticated(ctx);
        if (reply(acceptance, "")) {
            link.watchSilence();
        }
    }

    /** Sends Noise message 2 carrying {@code refusal} (empty: admitted). */
    private boolean reply(ControlHandshake.Acceptance acceptance, String refusal) {
        ByteBuf out;
        try {
            out = RelayHandshake.reply(ctx.alloc(), acceptance, refusal);
        } catch (ControlProtocolException | RuntimeException e) {
            hub.counters().badHandshake.increment();
            link.fail(Counters.Kind.BAD_HANDSHAKE, "relay " + e.getMessage());
            return false;
        }
        ctx.writeAndFlush(out).addListener(refusal.isEmpty() ? ChannelFutureListener.FIRE_EXCEPTION_ON_FAILURE : ChannelFutureListener.CLOSE);
        return true;
    }
}
