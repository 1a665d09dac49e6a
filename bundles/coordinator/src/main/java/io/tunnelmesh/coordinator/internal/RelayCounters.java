package io.tunnelmesh.coordinator.internal;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;

/** What the relay did, for {@code tm:coordinator}: per-frame events are counted here, never logged. */
public final class RelayCounters {
    /** What {@code tm:coordinator} prints; {@code queuedBytes} is waiting in the links' outbound buffers now. */
    public record Counts(int links, long queuedBytes, long frames, long bytes, long unknownRecipient, long recipientFull, long oversized,
            long refused, long badHandshake) {
    }

    final AtomicInteger links = new AtomicInteger();
    final LongAdder frames = new LongAdder();
    final LongAdder bytes = new LongAdder();
    /** Frames for a key with no relay link (not a member, or offline): dropped. */
    final LongAdder unknownRecipient = new LongAdder();
    /** Frames for a recipient whose queue is at its high-water mark (it reads too slowly or not at all): dropped. */
    final LongAdder recipientFull = new LongAdder();
    /** Links closed for announcing a frame longer than the limit. */
    final LongAdder oversized = new LongAdder();
    /** Handshakes from keys that are not members. */
    final LongAdder refused = new LongAdder();
    /** Handshakes that failed (a key the client does not hold, garbage, another coordinator's key) or timed out. */
    final LongAdder badHandshake = new LongAdder();

    Counts counts(long queuedBytes) {
        return new Counts(links.get(), queuedBytes, frames.sum(), bytes.sum(), unknownRecipient.sum(), recipientFull.sum(),
                oversized.sum(), refused.sum(), badHandshake.sum());
    }
}
