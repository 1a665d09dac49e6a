package io.tunnelmesh.coordinator.internal;

import io.netty.buffer.ByteBuf;
import io.tunnelmesh.api.NodeKey;
import io.tunnelmesh.control.RelayFrames;
import io.tunnelmesh.control.relay.RelayKeyCache;

/**
 * The links of the recipients one relay link met lately: a frame's recipient is found without a map lookup or key
 * object. On the link's event loop.
 */
final class RelayRecipients {
    static final int CACHE = 8; // recipients a link remembers; a power of two

    private final RelayHub hub;
    private final RelayKeyCache<RelayLink> recipients = new RelayKeyCache<>(CACHE);

    RelayRecipients(RelayHub hub) {
        this.hub = hub;
    }

    /** The open link of the frame's recipient, from the cache when it was met before, else from the hub; or null. */
    RelayLink of(ByteBuf frame, int start) {
        int at = start + RelayFrames.KEY_OFFSET;
        RelayLink cached = recipients.get(frame, at);
        if (cached != null && cached.isOpen()) {
            return cached;
        }
        byte[] bytes = new byte[RelayFrames.KEY_LENGTH]; // only on a cache miss
        frame.getBytes(at, bytes);
        RelayLink found = hub.link(NodeKey.of(bytes));
        if (found != null) {
            recipients.put(frame, at, found);
        }
        return found;
    }
}
