package io.tunnelmesh.node.internal;

import io.tunnelmesh.api.handshake.PacketOutcome;
import io.tunnelmesh.api.handshake.PeerStats;
import io.tunnelmesh.api.handshake.TunnelPeer;
import java.nio.ByteBuffer;

/** For the test engines without protocol: a peer with no timers, no queue and no statistics of its own. */
abstract class TimerlessPeer implements TunnelPeer {
    @Override
    public void poll(ByteBuffer out, long nowNanos, PacketOutcome outcome) {
        outcome.none(this, false);
    }

    @Override
    public long nextDeadlineNanos() {
        return Long.MAX_VALUE;
    }

    @Override
    public void requestHandshake() {
    }

    @Override
    public void setPersistentKeepalive(int seconds) {
    }

    @Override
    public PeerStats stats() {
        return new PeerStats(null, 0, 0, 0, null);
    }
}
