package io.tunnelmesh.coordinator.internal;

import io.netty.channel.Channel;
import io.tunnelmesh.api.NodeKey;
import io.tunnelmesh.api.coordinator.AdmissionException;
import io.tunnelmesh.api.coordinator.NodeRecord;
import io.tunnelmesh.control.ControlHandshake;
import io.tunnelmesh.control.ControlMessage;
import io.tunnelmesh.control.ControlProtocolException;
import io.tunnelmesh.control.ControlSession;
import io.tunnelmesh.control.Hello;
import io.tunnelmesh.control.NodeEntry;
import io.tunnelmesh.control.Welcome;
import java.util.List;
import java.util.concurrent.CompletionException;

/**
 * The coordinator's side of the handshake: Noise message 1 with the hello, the decision (a store thread for
 * {@code join}, the registry thread for {@code connect}), and the answer in message 2, a welcome or a refusal.
 */
final class HelloAnswer {
    private final ControlContext parts;
    private final ControlChannel channel;
    private final HandshakeTimer timer;
    private final MemberSession session;
    private ControlHandshake.Acceptance acceptance;
    private NodeKey key;
    private boolean connecting; // handed to the registry, which must hear when it ends

    HelloAnswer(ControlContext parts, ControlChannel channel, HandshakeTimer timer, MemberSession session) {
        this.parts = parts;
        this.channel = channel;
        this.timer = timer;
        this.session = session;
    }

    /** The node's key, once message 1 proved it. */
    NodeKey key() {
        return key;
    }

    void read(byte[] message1) {
        try {
            acceptance = ControlHandshake.accept(parts.key(), message1);
        } catch (ControlProtocolException | RuntimeException e) {
            channel.fail(Counters.Kind.BAD_HANDSHAKE, e.getMessage());
            return;
        }
        key = acceptance.initiator();
        // The client's part is done; the wait for the store is ours. Connections waiting for it still count
        // as unauthenticated until the welcome, so the gate bounds them.
        timer.cancel();
        Hello hello;
        try {
            hello = hello(acceptance.payload());
        } catch (Refusal r) {
            refuse(r.code(), r.getMessage());
            return;
        }
        List<String> endpoints = Endpoints.merge(channel.remoteIp(), hello.listenPort(), hello.endpoints());
        channel.phase(ControlChannel.Phase.DECIDING);
        if (Hello.JOIN.equals(hello.mode())) {
            Channel ch = channel.ctx().channel();
            parts.store().submit(() -> parts.admission().join(key, hello, endpoints))
                    .whenComplete((record, error) -> ch.eventLoop().execute(() -> joinDecided(record, error)));
        } else if (Hello.CONNECT.equals(hello.mode())) {
            connecting = true;
            parts.registry().connect(session, endpoints);
        } else {
            refuse(Refusal.BAD_HELLO, "hello mode must be \"join\" or \"connect\", not \"" + NodeNames.oneLine(hello.mode()) + "\"");
        }
    }

    private Hello hello(byte[] payload) throws Refusal {
        Hello hello;
        try {
            ControlMessage first = parts.codec().decode(payload);
            if (!(first instanceof Hello h)) {
                throw new Refusal(Refusal.BAD_HELLO, "the first message must be a hello, not " + first.getClass().getSimpleName());
            }
            hello = h;
        } catch (ControlProtocolException e) {
            throw new Refusal(Refusal.BAD_HELLO, e.getMessage());
        }
        if (hello.version() != 1) {
            throw new Refusal(Refusal.UNSUPPORTED_VERSION, "this coordinator speaks control protocol version 1, the node asked for "
                    + hello.version() + ": use matching TunnelMesh/J versions");
        }
        return hello;
    }

    private void joinDecided(NodeRecord record, Throwable error) {
        if (channel.phase() != ControlChannel.Phase.DECIDING) {
            return; // timed out or closed meanwhile; the admission stands, the node may simply join again
        }
        Throwable cause = error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
        if (cause == null) {
            parts.registry().joined(record);
            if (welcome(new Member(record).entry()) != null) {
                parts.log().info("node " + record.name() + " (" + key.shortForm() + ") joined");
            }
            channel.close(); // join is one exchange; the node connects again for its map
        } else if (cause instanceof Refusal r) {
            refuse(r.code(), r.getMessage());
        } else if (cause instanceof AdmissionException a) {
            refuse(a.reason().name(), a.getMessage());
        } else {
            parts.problems().record(Counters.Kind.STORE_ERROR, "join of " + key.shortForm() + ": " + cause.getMessage());
            refuse(Refusal.INTERNAL, "the coordinator could not record the join (" + NodeNames.oneLine(cause)
                    + "); try again later");
        }
    }

    /** Welcomes the node as {@code self}; null (and closed) when the reply cannot be made. */
    ControlSession welcome(NodeEntry self) {
        return answer(new Welcome(null, null, self, parts.mesh().psk().toBase64(), parts.mesh().ipv4Cidr().toString(),
                parts.mesh().ipv6Prefix().toString()));
    }

    void refuse(String code, String message) {
        parts.problems().record(Counters.Kind.REFUSED, (key == null ? "" : "node " + key.shortForm() + ": ") + code
                + ": " + message);
        if (acceptance != null && answer(new Welcome(message, code, null, null, null, null)) != null) {
            channel.close();
        } else {
            channel.ctx().close();
        }
    }

    /** The connection ended: a {@code connect} the registry took must leave it. */
    void closed() {
        if (connecting) {
            parts.registry().disconnected(session);
        }
    }

    /** Answers the hello; null (and closed) when the reply cannot be made. */
    private ControlSession answer(Welcome welcome) {
        ControlHandshake.Reply reply;
        try {
            reply = acceptance.reply(parts.codec().encode(welcome));
        } catch (ControlProtocolException | RuntimeException e) {
            channel.fail(Counters.Kind.BAD_HANDSHAKE, e.getMessage());
            return null;
        }
        acceptance = null;
        parts.gate().authenticated(channel.ctx());
        channel.writeFrame(reply.message());
        channel.ctx().flush();
        return reply.session();
    }
}
