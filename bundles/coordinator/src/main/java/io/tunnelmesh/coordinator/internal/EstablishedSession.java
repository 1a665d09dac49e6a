package io.tunnelmesh.coordinator.internal;

import io.tunnelmesh.api.NodeKey;
import io.tunnelmesh.control.Bye;
import io.tunnelmesh.control.ControlMessage;
import io.tunnelmesh.control.ControlProtocolException;
import io.tunnelmesh.control.ControlSession;
import io.tunnelmesh.control.EndpointsReport;
import io.tunnelmesh.control.Ping;
import io.tunnelmesh.control.Pong;
import java.util.Optional;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

/**
 * A member's session after the welcome, on the connection's event loop: the map, deltas and bye go out through
 * the {@link SessionOutbox}; the node's endpoint reports go to the registry, its pings are answered, and its
 * silence is watched.
 */
final class EstablishedSession {
    private final ControlContext parts;
    private final ControlChannel channel;
    private final MemberSession member;
    private final NodeKey key;
    private final ControlSession session;
    private final SessionOutbox outbox;
    private ScheduledFuture<?> keepalive;
    private long lastPingNanos;

    EstablishedSession(ControlContext parts, ControlChannel channel, MemberSession member, ControlSession session) {
        this.parts = parts;
        this.channel = channel;
        this.member = member;
        this.key = member.key();
        this.session = session;
        this.outbox = new SessionOutbox(channel, session, parts.mapPermits(), key, parts.limits().maxPendingBytes());
    }

    /** Starts the keepalive and sends the map. */
    void start(byte[] map) {
        long tick = Math.max(1, parts.limits().pingAfter().toMillis() / 3);
        keepalive = channel.ctx().executor().scheduleAtFixedRate(this::keepalive, tick, tick, TimeUnit.MILLISECONDS);
        outbox.map(map);
    }

    void read(byte[] frame) {
        Optional<ControlMessage> message;
        try {
            byte[] whole = session.open(frame);
            if (whole == null) {
                return; // more parts to come
            }
            message = parts.codec().decodeIfKnown(whole);
        } catch (ControlProtocolException e) {
            channel.fail(Counters.Kind.BAD_MESSAGE, "node " + key.shortForm() + ": " + e.getMessage());
            return;
        }
        switch (message.orElse(null)) {
            case EndpointsReport report ->
                    parts.registry().endpoints(member, Endpoints.merge(channel.remoteIp(), report.listenPort(), report.endpoints()));
            case Ping ping -> outbox.enqueue(parts.codec().encode(new Pong(ping.nonce())));
            case null, default -> { } // pong, or a message a newer node may send: ignored
        }
    }

    void deliver(byte[] delta) {
        outbox.enqueue(delta);
    }

    void bye(String reason) {
        outbox.sendLast(parts.codec().encode(new Bye(reason)));
    }

    /** The channel can take more: the outbox goes on. */
    void writable() {
        outbox.drain();
    }

    void closed() {
        if (keepalive != null) {
            keepalive.cancel(false);
        }
        outbox.close();
    }

    /**
     * Pings after {@code pingAfter} of silence from the node, closes after {@code silenceLimit}. Checked a few
     * times per ping interval, on the event loop (no extra handler, so no netty-handler bundle at run time).
     */
    private void keepalive() {
        if (!channel.established()) {
            return;
        }
        long now = System.nanoTime();
        long silent = now - channel.lastReadNanos();
        if (silent >= parts.limits().silenceLimit().toNanos()) {
            channel.fail(Counters.Kind.IDLE_TIMEOUT, "node " + key.shortForm() + " silent for " + silent / 1_000_000_000 + " s");
        } else if (silent >= parts.limits().pingAfter().toNanos() && now - lastPingNanos >= parts.limits().pingAfter().toNanos()) {
            lastPingNanos = now;
            outbox.enqueue(parts.codec().encode(new Ping(ThreadLocalRandom.current().nextLong())));
        }
    }
}
