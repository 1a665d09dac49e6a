package io.tunnelmesh.control;

import java.util.List;

/** Every other member (type "map"). */
public record PeerMap(List<NodeEntry> peers) implements ControlMessage {
    public PeerMap {
        peers = Lists.orEmpty(peers, "peers");
    }
}
