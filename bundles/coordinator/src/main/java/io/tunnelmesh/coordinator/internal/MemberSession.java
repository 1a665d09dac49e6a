package io.tunnelmesh.coordinator.internal;

import io.tunnelmesh.api.NodeKey;
import io.tunnelmesh.control.NodeEntry;

/**
 * A member's open {@code connect} session as the {@link PeerRegistry} sees it. Every method may be called from
 * the registry's thread and hands the work to the session's own I/O thread, so the order of calls is the
 * order on the wire.
 */
interface MemberSession {
    NodeKey key();

    /** Membership confirmed: send the welcome for {@code self}, then {@code map} (an encoded {@code map}). */
    void admitted(NodeEntry self, byte[] map);

    /** Not a member: send a refusal welcome and close. */
    void notMember();

    /** An encoded {@code delta} for everyone. */
    void deliver(byte[] delta);

    /** Removed from the mesh, or replaced by a newer session: send {@code bye} and close. */
    void bye(String reason);
}
