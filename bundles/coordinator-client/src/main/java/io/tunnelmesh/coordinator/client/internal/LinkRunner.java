package io.tunnelmesh.coordinator.client.internal;

import io.tunnelmesh.api.identity.KeySource;
import io.tunnelmesh.api.identity.KeySourceException;
import io.tunnelmesh.control.ControlProtocolException;
import io.tunnelmesh.support.log.ComponentLog;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.random.RandomGenerator;

/**
 * The long-lived {@code connect} session with the coordinator, on one thread: one {@link LinkSession} after another
 * ({@code map} / {@code delta} into the {@link PeerHub} and the {@link PeerCache}, pings, endpoint reports),
 * reconnecting with {@link Backoff}.
 * Stops for good on {@code bye} (the node was removed) until it is reconfigured, i.e. replaced.
 */
final class LinkRunner implements AutoCloseable {
    private static final Duration STOP_WAIT = Duration.ofSeconds(2);

    private final LinkSettings settings;
    private final KeySource keys;
    private final LinkTimings timings;
    private final InstantSource clock;
    private final ComponentLog log;
    private final Backoff backoff;
    private final PeerFeed peers;
    private final LinkState state;
    private final LinkSession session;
    private final Thread thread;
    private volatile boolean stopped;

    LinkRunner(LinkSettings settings, KeySource keys, LocalReport local, ReflexiveEndpoints reflexive, PeerHub hub,
            PeerCache cache, LinkTimings timings, InstantSource clock, RandomGenerator random, ComponentLog log) {
        this.settings = settings;
        this.keys = keys;
        this.timings = timings;
        this.clock = clock;
        this.log = log;
        this.backoff = new Backoff(timings.backoffBase(), timings.backoffMax(), random);
        this.peers = new PeerFeed(hub, cache);
        this.state = new LinkState(settings.name(), log);
        this.session = new LinkSession(settings, keys, new EndpointReports(local, reflexive, timings.endpointCheck()), peers,
                state, timings, clock, random, log, () -> stopped);
        this.thread = Thread.ofPlatform().daemon().name("tm-coordinator-link").unstarted(this::run);
    }

    /** Delivers the cached map to the hub at once, then starts connecting. */
    void start() {
        try {
            peers.self(keys.identity().publicKey());
        } catch (KeySourceException | RuntimeException e) {
            // the session reports it; the cache is still worth delivering
        }
        peers.relayVia(settings.addresses().getFirst());
        if (peers.restoreCache()) {
            state.peers(peers.size());
            log.info("coordinator link: " + peers.size() + " peers from the cached map until the coordinator answers");
        }
        thread.start();
    }

    LinkStatus status() {
        return state.status();
    }

    private void run() {
        // looked up on the link's thread: a host name that does not resolve can take seconds
        String hostname = HostName.local();
        while (!stopped) {
            String next;
            try {
                session.run(hostname);
                next = state.state();
            } catch (IOException | ControlProtocolException | KeySourceException | RuntimeException e) {
                next = LinkState.CONNECTING;
                state.failed(e instanceof RuntimeException ? e.toString() : e.getMessage());
            } finally {
                peers.flushCache();
            }
            if (stopped || next.equals(LinkState.REMOVED)) {
                return;
            }
            Instant connectedAt = session.connectedAt();
            if (connectedAt != null && Duration.between(connectedAt, clock.instant()).compareTo(timings.stableSession()) > 0) {
                backoff.reset();
            }
            Duration wait = next.equals(LinkState.NOT_A_MEMBER) ? timings.notMemberRetry()
                    : backoff.next(backoff.capFor(peers.size(), timings.backoffFloor()));
            if (!next.equals(LinkState.NOT_A_MEMBER)) {
                state.connecting();
            }
            pause(wait);
        }
    }

    private void pause(Duration wait) {
        try {
            Thread.sleep(wait);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            stopped = true;
        }
    }

    /** Stops the thread: interrupts a wait and closes the connection, so it ends within a connect timeout. */
    @Override
    public void close() {
        stopped = true;
        state.stopped();
        thread.interrupt();
        session.abort();
        try {
            thread.join(STOP_WAIT.toMillis()); // a connect in progress ends by its own timeout; it then sees stopped
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        peers.flushCache();
    }
}
