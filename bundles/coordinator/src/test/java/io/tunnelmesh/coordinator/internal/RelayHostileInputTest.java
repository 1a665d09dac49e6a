package io.tunnelmesh.coordinator.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tunnelmesh.api.StaticKeyPair;
import io.tunnelmesh.control.RelayFrames;
import io.tunnelmesh.handshake.internal.noise.NoiseDh;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What a hostile relay client can do to the server: cost only its own link, and be counted. */
class RelayHostileInputTest {
    @TempDir
    Path dir;
    private TestCoordinator c;
    private TestNode alice;
    private TestNode bob;

    @BeforeEach
    void start() throws Exception {
        c = new TestCoordinator(dir, Limits.defaults().withHandshakeTimeout(Duration.ofMillis(1000)));
        String token = c.token(true);
        alice = new TestNode("alice");
        alice.join(c, token, null);
        bob = new TestNode("bob");
        bob.join(c, token, null);
    }

    @AfterEach
    void stop() throws Exception {
        c.close();
    }

    private RawRelayClient link(TestNode node) throws Exception {
        RawRelayClient client = new RawRelayClient(c);
        assertEquals("", client.handshake(node.key, c.publicKey()), "a member is admitted");
        return client;
    }

    private RelayCounters.Counts relay() {
        return c.coordinator.status().relay();
    }

    @Test
    void aFrameReachesItsRecipientWithTheSenderStampedByTheServer() throws Exception {
        try (RawRelayClient a = link(alice); RawRelayClient b = link(bob)) {
            // alice names bob as recipient; bob must see alice as sender, whatever alice put elsewhere
            a.send(RelayFrames.DATA, bob.publicKey().toBytes(), new byte[] {1, 2, 3});
            RawRelayClient.Frame f = b.read();
            assertEquals(RelayFrames.DATA, f.type());
            assertEquals(alice.publicKey(), f.key());
            assertArrayEquals(new byte[] {1, 2, 3}, f.payload());
        }
    }

    @Test
    void framesForUnknownKeysAreDroppedAndCountedAndTheLinkStaysUp() throws Exception {
        try (RawRelayClient a = link(alice)) {
            for (int i = 0; i < 100; i++) {
                a.send(RelayFrames.DATA, new TestNode("nobody").publicKey().toBytes(), new byte[100]);
            }
            a.send(RelayFrames.DATA, bob.publicKey().toBytes(), new byte[100]); // a member, but offline
            a.send(RelayFrames.PING, new byte[32], new byte[] {7});
            RawRelayClient.Frame pong = a.read();
            assertEquals(RelayFrames.PONG, pong.type());
            assertArrayEquals(new byte[] {7}, pong.payload());
            assertEquals(101, relay().unknownRecipient());
        }
    }

    @Test
    void aClientClaimingAnotherNodesKeyFailsTheHandshake() throws Exception {
        try (RawRelayClient b = link(bob)) {
            byte[] someonesPrivateKey = NoiseDh.DH25519.generatePrivateKey(new SecureRandom());
            StaticKeyPair liar = new StaticKeyPair(someonesPrivateKey, alice.publicKey()); // alice's key, not her secret
            try (RawRelayClient forger = new RawRelayClient(c)) {
                assertThrows(java.io.IOException.class, () -> forger.handshake(liar, c.publicKey()));
            }
            assertEquals(1, relay().badHandshake());
            assertEquals(1, relay().links(), "only bob's link");
            b.send(RelayFrames.PING, new byte[32], new byte[] {1});
            assertEquals(RelayFrames.PONG, b.read().type(), "bob's link is unaffected");
        }
    }

    @Test
    void aNonMemberIsRefusedWithAReason() throws Exception {
        try (RawRelayClient stranger = new RawRelayClient(c)) {
            String refusal = stranger.handshake(new TestNode("stranger").key, c.publicKey());
            assertTrue(refusal.contains("not a member"), refusal);
            assertTrue(stranger.closedByServer());
        }
        assertEquals(1, relay().refused());
        assertEquals(0, relay().links());
    }

    @Test
    void anOversizedFrameClosesTheLinkAndIsCounted() throws Exception {
        try (RawRelayClient a = link(alice); RawRelayClient b = link(bob)) {
            byte[] header = RawRelayClient.frame(RelayFrames.DATA, bob.publicKey().toBytes(), new byte[0]);
            java.nio.ByteBuffer.wrap(header).putInt(0, RelayFrames.MAX_PAYLOAD + 1);
            a.write(header);
            assertTrue(a.closedByServer());
            assertEquals(1, relay().oversized());
            b.send(RelayFrames.PING, new byte[32], new byte[] {1});
            assertEquals(RelayFrames.PONG, b.read().type(), "bob's link is unaffected");
        }
    }

    @Test
    void aControlChannelHandshakeDoesNotOpenARelayLink() throws Exception {
        try (RawRelayClient c2 = new RawRelayClient(c)) {
            // a member's valid control handshake (other prologue), replayed after TMR1
            byte[] message1 = io.tunnelmesh.control.ControlHandshake.initiate(alice.key, c.publicKey(), new byte[0]).message();
            c2.send(RelayFrames.HANDSHAKE, new byte[32], message1);
            assertTrue(c2.closedByServer());
        }
        assertEquals(1, relay().badHandshake());
        assertEquals(0, relay().links());
    }

    @Test
    void garbageInsteadOfAHandshakeIsCounted() throws Exception {
        try (RawRelayClient g = new RawRelayClient(c)) {
            g.send(RelayFrames.HANDSHAKE, new byte[32], new byte[96]);
            assertTrue(g.closedByServer());
        }
        assertEquals(1, relay().badHandshake());
    }

    @Test
    void aRecipientThatNeverReadsCostsABoundedQueueAndOthersKeepExchanging() throws Exception {
        TestNode carol = new TestNode("carol");
        TestNode dave = new TestNode("dave");
        String token = c.token(true);
        carol.join(c, token, null);
        dave.join(c, token, null);
        try (RawRelayClient sleeper = new RawRelayClient(c, 4096); RawRelayClient flooder = link(alice);
                RawRelayClient x = link(carol); RawRelayClient y = link(dave)) {
            assertEquals("", sleeper.handshake(bob.key, c.publicKey()));
            // from here the sleeper (bob) never reads again
            AtomicBoolean stop = new AtomicBoolean();
            AtomicReference<Throwable> floodError = new AtomicReference<>();
            byte[] frame = RawRelayClient.frame(RelayFrames.DATA, bob.publicKey().toBytes(), new byte[1400]);
            Thread flood = Thread.ofPlatform().start(() -> {
                try {
                    while (!stop.get()) {
                        flooder.write(frame);
                    }
                } catch (Throwable e) {
                    floodError.set(e);
                }
            });
            // Netty counts ~96 bytes of bookkeeping per queued frame on top of its bytes: allow that beyond the mark
            long deadline = System.currentTimeMillis() + 20_000;
            while (relay().recipientFull() < 10_000 && System.currentTimeMillis() < deadline) {
                // the other pair exchanges all the while
                x.send(RelayFrames.DATA, dave.publicKey().toBytes(), new byte[] {42});
                RawRelayClient.Frame got = y.read();
                assertEquals(carol.publicKey(), got.key());
                assertArrayEquals(new byte[] {42}, got.payload());
                assertTrue(relay().queuedBytes() <= RelayHub.WATER_MARK.high() + 128 * 1024,
                        "queued " + relay().queuedBytes() + " bytes for a reader that never reads");
            }
            stop.set(true);
            flood.join(5000);
            assertTrue(relay().recipientFull() >= 10_000, "frames for the sleeper were not dropped: " + relay());
            assertTrue(relay().queuedBytes() <= RelayHub.WATER_MARK.high() + 128 * 1024, relay().toString());
            assertEquals(null, floodError.get(), "the flooder was cut off");
        }
    }
}
