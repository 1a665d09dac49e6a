package io.tunnelmesh.transport.relay.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tunnelmesh.api.Endpoint;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Real relay bindings through a real coordinator on 127.0.0.1. */
class RelayBindingTest {
    @TempDir
    Path dir;
    private RelayLab lab;
    private final Collector atA = new Collector();
    private final Collector atB = new Collector();

    @BeforeEach
    void start() throws Exception {
        lab = new RelayLab(dir, "a", "b");
    }

    @AfterEach
    void stop() throws Exception {
        lab.close();
    }

    @Test
    void twoMembersExchangeDatagramsAndTheServerNamesTheSender() throws Exception {
        RelayBinding a = lab.bind(lab.key("a"), atA);
        RelayBinding b = lab.bind(lab.key("b"), atB);
        Collector.Received got = sendUntilReceived(a, lab.endpoint("b"), atB, "hello b", 5000);
        assertNotNull(got, "b got nothing through the relay");
        assertEquals("hello b", got.text());
        assertEquals(lab.endpoint("a"), got.source());
        assertEquals("relay:" + lab.key("a").publicKey().toBase64() + "@" + lab.server(), got.source().toString());
        assertTrue(got.source().relayed());

        assertTrue(b.send(Collector.datagram("hello a"), got.source()), "a reply to the source is accepted");
        b.flush();
        Collector.Received reply = atA.next(2000);
        assertNotNull(reply, "the reply to the source did not reach a");
        assertEquals("hello a", reply.text());
        assertTrue(lab.status().relay().frames() >= 2);
        assertEquals(2, lab.status().relay().links());
    }

    @Test
    void manyDatagramsArriveWholeAndInOrder() throws Exception {
        RelayBinding a = lab.bind(lab.key("a"), atA);
        lab.bind(lab.key("b"), atB);
        Endpoint toB = lab.endpoint("b");
        assertNotNull(sendUntilReceived(a, toB, atB, "warm-up", 5000));
        drain(atB);
        for (int i = 0; i < 2000; i++) {
            assertTrue(a.send(Collector.datagram("datagram " + i + " " + "x".repeat(i % 1400)), toB));
            if (i % 16 == 15) {
                a.flush();
            }
            if (i % 64 == 63) {
                Thread.sleep(5); // bursts of 64 (~46 KB) with pauses: this test is about integrity, not overload
            }
        }
        a.flush();
        for (int i = 0; i < 2000; i++) {
            Collector.Received r = atB.next(2000);
            assertNotNull(r, "datagram " + i + " missing; " + lab.status().relay() + " dropped by a: " + a.dropped());
            assertEquals("datagram " + i + " " + "x".repeat(i % 1400), r.text());
        }
    }

    @Test
    void aKeyThatIsNotAMemberIsRefused() throws Exception {
        lab.bind(lab.key("a"), atA);
        RelayBinding stranger = lab.bind(lab.key("stranger"), new Collector());
        for (int i = 0; i < 10 && lab.status().relay().refused() == 0; i++) {
            stranger.send(Collector.datagram("let me in"), lab.endpoint("a"));
            stranger.flush();
            Thread.sleep(200);
        }
        assertTrue(lab.status().relay().refused() >= 1, "the stranger's handshake was not refused");
        assertNull(atA.next(500), "a stranger's datagram went through");
        assertTrue(lab.log.lines().stream().anyMatch(l -> l.contains("refused") && l.contains("not a member")), lab.log.toString());
    }

    @Test
    void aRemovedMembersLinkClosesAndFramesForItAreDropped() throws Exception {
        RelayBinding a = lab.bind(lab.key("a"), atA);
        lab.bind(lab.key("b"), atB);
        assertNotNull(sendUntilReceived(a, lab.endpoint("b"), atB, "before", 5000));
        lab.coordinator().removeNode("b");
        long deadline = System.currentTimeMillis() + 3000;
        while (lab.status().relay().links() != 1 && System.currentTimeMillis() < deadline) {
            Thread.sleep(50);
        }
        assertEquals(1, lab.status().relay().links(), "b's relay link is still open after its removal");
        a.send(Collector.datagram("after"), lab.endpoint("b"));
        a.flush();
        assertNull(atB.next(1000), "a removed member still receives");
        assertTrue(lab.status().relay().unknownRecipient() >= 1);
    }

    @Test
    void linksComeBackQuicklyWhenTheServerRestarts() throws Exception {
        RelayBinding a = lab.bind(lab.key("a"), atA);
        lab.bind(lab.key("b"), atB);
        assertNotNull(sendUntilReceived(a, lab.endpoint("b"), atB, "before", 5000));
        lab.stop();
        Thread.sleep(300);
        lab.start();
        long started = System.nanoTime();
        Collector.Received got = sendUntilReceived(a, lab.endpoint("b"), atB, "after", 5000);
        long millis = (System.nanoTime() - started) / 1_000_000;
        assertNotNull(got, "no datagram through the restarted relay");
        assertTrue(millis < 3000, "took " + millis + " ms to come back"); // backoff 0.1, 0.2, 0.4, 0.8 s… while it was down
    }

    @Test
    void aLinkThatGoesSilentIsReplacedWithinAboutTwoSeconds() throws Exception {
        try (FreezingProxy proxy = new FreezingProxy(lab.coordinator().address())) {
            String viaProxy = "127.0.0.1:" + proxy.port();
            RelaySettings settings = RelaySettings.parse(java.util.Map.of(RelaySettings.SERVERS,
                    viaProxy + "=" + lab.coordinatorKey.publicKey().toBase64()));
            RelayBinding a = RelayBinding.open(lab.key("a"), settings, atA, lab.log::warn, m -> { }, x -> { });
            try {
                RelayBinding b = lab.bind(lab.key("b"), atB);
                Endpoint toA = lab.endpoint("a");
                assertNotNull(sendUntilReceived(b, toA, atA, "before", 5000));
                proxy.freezeCurrent(); // a's host lost its address: its link neither closes nor carries anything
                long frozen = System.nanoTime();
                Collector.Received got = sendUntilReceived(b, toA, atA, "after", 6000);
                long millis = (System.nanoTime() - frozen) / 1_000_000;
                assertNotNull(got, "a never came back");
                assertTrue(millis < 3500, "a came back after " + millis + " ms");
                assertTrue(lab.log.lines().stream().anyMatch(l -> l.contains("no answer for")), lab.log.toString());
            } finally {
                a.close();
            }
        }
    }

    @Test
    void aServerWithAnotherKeyIsNotTrusted() throws Exception {
        RelaySettings wrongKey = RelaySettings.parse(java.util.Map.of(RelaySettings.SERVERS,
                lab.server() + "=" + lab.key("a").publicKey().toBase64()));
        RelayBinding b = RelayBinding.open(lab.key("b"), wrongKey, atB, lab.log::warn, m -> { }, x -> { });
        try {
            Thread.sleep(800);
            assertEquals(0, lab.status().relay().links());
            assertTrue(lab.status().relay().badHandshake() >= 1);
        } finally {
            b.close();
        }
    }

    private static Collector.Received sendUntilReceived(RelayBinding from, Endpoint to, Collector at, String text, long millis)
            throws InterruptedException {
        long deadline = System.currentTimeMillis() + millis;
        while (System.currentTimeMillis() < deadline) {
            from.send(Collector.datagram(text), to);
            from.flush();
            Collector.Received r = at.next(100);
            if (r != null) {
                return r;
            }
        }
        return null;
    }

    private static void drain(Collector c) throws InterruptedException {
        while (c.next(200) != null) {
            // earlier copies of the warm-up
        }
    }
}
