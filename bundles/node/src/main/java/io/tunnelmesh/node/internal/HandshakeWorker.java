package io.tunnelmesh.node.internal;

import io.tunnelmesh.api.handshake.DropReason;
import io.tunnelmesh.api.handshake.PacketOutcome;
import io.tunnelmesh.api.handshake.TunnelEngine;
import io.tunnelmesh.support.log.ComponentLog;
import java.nio.ByteBuffer;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * The handshake path, on its own thread (wireguard-go's RoutineHandshake):
 *
 * <pre>
 *   HandshakeQueue ─► under load? (its length) ─► engine: mac1, under load cookie/mac2, rate limit, Diffie-Hellman
 *        ─► answer the source (response, cookie reply) ─► roam to the source ─► send what the peer released
 * </pre>
 *
 * Diffie-Hellman never runs on a receive thread, so a flood of initiations cannot delay the decryption of
 * established sessions: it fills this queue, and what does not fit is dropped where it arrived.
 */
final class HandshakeWorker implements Runnable {
    private static final long IDLE_WAIT_NANOS = TimeUnit.MILLISECONDS.toNanos(250);
    /** Replies are flushed when the queue runs dry, and at least this often during a flood. */
    private static final int FLUSH_EVERY = 32;

    private final HandshakeQueue queue;
    private final Supplier<PeerSet> peerSet;
    private final Egress egress;
    private final DropCounters drops;
    private final Faults faults;
    private final ComponentLog log;
    private final HandshakeLoad load;
    /** The engine last told it is under load (a new engine starts out not). */
    private TunnelEngine toldUnderLoad;
    /** A flood whose hosts are shed comes back each time a shed lapses; one warning per episode, not per return. */
    private final OncePerMinute underLoadWarning = new OncePerMinute();
    private final PacketBuffers buffers = new PacketBuffers();
    private volatile boolean running = true;
    private volatile Thread thread;

    HandshakeWorker(HandshakeQueue queue, HandshakeLoad load, Supplier<PeerSet> peerSet, Egress egress,
            DropCounters drops, Faults faults, ComponentLog log) {
        this.queue = queue;
        this.load = load;
        this.peerSet = peerSet;
        this.egress = egress;
        this.drops = drops;
        this.faults = faults;
        this.log = log;
    }

    @Override
    public void run() {
        thread = Thread.currentThread();
        int unflushed = 0;
        while (running) {
            HandshakeQueue.Message m;
            try {
                m = queue.poll(IDLE_WAIT_NANOS);
            } catch (InterruptedException e) {
                return;
            }
            if (m == null) {
                continue;
            }
            try {
                handle(m, System.nanoTime());
            } catch (RuntimeException | LinkageError e) { // LinkageError: code of a replaced bundle's old revision
                drops.count(NodeDrop.INTERNAL_ERROR);
                faults.report("processing a handshake message from " + m.source + " failed: " + e);
            } finally {
                queue.release(m);
            }
            if (++unflushed == FLUSH_EVERY || queue.length() == 0) {
                egress.flush();
                unflushed = 0;
            }
        }
    }

    /** Lets the engine check and answer one handshake message. */
    void handle(HandshakeQueue.Message m, long nowNanos) {
        PeerSet set = peerSet.get();
        if (set.engine == null) {
            drops.count(NodeDrop.NO_HANDSHAKE_SERVICE);
            return;
        }
        load.queueLength(queue.length(), nowNanos);
        boolean underLoad = load.underLoad(nowNanos);
        if (underLoad != (toldUnderLoad == set.engine)) {
            set.engine.setUnderLoad(underLoad);
            toldUnderLoad = underLoad ? set.engine : null;
            if (underLoad && underLoadWarning.due(nowNanos)) {
                log.warn("handshake messages arrive faster than this node handles them: demanding cookies"
                        + " (WireGuard's under-load mode) until the flood stops; hosts that flood get their initiations"
                        + " dropped by their transport for " + InitiationShedding.SHED_SECONDS + " s at a time. Said at most once a minute.");
            }
        }
        ByteBuffer out = buffers.out;
        PacketOutcome outcome = buffers.outcome;
        out.clear();
        set.engine.receive(m.bytes, m.source, out, nowNanos, outcome);
        NodePeer peer = set.of(outcome.peer());
        boolean authenticated = outcome.authenticated() && peer != null;
        if (authenticated) {
            // roam before answering, so the answer and what the handshake released go to the new endpoint
            // an initiation we answer (SEND_TO_SOURCE) leaves us waiting for the initiator's first data
            peer.authenticatedFrom(m.source, m.via, nowNanos, outcome.action() != PacketOutcome.Action.SEND_TO_SOURCE);
        }
        switch (outcome.action()) {
            case SEND_TO_SOURCE -> {
                if (!m.via.send(out, m.source)) {
                    drops.count(NodeDrop.TRANSPORT_REJECTED);
                }
            }
            case SEND_TO_PEER -> {
                if (peer != null) {
                    egress.send(peer, out);
                }
            }
            case DROP -> dropped(peer, outcome.dropReason());
            default -> {
            }
        }
        if (authenticated) {
            egress.poll(peer, out, outcome, nowNanos);
        }
    }

    /**
     * Only a failed handshake says something about the peer's own configuration; other drops that name a peer
     * can come from anyone who saw its traffic, so they stay in the counters and the peer's statistics.
     */
    private void dropped(NodePeer peer, DropReason reason) {
        if (peer != null && reason == DropReason.HANDSHAKE_FAILED && peer.handshakeFailed()) {
            log.warn("handshake with peer " + peer.key + " failed: its reply did not authenticate; most likely"
                    + " the two nodes use different mesh pre-shared keys (psk.file). Logged once until it recovers.");
        }
    }

    void stop() {
        running = false;
        Thread t = thread;
        if (t != null) {
            t.interrupt();
        }
    }
}
