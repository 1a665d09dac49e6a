package io.tunnelmesh.coordinator.client.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.tunnelmesh.api.IpPrefix;
import io.tunnelmesh.api.NodeKey;
import io.tunnelmesh.api.PeerConfig;
import io.tunnelmesh.support.testing.RecordingLog;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Subscribers of the coordinator's peer source: the current map at once, changes in order, nothing after close. */
class PeerHubTest {
    private static final Duration WAIT = Duration.ofSeconds(5);
    private final PeerHub hub = new PeerHub(new RecordingLog());

    @AfterEach
    void close() {
        hub.close();
    }

    private static PeerConfig peer(int n) {
        return new PeerConfig(TestKeys.keyPair().publicKey(), null, List.of(IpPrefix.parse("100.64.0." + n + "/32")), 25);
    }

    @Test
    void aNewSubscriberGetsTheCurrentMapAtOnceThenEachChange() throws Exception {
        PeerConfig a = peer(1);
        PeerConfig b = peer(2);
        hub.replaceAll(List.of(a, b));
        RecordingSink first = new RecordingSink();
        hub.subscribe(first);
        assertEquals(List.of(a, b), first.next(RecordingSink.Replace.class, WAIT).peers());

        PeerConfig c = peer(3);
        hub.update(List.of(c), List.of(a.publicKey()));
        assertEquals(new RecordingSink.Update(List.of(c), List.of(a.publicKey())), first.next(RecordingSink.Update.class, WAIT));

        RecordingSink second = new RecordingSink();
        hub.subscribe(second);
        assertEquals(List.of(b, c), second.next(RecordingSink.Replace.class, WAIT).peers());
        assertEquals(2, hub.size());
    }

    @Test
    void closingTheHandleStopsDeliveryToThatSinkOnly() throws Exception {
        RecordingSink kept = new RecordingSink();
        RecordingSink closed = new RecordingSink();
        hub.subscribe(kept);
        AutoCloseable handle = hub.subscribe(closed);
        kept.next(RecordingSink.Replace.class, WAIT);
        closed.next(RecordingSink.Replace.class, WAIT);

        handle.close();
        hub.replaceAll(List.of(peer(4)));

        assertEquals(1, kept.next(RecordingSink.Replace.class, WAIT).peers().size());
        assertNull(closed.calls.poll(200, TimeUnit.MILLISECONDS));
    }

    @Test
    void aSinkThatThrowsDoesNotStopTheOthers() throws Exception {
        RecordingLog log = new RecordingLog();
        try (PeerHub h = new PeerHub(log)) {
            h.subscribe(new RecordingSink() {
                @Override
                public void replaceAll(java.util.Collection<PeerConfig> peers) {
                    throw new IllegalStateException("broken sink");
                }
            });
            RecordingSink good = new RecordingSink();
            h.subscribe(good);
            h.replaceAll(List.of(peer(5)));
            good.nextReplaceOf(1, WAIT);
            assertEquals(true, log.has("broken sink"));
        }
    }

    @Test
    void anEmptyUpdateIsNotDelivered() throws Exception {
        RecordingSink sink = new RecordingSink();
        hub.subscribe(sink);
        sink.next(RecordingSink.Replace.class, WAIT);
        hub.update(List.of(), List.<NodeKey>of());
        assertNull(sink.calls.poll(200, TimeUnit.MILLISECONDS));
    }
}
