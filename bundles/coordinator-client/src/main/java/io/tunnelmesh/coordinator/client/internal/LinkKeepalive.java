package io.tunnelmesh.coordinator.client.internal;

import io.tunnelmesh.control.Ping;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.random.RandomGenerator;

/** One session's keepalive: pings when the coordinator is silent, gives the connection up after the silence limit. */
final class LinkKeepalive {
    private final Duration pingAfter;
    private final Duration silenceLimit;
    private final RandomGenerator random;
    private Instant heard;
    private Instant pinged;

    LinkKeepalive(Duration pingAfter, Duration silenceLimit, RandomGenerator random, Instant now) {
        this.pingAfter = pingAfter;
        this.silenceLimit = silenceLimit;
        this.random = random;
        this.heard = now;
        this.pinged = now;
    }

    /** A frame arrived: any frame, whole message or not, shows the coordinator is alive. */
    void heard(Instant now) {
        heard = now;
    }

    /** @throws IOException when the coordinator has been silent for the limit: the session ends */
    void check(ControlConnection c, Instant now) throws IOException {
        Duration silence = Duration.between(heard, now);
        if (silence.compareTo(silenceLimit) >= 0) {
            throw new IOException("no word from coordinator at " + c.address() + " for " + silence.toSeconds() + " s");
        }
        if (silence.compareTo(pingAfter) >= 0 && Duration.between(pinged, now).compareTo(pingAfter) >= 0) {
            c.send(new Ping(random.nextLong()));
            pinged = now;
        }
    }
}
