package io.tunnelmesh.api.node;

import org.osgi.annotation.versioning.ConsumerType;

/**
 * A source of peers for the node, registered as a service (whiteboard): the coordinator client is one, and
 * a third-party bundle can be another. The node subscribes to every source it finds; peers from peer files
 * and from {@code tm:peer-add} win over a source's peer with the same key.
 */
@ConsumerType
public interface PeerSource {
    /** Short name for status lines, e.g. {@code coordinator}. */
    String name();

    /**
     * Starts delivering to {@code sink}: {@link PeerSink#replaceAll} with everything known now (possibly
     * from a cache), then each change, until the returned handle is closed. Called by the node; must not block.
     */
    AutoCloseable subscribe(PeerSink sink);
}
