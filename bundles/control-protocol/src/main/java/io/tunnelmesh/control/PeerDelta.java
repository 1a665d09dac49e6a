package io.tunnelmesh.control;

import java.util.List;

/** Members that are new or changed, and base64 keys of removed ones (type "delta"). */
public record PeerDelta(List<NodeEntry> changed, List<String> removed) implements ControlMessage {
    public PeerDelta {
        changed = Lists.orEmpty(changed, "changed");
        removed = Lists.orEmpty(removed, "removed");
    }
}
