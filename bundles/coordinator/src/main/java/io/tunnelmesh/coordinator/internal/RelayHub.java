package io.tunnelmesh.coordinator.internal;

import io.netty.channel.ChannelPipeline;
import io.netty.channel.WriteBufferWaterMark;
import io.tunnelmesh.api.NodeKey;
import io.tunnelmesh.api.StaticKeyPair;
import java.time.Duration;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Predicate;

/**
 * The relay: which member has a relay link open, by key. A link is registered after its handshake, when its key is a
 * member; a removed member's link is closed. Each link forwards on its own event loop; this map is the only shared
 * state and is read only when a link meets a recipient it has not cached.
 */
final class RelayHub {
    /**
     * Per-link outbound bound: past the high mark frames for the link are dropped (and counted), so a node that
     * never reads costs at most this much memory here. 2 MiB holds ~1400 full-size datagrams, ~16 ms at 1 Gbit/s:
     * room for a sender's burst while the recipient's event loop waits for a core.
     */
    static final WriteBufferWaterMark WATER_MARK = new WriteBufferWaterMark(1 << 20, 2 << 20);

    private final StaticKeyPair key;
    private final Predicate<NodeKey> isMember;
    private final Duration handshakeTimeout;
    private final ConnectionGate gate;
    private final RateLimitedLog problems;
    private final RelayCounters counters = new RelayCounters();
    private final ConcurrentHashMap<NodeKey, RelayLink> links = new ConcurrentHashMap<>();

    RelayHub(StaticKeyPair key, Predicate<NodeKey> isMember, Duration handshakeTimeout, ConnectionGate gate,
            RateLimitedLog problems) {
        this.key = key;
        this.isMember = isMember;
        this.handshakeTimeout = handshakeTimeout;
        this.gate = gate;
        this.problems = problems;
    }

    /** Turns a connection that sent {@code TMR1} into a relay link: the control handlers make way for the relay's. */
    void install(ChannelPipeline pipeline) {
        pipeline.remove(FrameDecoder.class);
        pipeline.remove(ControlConnection.class);
        pipeline.channel().config().setWriteBufferWaterMark(WATER_MARK);
        pipeline.addLast(new RelayLink(this));
    }

    StaticKeyPair key() {
        return key;
    }

    Duration handshakeTimeout() {
        return handshakeTimeout;
    }

    ConnectionGate gate() {
        return gate;
    }

    RateLimitedLog problems() {
        return problems;
    }

    RelayCounters counters() {
        return counters;
    }

    boolean isMember(NodeKey node) {
        return isMember.test(node);
    }

    /**
     * Registers an authenticated link, replacing (closing) an older one of the same key. Checked for membership
     * after it is visible, so a removal running at the same time either sees the link or the link sees the removal.
     *
     * @return false when the key is not (or no longer) a member; the caller closes the link
     */
    boolean register(NodeKey node, RelayLink link) {
        RelayLink old = links.put(node, link);
        if (old != null && old != link) {
            old.close();
        }
        if (!isMember.test(node)) {
            links.remove(node, link);
            return false;
        }
        return true;
    }

    void unregister(NodeKey node, RelayLink link) {
        links.remove(node, link);
    }

    RelayLink link(NodeKey node) {
        return links.get(node);
    }

    /** The member was removed: its relay link closes, and frames for it are dropped from now on. */
    void removed(NodeKey node) {
        RelayLink link = links.remove(node);
        if (link != null) {
            link.close();
        }
    }

    RelayCounters.Counts counts() {
        long queued = 0;
        for (RelayLink link : links.values()) {
            queued += link.queuedBytes();
        }
        return counters.counts(queued);
    }
}
