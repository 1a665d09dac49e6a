package io.tunnelmesh.node.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tunnelmesh.api.Endpoint;
import io.tunnelmesh.api.EndpointSpec;
import io.tunnelmesh.api.NodeKey;
import io.tunnelmesh.api.transport.DatagramReceiver;
import io.tunnelmesh.api.transport.Transport;
import io.tunnelmesh.api.transport.TransportBinding;
import io.tunnelmesh.api.transport.TransportOptions;
import io.tunnelmesh.support.log.ComponentLog;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The path rule in virtual time: {@link PeerPath} fed with authenticated datagrams, pongs and sends at chosen
 * instants, its timer turns ({@link PeerPath#maintain}) run by hand, and what it would send recorded.
 */
class PeerPathTest {
    private static final long S = TimeUnit.SECONDS.toNanos(1);
    private static final long MS = TimeUnit.MILLISECONDS.toNanos(1);
    /** Any instant: the rule only compares differences. */
    private static final long T0 = 1_000 * S;

    private final TransportBindings transports = new TransportBindings(51820, ComponentLog.SILENT);
    private final EndpointResolver resolver = new EndpointResolver(transports, ComponentLog.SILENT);
    private final PeerPath path = new PeerPath(NodeKey.of(new byte[32]));
    private final List<String> sent = new ArrayList<>();
    private final ProbeSender recorder = new ProbeSender() {
        @Override
        public void ping(Endpoint to) {
            sent.add("ping " + to);
        }

        @Override
        public void callMeMaybe(Endpoint via) {
            sent.add("call-me-maybe " + via);
        }
    };
    private final TransportBinding binding;

    PeerPathTest() {
        transports.open(new DatagramReceiver() {
            @Override
            public void received(ByteBuffer datagram, Endpoint source, TransportBinding via) {
            }

            @Override
            public void batchComplete(TransportBinding via) {
            }
        });
        transports.offer(new TransportBindings.Offer(new FakeTransport("udp", false), "udp", 0, 1));
        transports.offer(new TransportBindings.Offer(new FakeTransport("relay", true), "relay", 0, 2));
        binding = transports.binding("udp");
    }

    private static Endpoint udp(String hostPort) {
        String[] p = hostPort.split(":");
        return new MemoryNetwork.MemoryEndpoint("udp", p[0], Integer.parseInt(p[1]), false);
    }

    private static Endpoint relay(String hostPort) {
        String[] p = hostPort.split(":");
        return new MemoryNetwork.MemoryEndpoint("relay", p[0], Integer.parseInt(p[1]), true);
    }

    private void configure(String endpoints) {
        path.configure(EndpointSpec.parseList(endpoints), resolver);
    }

    private List<String> turn(long now) {
        sent.clear();
        path.maintain(now, false, recorder);
        return List.copyOf(sent);
    }

    @Test
    void relayFirstThenEveryDirectCandidateIsProbedWithACallMeMaybeThroughTheRelay() {
        configure("udp:192.168.1.2:51820, udp:203.0.113.2:51820, relay:198.51.100.1:443");
        assertEquals(relay("198.51.100.1:443"), path.current(), "relay first: it works at once");
        assertEquals(List.of(), turn(T0), "no session yet: a probe would only wait in the engine's queue");
        assertEquals("2 candidates not probed yet (no session)", path.whyRelayed(T0));

        path.authenticatedFrom(relay("198.51.100.1:443"), binding, T0, true); // the handshake's answer
        assertEquals(List.of("ping relay:198.51.100.1:443", "ping udp:192.168.1.2:51820", "ping udp:203.0.113.2:51820",
                "call-me-maybe relay:198.51.100.1:443"), turn(T0 + MS), "the relay's round trip, and a round to every direct one");
        path.pong(relay("198.51.100.1:443"), binding, 30 * MS, T0 + 31 * MS);
        assertEquals(30 * MS, path.rttNanos(), "tm:peers shows the relay's round trip");
        assertEquals(relay("198.51.100.1:443"), path.current());
        assertEquals(List.of(), turn(T0 + S), "rounds are " + PathTimes.PROBE_INTERVAL / MS + " ms apart");
        assertEquals(3, turn(T0 + MS + PathTimes.PROBE_INTERVAL).size());
        assertEquals("2 candidates tried, no answer", path.whyRelayed(T0 + 3 * S));
        long now = T0 + MS + PathTimes.PROBE_INTERVAL;
        for (int round = 3; round <= PathTimes.FAST_ROUNDS; round++) {
            now += PathTimes.PROBE_INTERVAL;
            assertEquals(3, turn(now).size(), "round " + round);
        }
        assertEquals(List.of(), turn(now + PathTimes.PROBE_INTERVAL), "then slower");
        assertEquals(3, turn(now + PathTimes.SLOW_PROBE_INTERVAL).size());
    }

    @Test
    void theFirstDirectPongTakesThePathAndAClearlyFasterOneLaterTakesItOver() {
        configure("udp:203.0.113.2:51820, udp:192.168.1.2:51820, relay:198.51.100.1:443");
        path.authenticatedFrom(relay("198.51.100.1:443"), binding, T0, true);
        turn(T0);
        path.pong(udp("203.0.113.2:51820"), binding, 9 * MS, T0 + 9 * MS);
        assertEquals(udp("203.0.113.2:51820"), path.current());
        assertEquals(9 * MS, path.rttNanos());
        assertEquals("", path.whyRelayed(T0 + S));
        assertEquals(List.of(), turn(T0 + PathTimes.PROBE_INTERVAL), "a confirmed direct path needs no probe rounds");

        path.pong(udp("192.168.1.2:51820"), binding, 8 * MS, T0 + 10 * MS);
        assertEquals(udp("203.0.113.2:51820"), path.current(), "not clearly faster: stays");
        path.pong(udp("192.168.1.2:51820"), binding, 1 * MS, T0 + 11 * MS);
        assertEquals(udp("192.168.1.2:51820"), path.current(), "the LAN path, much faster, wins");
    }

    @Test
    void aDirectPathThatStopsAnsweringIsPingedThenLeftForTheRelay() {
        configure("udp:203.0.113.2:51820, relay:198.51.100.1:443");
        onDirect("203.0.113.2:51820");
        long t = T0 + 10 * S;
        path.sending(t);
        assertTrue(path.probeDue() <= t + PathTimes.PING_UNANSWERED, "the watchdog's turn comes forward");
        assertEquals(List.of(), turn(t + PathTimes.PING_UNANSWERED - MS));
        assertEquals(List.of("ping udp:203.0.113.2:51820"), turn(t + PathTimes.PING_UNANSWERED));
        assertEquals(List.of(), turn(t + PathTimes.PING_UNANSWERED + 100 * MS));
        assertEquals(List.of("ping udp:203.0.113.2:51820"), turn(t + PathTimes.PING_UNANSWERED + PathTimes.PING_REPEAT));
        turn(t + PathTimes.DIRECT_LOST - MS);
        assertEquals(udp("203.0.113.2:51820"), path.current());
        List<String> atLoss = turn(t + PathTimes.DIRECT_LOST);
        assertEquals(relay("198.51.100.1:443"), path.current(), "fallen back within " + PathTimes.DIRECT_LOST / MS + " ms");
        assertTrue(PathTimes.DIRECT_LOST + 250 * MS <= 3 * S, "with the timer's slack, within 3 s");
        assertEquals(List.of("ping udp:203.0.113.2:51820", "call-me-maybe relay:198.51.100.1:443"), atLoss,
                "and probing for the way back at once");
        assertEquals("direct path lost 3 s ago", path.whyRelayed(t + PathTimes.DIRECT_LOST + 3 * S + 100 * MS));

        path.pong(udp("203.0.113.2:51820"), binding, 5 * MS, t + 6 * S);
        assertEquals(udp("203.0.113.2:51820"), path.current(), "back to direct when it answers again");
        assertEquals("", path.whyRelayed(t + 6 * S));
    }

    @Test
    void aDirectPathAHandshakeFoundIsPingedForItsRoundTripAFewTimes() {
        configure("udp:203.0.113.2:51820, relay:198.51.100.1:443");
        path.authenticatedFrom(udp("203.0.113.2:51820"), binding, T0, true); // the peer's initiation came direct
        assertEquals(List.of("ping udp:203.0.113.2:51820"), turn(T0), "one ping for the round trip, for tm:peers");
        assertEquals(List.of("ping udp:203.0.113.2:51820"), turn(T0 + PathTimes.PROBE_INTERVAL));
        assertEquals(List.of("ping udp:203.0.113.2:51820"), turn(T0 + 2 * PathTimes.PROBE_INTERVAL));
        assertEquals(List.of(), turn(T0 + 3 * PathTimes.PROBE_INTERVAL), "three, then no more");
        path.pong(udp("203.0.113.2:51820"), binding, 4 * MS, T0 + 3 * PathTimes.PROBE_INTERVAL);
        assertEquals(4 * MS, path.rttNanos());
    }

    @Test
    void anAnswerInTimeKeepsTheDirectPath() {
        configure("udp:203.0.113.2:51820, relay:198.51.100.1:443");
        onDirect("203.0.113.2:51820");
        long t = T0 + 10 * S;
        path.sending(t);
        path.authenticatedFrom(udp("203.0.113.2:51820"), binding, t + 1500 * MS, true);
        assertEquals(List.of(), turn(t + 3 * S));
        assertEquals(udp("203.0.113.2:51820"), path.current());
    }

    @Test
    void aRelayedDatagramLeavesADirectPathHeardFromLatelyButFollowsWhenItWentSilent() {
        configure("udp:203.0.113.2:51820, relay:198.51.100.1:443");
        onDirect("203.0.113.2:51820");
        path.authenticatedFrom(relay("198.51.100.1:443"), binding, T0 + 500 * MS, true);
        assertEquals(udp("203.0.113.2:51820"), path.current(), "the peer is still on the relay; we went direct");
        path.authenticatedFrom(relay("198.51.100.1:443"), binding, T0 + PathTimes.DIRECT_LOST + 10 * MS, true);
        assertEquals(relay("198.51.100.1:443"), path.current(), "the peer fell back to the relay: follow it");
    }

    @Test
    void aRoamingPeerIsFollowedAndItsPingsAloneMoveNothing() {
        configure("udp:203.0.113.2:51820, relay:198.51.100.1:443");
        onDirect("203.0.113.2:51820");
        path.controlFrom(udp("198.51.100.99:4000"), T0 + S);
        assertEquals(udp("203.0.113.2:51820"), path.current(), "a ping from elsewhere asks for a pong, nothing more");
        path.authenticatedFrom(udp("203.0.113.77:61000"), binding, T0 + 2 * S, true);
        assertEquals(udp("203.0.113.77:61000"), path.current(), "data from a new address: the peer roamed");
    }

    @Test
    void newCandidatesFromTheMapKeepAWorkingDirectPathButAnOperatorsNewEndpointMovesIt() {
        configure("udp:203.0.113.2:51820, relay:198.51.100.1:443");
        onDirect("203.0.113.2:51820");
        configure("udp:203.0.113.2:51820, udp:192.168.1.2:51820, relay:198.51.100.1:443");
        assertEquals(udp("203.0.113.2:51820"), path.current(), "the peer reported one more address: keep what works");
        configure("udp:192.0.2.9:51820");
        assertEquals(udp("192.0.2.9:51820"), path.current(), "no relay: the operator says where the peer is, as wg set");
    }

    @Test
    void withoutARelayThePathIsTheFirstCandidateAndIsNeverGivenUp() {
        configure("udp:203.0.113.2:51820, udp:192.168.1.2:51820");
        assertEquals(udp("203.0.113.2:51820"), path.current(), "as before path probing: the first usable candidate");
        path.authenticatedFrom(udp("203.0.113.2:51820"), binding, T0, true);
        path.sending(T0 + S);
        assertEquals(List.of(), turn(T0 + 10 * S), "no relay to fall back to: no watchdog");
        assertEquals(udp("203.0.113.2:51820"), path.current());
        assertEquals("", path.whyRelayed(T0 + 10 * S));
    }

    @Test
    void noDirectCandidateIsTheReason() {
        configure("relay:198.51.100.1:443");
        assertEquals("no direct candidate", path.whyRelayed(T0));
        assertNull(new PeerPath(NodeKey.of(new byte[32])).current());
    }

    /** Probes answered: the path is direct at {@code hostPort}, confirmed at T0. */
    private void onDirect(String hostPort) {
        path.authenticatedFrom(relay("198.51.100.1:443"), binding, T0 - S, true);
        turn(T0 - S);
        path.pong(udp(hostPort), binding, 5 * MS, T0);
        assertEquals(udp(hostPort), path.current());
    }

    /** A transport whose endpoints are memory ones, bound to nothing. */
    private record FakeTransport(String name, boolean relayed) implements Transport {
        @Override
        public Endpoint parseEndpoint(String address) {
            int colon = address.lastIndexOf(':');
            return new MemoryNetwork.MemoryEndpoint(name, address.substring(0, colon), Integer.parseInt(address.substring(colon + 1)),
                    relayed);
        }

        @Override
        public TransportBinding bind(TransportOptions options, DatagramReceiver receiver) {
            return new StubBinding(name, options.listenPort(), false);
        }
    }
}
