package io.tunnelmesh.coordinator.client.internal;

import io.tunnelmesh.api.IpPrefix;
import io.tunnelmesh.api.identity.KeySource;
import io.tunnelmesh.api.identity.KeySourceException;
import io.tunnelmesh.api.identity.NodeIdentity;
import io.tunnelmesh.control.Bye;
import io.tunnelmesh.control.ControlCodec;
import io.tunnelmesh.control.ControlMessage;
import io.tunnelmesh.control.ControlProtocolException;
import io.tunnelmesh.control.EndpointsReport;
import io.tunnelmesh.control.PeerDelta;
import io.tunnelmesh.control.PeerMap;
import io.tunnelmesh.control.Ping;
import io.tunnelmesh.control.Pong;
import io.tunnelmesh.control.Welcome;
import io.tunnelmesh.support.log.ComponentLog;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.random.RandomGenerator;

/**
 * The long-lived {@code connect} session with the coordinator, on one thread: connect, hello, welcome, then
 * {@code map} / {@code delta} into the {@link PeerHub} and the {@link PeerCache}; pings when the coordinator is
 * silent, closes after the silence limit, reports endpoints (local and, through STUN, reflexive) when they change;
 * reconnects with {@link Backoff}.
 * Stops for good on {@code bye} (the node was removed) until it is reconfigured, i.e. replaced.
 */
final class LinkRunner implements AutoCloseable {
    static final String NOT_A_MEMBER = "NOT_A_MEMBER";
    private static final Duration STOP_WAIT = Duration.ofSeconds(2);

    private final LinkSettings settings;
    private final KeySource keys;
    private final LocalReport local;
    private final ReflexiveEndpoints reflexive;
    private final PeerHub hub;
    private final PeerCache cache;
    private final LinkTimings timings;
    private final InstantSource clock;
    private final RandomGenerator random;
    private final ComponentLog log;
    private final CoordinatorDialer dialer;
    private final ControlCodec codec = new ControlCodec();
    private final Backoff backoff;
    private final MeshMap map = new MeshMap();
    /** Looked up on the link's thread: a host name that does not resolve can take seconds. */
    private String hostname;
    private final Thread thread;

    private volatile boolean stopped;
    private volatile ControlConnection connection;
    private volatile String state = "connecting";
    private volatile String address;
    private volatile Instant lastUpdate;
    private volatile int failures;
    private volatile String lastError;
    private volatile int peers;
    private List<IpPrefix> meshPrefixes = List.of();
    /** When the current session was established; null while there is none (link thread only). */
    private Instant connectedAt;

    LinkRunner(LinkSettings settings, KeySource keys, LocalReport local, ReflexiveEndpoints reflexive, PeerHub hub,
            PeerCache cache, LinkTimings timings, InstantSource clock, RandomGenerator random, ComponentLog log) {
        this.settings = settings;
        this.keys = keys;
        this.local = local;
        this.reflexive = reflexive;
        this.hub = hub;
        this.cache = cache;
        this.timings = timings;
        this.clock = clock;
        this.random = random;
        this.log = log;
        this.dialer = new CoordinatorDialer(timings.connectTimeout());
        this.backoff = new Backoff(timings.backoffBase(), timings.backoffMax(), random);
        this.thread = Thread.ofPlatform().daemon().name("tm-coordinator-link").unstarted(this::run);
    }

    /** Delivers the cached map to the hub at once, then starts connecting. */
    void start() {
        try {
            map.self(keys.identity().publicKey());
        } catch (KeySourceException | RuntimeException e) {
            // the session reports it; the cache is still worth delivering
        }
        map.relayVia(settings.addresses().getFirst());
        List<io.tunnelmesh.control.NodeEntry> cached = cache.load();
        if (!cached.isEmpty()) {
            hub.replaceAll(map.replace(cached));
            peers = map.size();
            log.info("coordinator link: " + peers + " peers from the cached map until the coordinator answers");
        }
        thread.start();
    }

    LinkStatus status() {
        return new LinkStatus(state, address, settings.name(), peers, lastUpdate, failures, lastError);
    }

    private void run() {
        hostname = HostName.local();
        while (!stopped) {
            String next;
            try {
                session();
                next = state;
            } catch (IOException | ControlProtocolException | KeySourceException | RuntimeException e) {
                next = "connecting";
                failed(e instanceof RuntimeException ? e.toString() : e.getMessage());
            } finally {
                cache.flush();
                connection = null;
            }
            if (stopped || next.equals("removed")) {
                return;
            }
            if (connectedAt != null && Duration.between(connectedAt, clock.instant()).compareTo(timings.stableSession()) > 0) {
                backoff.reset();
            }
            connectedAt = null;
            Duration wait = next.equals("not a member") ? timings.notMemberRetry()
                    : backoff.next(backoff.capFor(map.size(), timings.backoffFloor()));
            if (!next.equals("not a member")) {
                state = "connecting";
            }
            pause(wait);
        }
    }

    /** One connection, until it ends; {@link #state} says how (removed, not a member) when it ends without an error. */
    private void session() throws IOException, ControlProtocolException, KeySourceException {
        NodeIdentity identity = keys.identity();
        map.self(identity.publicKey());
        EndpointsReport reported = report(reflexive.current());
        CoordinatorDialer.Dialed dialed = dialer.dial(settings.addresses());
        map.relayVia(dialed.address());
        try (ControlConnection c = ControlConnection.open(dialed, identity.keyPair(), settings.coordinatorKey(),
                NodeHello.connect(identity, settings.name(), hostname, reported), codec, timings.handshakeTimeout())) {
            connection = c;
            address = c.address().toString();
            if (stopped || !welcomed(c.welcome())) {
                return;
            }
            connectedAt = clock.instant();
            failures = 0;
            lastError = null;
            state = "connected";
            log.info("connected to coordinator at " + address);
            reflexive.askSoon();
            exchange(c, reported);
        }
    }

    /** @return whether the coordinator took us as a member; NOT_A_MEMBER empties the map, other refusals throw */
    private boolean welcomed(Welcome welcome) throws ControlProtocolException {
        if (welcome.error() == null && welcome.errorCode() == null) {
            meshPrefixes = prefixes(welcome);
            return true;
        }
        if (NOT_A_MEMBER.equals(welcome.errorCode())) {
            if (!state.equals("not a member")) {
                log.warn("coordinator at " + address + " says this node is not a member (" + NOT_A_MEMBER + "): no peers from it;"
                        + " run 'tunnelmesh join TOKEN' to join again; asking again every " + timings.notMemberRetry().toMinutes() + " min");
            }
            state = "not a member";
            lastError = welcome.error();
            hub.replaceAll(map.replace(List.of()));
            peers = 0;
            cache.save(map.entries());
            return false;
        }
        throw new ControlProtocolException("coordinator at " + address + " refused the connection: " + welcome.error()
                + (welcome.errorCode() == null ? "" : " (" + welcome.errorCode() + ")"));
    }

    /** Reads until the connection ends; returns normally after {@code bye} or when stopped. */
    private void exchange(ControlConnection c, EndpointsReport reported) throws IOException, ControlProtocolException {
        c.pollEvery(timings.tick());
        Instant now = clock.instant();
        Instant heard = now;
        Instant pinged = now;
        Instant nextEndpointCheck = now.plus(timings.endpointCheck());
        List<String> reflexiveReported = reflexive.current();
        while (!stopped) {
            long framesBefore = c.framesRead();
            ControlMessage message = c.poll();
            now = clock.instant();
            if (c.framesRead() != framesBefore) {
                heard = now;
            }
            if (message != null && handle(c, message, now)) {
                return;
            }
            Duration silence = Duration.between(heard, now);
            if (silence.compareTo(timings.silenceLimit()) >= 0) {
                throw new IOException("no word from coordinator at " + address + " for " + silence.toSeconds() + " s");
            }
            if (silence.compareTo(timings.pingAfter()) >= 0 && Duration.between(pinged, now).compareTo(timings.pingAfter()) >= 0) {
                c.send(new Ping(random.nextLong()));
                pinged = now;
            }
            reflexive.refresh(c.address(), now);
            List<String> reflexiveNow = reflexive.current();
            if (!now.isBefore(nextEndpointCheck) || !reflexiveNow.equals(reflexiveReported)) {
                EndpointsReport current = report(reflexiveNow);
                if (!current.equals(reported)) {
                    c.send(current);
                    reported = current;
                }
                reflexiveReported = reflexiveNow;
                nextEndpointCheck = now.plus(timings.endpointCheck());
            }
            cache.flushIfDue();
        }
    }

    /** The local endpoints with the reflexive ones (STUN) in front. */
    private EndpointsReport report(List<String> reflexiveEndpoints) {
        return ReflexiveEndpoints.withReflexive(local.current(meshPrefixes), reflexiveEndpoints);
    }

    /** @return true after {@code bye} */
    private boolean handle(ControlConnection c, ControlMessage message, Instant now) throws IOException {
        switch (message) {
            case PeerMap m -> {
                hub.replaceAll(map.replace(m.peers()));
                updated(now);
            }
            case PeerDelta d -> {
                MeshMap.Change change = map.apply(d);
                hub.update(change.upserts(), change.removed());
                updated(now);
            }
            case Ping p -> c.send(new Pong(p.nonce()));
            case Bye b -> {
                removed(b);
                return true;
            }
            default -> {
                // pong, or a message only the coordinator receives: nothing to do
            }
        }
        return false;
    }

    private void updated(Instant now) {
        lastUpdate = now;
        peers = map.size();
        cache.save(map.entries());
    }

    private void removed(Bye bye) {
        hub.replaceAll(map.replace(List.of()));
        peers = 0;
        cache.delete();
        log.warn("removed from the mesh by coordinator at " + address + (bye.reason() == null ? "" : " (" + bye.reason() + ")")
                + ": dropped every coordinator peer; run 'tunnelmesh join TOKEN' with a new token to rejoin");
        lastError = bye.reason();
        state = "removed";
    }

    private void failed(String message) {
        failures++;
        String line = message == null ? "connection failed" : message.lines().findFirst().orElse(message);
        if (!line.equals(lastError)) {
            log.warn("coordinator link: " + line + "; retrying with backoff (peers stay as they are)");
        }
        lastError = line;
    }

    private void pause(Duration wait) {
        try {
            Thread.sleep(wait);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            stopped = true;
        }
    }

    private static List<IpPrefix> prefixes(Welcome welcome) {
        List<IpPrefix> out = new ArrayList<>(2);
        for (String cidr : new String[] {welcome.ipv4Cidr(), welcome.ipv6Prefix()}) {
            try {
                if (cidr != null) {
                    out.add(IpPrefix.parse(cidr));
                }
            } catch (IllegalArgumentException e) {
                // not worth failing the session: only the endpoint filter uses it
            }
        }
        return List.copyOf(out);
    }

    /** Stops the thread: interrupts a wait and closes the connection, so it ends within a connect timeout. */
    @Override
    public void close() {
        stopped = true;
        state = "stopped";
        thread.interrupt();
        ControlConnection c = connection;
        if (c != null) {
            c.close();
        }
        try {
            thread.join(STOP_WAIT.toMillis()); // a connect in progress ends by its own timeout; it then sees stopped
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        cache.flush();
    }
}
