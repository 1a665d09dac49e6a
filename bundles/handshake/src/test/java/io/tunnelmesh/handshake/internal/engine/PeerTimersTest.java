package io.tunnelmesh.handshake.internal.engine;

import static io.tunnelmesh.handshake.internal.engine.Mesh.S;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tunnelmesh.api.handshake.DropReason;
import io.tunnelmesh.api.handshake.PacketOutcome.Action;
import org.junit.jupiter.api.Test;

/** The timer state machine driven by {@code poll} with virtual nanoseconds: nothing sleeps. */
class PeerTimersTest {
    private static final long MS = 1_000_000L;

    @Test
    void initiatorRekeysWhenSendingOnAKeypairOlderThan120s() {
        Mesh m = new Mesh();
        m.handshake(0);
        m.bob.poll(m.alice, 10 * S); // bob's passive keepalive answers alice's first packet
        m.alice.receive(m.bob.output(), m.bob.address, 10 * S);
        Mesh.roundTrip(m.alice, m.bob, 60, 1, 119 * S);
        Mesh.roundTrip(m.bob, m.alice, 60, 1, 119 * S);
        assertEquals(Action.NONE, m.alice.poll(m.bob, 119 * S).action(), "no rekey before 120 s");
        m.alice.encapsulate(m.bob, Node.ipPacket(60, 2), 120 * S);
        assertEquals(Action.SEND_TO_PEER, m.alice.outcome.action(), "still sends on the old keypair");
        assertTrue(m.alice.peer(m.bob).nextDeadlineNanos() <= 120 * S, "rekey is due now");
        assertEquals(Action.SEND_TO_PEER, m.alice.poll(m.bob, 120 * S).action());
        assertEquals(148, m.alice.outcome.length(), "a new initiation");
    }

    /**
     * A packet queued while our initiation is in flight wants a session; the response gives it one. Seen with
     * wireguard-go, which answers fast: without this, a second initiation went out exactly REKEY_TIMEOUT later.
     */
    @Test
    void packetsQueuedDuringAPendingHandshakeStartNoSecondOneOnceItCompletes() {
        Mesh m = new Mesh();
        byte[] init = m.initiation(0);
        assertEquals(Action.NONE, m.alice.encapsulate(m.bob, Node.ipPacket(60, 2), 1 * MS).action(), "queued behind the handshake");
        assertEquals(Action.SEND_TO_SOURCE, m.bob.receive(init, m.alice.address, 2 * MS).action());
        assertEquals(Action.NONE, m.alice.receive(m.bob.output(), m.bob.address, 3 * MS).action());
        int sent = 0;
        while (m.alice.poll(m.bob, 3 * MS).action() == Action.SEND_TO_PEER) {
            assertEquals(Action.DELIVER, m.bob.receive(m.alice.output(), m.alice.address, 3 * MS).action());
            sent++;
        }
        assertEquals(2, sent, "both queued packets go out on the new session");
        for (long t = 4 * MS; t <= 9 * S; t += 100 * MS) {
            var o = m.alice.poll(m.bob, t);
            assertTrue(o.action() != Action.SEND_TO_PEER || o.length() != 148, "no second initiation at t=" + t / MS + " ms");
        }
    }

    @Test
    void responderDoesNotRekeyOnTimeButEveryoneRejectsAfter180s() {
        Mesh m = new Mesh();
        m.handshake(0);
        Mesh.roundTrip(m.bob, m.alice, 60, 1, 150 * S);
        assertEquals(Action.NONE, m.bob.poll(m.alice, 150 * S).action(), "only the initiator rekeys on time");
        m.alice.encapsulate(m.bob, Node.ipPacket(60, 2), 179 * S);
        byte[] late = m.alice.output();
        assertEquals(DropReason.EXPIRED_SESSION, m.bob.receive(late, m.alice.address, 180 * S).dropReason());
        // a sender with only an expired keypair queues and starts a handshake instead of sealing
        var o = m.bob.encapsulate(m.alice, Node.ipPacket(60, 3), 180 * S);
        assertEquals(Action.SEND_TO_PEER, o.action());
        assertEquals(148, o.length());
    }

    @Test
    void passiveKeepaliveTenSecondsAfterDataWeDidNotAnswer() {
        Mesh m = new Mesh();
        m.handshake(0);
        // alice's first data packet at t=0 owes alice a keepalive... from bob at t=10s
        assertEquals(10 * S, m.bob.peer(m.alice).nextDeadlineNanos());
        assertEquals(Action.NONE, m.bob.poll(m.alice, 10 * S - 1).action());
        var o = m.bob.poll(m.alice, 10 * S);
        assertEquals(Action.SEND_TO_PEER, o.action());
        assertEquals(32, o.length(), "keepalive = empty payload");
        assertEquals(Action.NONE, m.alice.receive(m.bob.output(), m.bob.address, 10 * S).action());
        assertTrue(m.alice.outcome.authenticated());
        assertEquals(Action.NONE, m.bob.poll(m.alice, 11 * S).action(), "owed only once");
    }

    @Test
    void persistentKeepaliveEveryIntervalOfSilence() {
        Mesh m = new Mesh();
        m.handshake(0);
        m.bob.poll(m.alice, 10 * S); // the passive keepalive
        m.alice.receive(m.bob.output(), m.bob.address, 10 * S);
        m.alice.peer(m.bob).setPersistentKeepalive(25);
        assertEquals(35 * S, m.alice.peer(m.bob).nextDeadlineNanos(), "25 s after the last packet received");
        assertEquals(Action.NONE, m.alice.poll(m.bob, 34 * S).action());
        assertEquals(32, m.alice.poll(m.bob, 35 * S).length());
        assertEquals(60 * S, m.alice.peer(m.bob).nextDeadlineNanos());
    }

    @Test
    void aPeerWithPersistentKeepaliveBringsItsSessionUpAtOnce() {
        Mesh m = new Mesh();
        m.alice.peer(m.bob).setPersistentKeepalive(25);
        assertTrue(m.alice.peer(m.bob).nextDeadlineNanos() <= 0, "due now");
        assertEquals(148, m.alice.poll(m.bob, 0).length(), "an initiation without any traffic");
        assertEquals(Action.NONE, m.bob.poll(m.alice, 0).action(), "no keepalive configured: bob waits");
    }

    @Test
    void newHandshakeFifteenSecondsAfterUnansweredData() {
        Mesh m = new Mesh();
        m.handshake(0);
        m.bob.poll(m.alice, 10 * S);
        m.alice.receive(m.bob.output(), m.bob.address, 10 * S);
        m.alice.encapsulate(m.bob, Node.ipPacket(60, 1), 20 * S); // bob never answers
        long deadline = m.alice.peer(m.bob).nextDeadlineNanos();
        assertTrue(deadline >= 35 * S && deadline <= 35 * S + ProtocolTimes.MAX_JITTER, "15 s + jitter, was " + deadline);
        assertEquals(Action.NONE, m.alice.poll(m.bob, 35 * S - 1).action());
        var o = m.alice.poll(m.bob, deadline);
        assertEquals(148, o.length(), "a new initiation");
    }

    @Test
    void unansweredInitiationIsRetriedEvery5sFor20AttemptsThenKeysAreZeroedAfter540s() {
        Mesh m = new Mesh();
        m.handshake(0);
        m.alice.peer(m.bob).requestHandshake();
        long now = 60 * S;
        assertEquals(148, m.alice.poll(m.bob, now).length());
        int initiations = 1;
        long lastSent = now;
        while (true) {
            long d = m.alice.peer(m.bob).nextDeadlineNanos();
            if (d == Long.MAX_VALUE || d > 1000 * S) {
                break;
            }
            var o = m.alice.poll(m.bob, d);
            if (o.action() == Action.SEND_TO_PEER && o.length() == 148) {
                long gap = d - lastSent;
                assertTrue(gap >= 5 * S && gap <= 5 * S + ProtocolTimes.MAX_JITTER, "retry gap " + gap);
                initiations++;
                lastSent = d;
            } else {
                assertEquals(Action.NONE, o.action());
                break; // gave up
            }
            now = d;
        }
        assertEquals(20, initiations, "1 + 19 retries, then give up");
        assertTrue(lastSent - 60 * S >= 95 * S && lastSent - 60 * S <= 101 * S, "about 95-100 s of attempts");
        // The last session was derived at t=0: its keys are wiped 540 s after that, and until then it still works.
        assertEquals(540 * S, m.alice.peer(m.bob).nextDeadlineNanos());
        Mesh.roundTrip(m.alice, m.bob, 60, 9, 170 * S);
        m.alice.poll(m.bob, 540 * S);
        var afterZero = m.alice.encapsulate(m.bob, Node.ipPacket(60, 4), 541 * S);
        assertTrue(afterZero.action() != Action.SEND_TO_PEER || afterZero.length() == 148, "no data sealed after keys were zeroed");
    }
}
