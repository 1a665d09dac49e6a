package io.tunnelmesh.node.internal;

import io.tunnelmesh.api.Endpoint;
import java.util.List;

/**
 * Where else a handshake initiation goes: while the path is not confirmed, every second attempt (the engine
 * retries after 5 s) also goes to every other usable candidate. The peer answers the copy that arrives first (it
 * rejects the others as replays) to where it came from, and the answer sets the path: so a relay that does not
 * answer (down, unreachable) does not keep a peer from its direct candidates. The attempts in between go to the
 * current path alone, in case the copy that won cannot carry the answer back. Guarded by the {@link PeerPath}
 * that owns it.
 */
final class InitiationCopies {
    /** Handshake initiations sent on the current, unconfirmed path. */
    private int initiations;

    /** An initiation goes to {@code current}: where its copies go. */
    List<Endpoint> targets(Endpoint current, boolean confirmed, PeerCandidates candidates) {
        if (confirmed) {
            initiations = 0;
            return List.of();
        }
        if (++initiations % 2 != 0 || candidates.size() < 2) {
            return List.of();
        }
        return candidates.usableExcept(current);
    }

    /** The path changed: its attempts count afresh. */
    void newPath() {
        initiations = 0;
    }
}
