package io.tunnelmesh.coordinator.internal;

import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.atomic.LongAdder;

/** How often each kind of refused or broken connection happened, for {@code tm:coordinator}. */
public final class Counters {
    /** One per way a connection can end badly; the label is what {@code tm:coordinator} prints. */
    public enum Kind {
        BAD_PREAMBLE("bad preamble"),
        BAD_FRAME("bad frame"),
        TRUNCATED("truncated"),
        BAD_HANDSHAKE("bad handshake"),
        BAD_MESSAGE("bad message"),
        BAD_HELLO("bad hello"),
        HANDSHAKE_TIMEOUT("handshake timeout"),
        IDLE_TIMEOUT("idle timeout"),
        SLOW_READER("slow reader"),
        LIMIT_TOTAL("over connection limit"),
        LIMIT_UNAUTHENTICATED("over unauthenticated limit"),
        LIMIT_PER_IP("over per-IP limit"),
        REFUSED("refused admission"),
        STORE_ERROR("store error");

        private final String label;

        Kind(String label) {
            this.label = label;
        }

        public String label() {
            return label;
        }
    }

    private final Map<Kind, LongAdder> counts = new EnumMap<>(Kind.class);

    public Counters() {
        for (Kind kind : Kind.values()) {
            counts.put(kind, new LongAdder());
        }
    }

    public void increment(Kind kind) {
        counts.get(kind).increment();
    }

    public long get(Kind kind) {
        return counts.get(kind).sum();
    }

    public Map<Kind, Long> snapshot() {
        Map<Kind, Long> out = new EnumMap<>(Kind.class);
        counts.forEach((k, v) -> out.put(k, v.sum()));
        return out;
    }
}
