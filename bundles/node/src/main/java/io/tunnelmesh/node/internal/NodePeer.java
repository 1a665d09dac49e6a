package io.tunnelmesh.node.internal;

import io.tunnelmesh.api.Endpoint;
import io.tunnelmesh.api.NodeKey;
import io.tunnelmesh.api.PeerConfig;
import io.tunnelmesh.api.handshake.DropReason;
import io.tunnelmesh.api.handshake.PeerStats;
import io.tunnelmesh.api.handshake.TunnelPeer;
import io.tunnelmesh.api.node.PeerStatus;
import io.tunnelmesh.api.transport.TransportBinding;
import java.time.Instant;
import java.util.EnumSet;
import java.util.Set;

/**
 * One peer as the node keeps it: what was configured, where it is now ({@link PeerPath}: candidates, roaming),
 * and its protocol state in the current engine. Outlives engines: when the handshake service is replaced the peer gets a new
 * {@link TunnelPeer} and keeps its counters.
 */
final class NodePeer {
    /** A spoofing attempt stays visible even while the peer's genuine traffic flows. */
    private static final String KEEP_UNTIL_REPLACED = NodeDrop.NOT_ALLOWED_SOURCE.name();
    /**
     * The engine's per-peer drop reasons worth showing as the peer's last error. Others (bad or replayed data
     * for one of its sessions) can be caused by anyone who saw its traffic and are only counted.
     */
    private static final Set<DropReason> ABOUT_THE_PEER = EnumSet.of(DropReason.HANDSHAKE_FAILED, DropReason.QUEUE_FULL);
    final NodeKey key;
    private volatile PeerConfig config;
    private final PeerPath path;
    private volatile TunnelPeer tunnel;
    private volatile String lastError;
    private volatile boolean handshakeFailureReported;
    /** Totals of the engines this peer lived in before the current one. */
    private long rxBefore;
    private long txBefore;
    private Instant handshakeBefore;

    NodePeer(PeerConfig config, EndpointResolver resolver) {
        this.key = config.publicKey();
        this.config = config;
        this.path = new PeerPath(key);
        path.configure(config.endpoints(), resolver);
    }

    PeerConfig config() {
        return config;
    }

    /** Replaces the configuration; see {@link PeerPath#configure} for what happens to the path. */
    void reconfigure(PeerConfig newConfig, EndpointResolver resolver) {
        this.config = newConfig;
        path.configure(newConfig.endpoints(), resolver);
    }

    PeerPath path() {
        return path;
    }

    /** Where datagrams to this peer go now, or null. */
    Endpoint endpoint() {
        return path.current();
    }

    TunnelPeer tunnel() {
        return tunnel;
    }

    /** Moves to {@code next} (null when the engine goes away), carrying the old one's counters over. */
    synchronized void attach(TunnelPeer next) {
        TunnelPeer previous = tunnel;
        if (previous != null && previous != next) {
            PeerStats s = previous.stats();
            rxBefore += s.rxBytes();
            txBefore += s.txBytes();
            if (s.latestHandshake() != null) {
                handshakeBefore = s.latestHandshake();
            }
        }
        tunnel = next;
    }

    /** Called only after the engine authenticated a datagram from this peer at {@code source} (roaming). */
    void authenticatedFrom(Endpoint source, TransportBinding via, long nowNanos) {
        authenticatedFrom(source, via, nowNanos, true);
    }

    /** @param canSend see {@link PeerPath#authenticatedFrom(Endpoint, TransportBinding, long, boolean)} */
    void authenticatedFrom(Endpoint source, TransportBinding via, long nowNanos, boolean canSend) {
        path.authenticatedFrom(source, via, nowNanos, canSend);
        heard();
    }

    /** An authenticated path message from the peer: the peer works, whatever the message does to the path. */
    void heard() {
        if (handshakeFailureReported) {
            handshakeFailureReported = false;
        }
        String error = lastError;
        if (error != null && !error.equals(KEEP_UNTIL_REPLACED)) {
            // the peer works now: a handshake failure or a missing endpoint is history
            lastError = null;
        }
    }

    /** @return true the first time since the last authenticated packet, so the caller logs once. */
    boolean handshakeFailed() {
        lastError = DropReason.HANDSHAKE_FAILED.name();
        if (handshakeFailureReported) {
            return false;
        }
        handshakeFailureReported = true;
        return true;
    }

    void noteError(String error) {
        if (!error.equals(lastError)) {
            lastError = error;
        }
    }

    synchronized PeerStatus status() {
        PeerConfig c = config;
        TunnelPeer t = tunnel;
        PeerStats s = t == null ? null : t.stats();
        Instant handshake = s != null && s.latestHandshake() != null ? s.latestHandshake() : handshakeBefore;
        String error = lastError;
        if (error == null && s != null && ABOUT_THE_PEER.contains(s.lastError())) {
            error = s.lastError().name();
        }
        return new PeerStatus(key, path.current(), path.status(), c.allowedIps(), handshake,
                rxBefore + (s == null ? 0 : s.rxBytes()), txBefore + (s == null ? 0 : s.txBytes()),
                c.persistentKeepaliveSeconds(), error, c.name(), path.rttNanos(), path.whyRelayed(System.nanoTime()));
    }
}
