package io.tunnelmesh.transport.relay.internal;

import io.netty.buffer.ByteBuf;
import io.tunnelmesh.api.Endpoint;
import io.tunnelmesh.api.NodeKey;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.Map;

/**
 * {@code relay:PEERKEY@HOST:PORT}: the peer with that WireGuard key, reached through the relay server at HOST:PORT.
 * Equal when the peer and the server's address are; the peer key's bytes are kept for the frame header.
 */
final class RelayEndpoint implements Endpoint {
    private final NodeKey peer;
    private final byte[] peerBytes;
    private final RelayServer server;
    private final int hash;

    RelayEndpoint(NodeKey peer, RelayServer server) {
        this.peer = peer;
        this.peerBytes = peer.toBytes();
        this.server = server;
        this.hash = peer.hashCode() * 31 + server.address().hashCode();
    }

    /**
     * Reads {@code PEERKEY@HOST:PORT}; the server must be one of {@code servers} (by resolved address), as only
     * those have a known key.
     *
     * @throws IllegalArgumentException one line naming the endpoint and what to write instead
     */
    static RelayEndpoint parse(String address, Map<InetSocketAddress, RelayServer> servers) {
        String text = "relay:" + address;
        int at = address.indexOf('@');
        if (at <= 0 || at == address.length() - 1) {
            throw new IllegalArgumentException("endpoint '" + text + "' is not relay:PEERKEY@HOST:PORT (PEERKEY the peer's"
                    + " base64 public key, HOST:PORT the relay server, e.g. the coordinator's control address)");
        }
        NodeKey peer;
        try {
            peer = NodeKey.parse(address.substring(0, at));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("endpoint '" + text + "': the part before '@' is not a base64 32-byte"
                    + " public key (" + e.getMessage() + ")");
        }
        RelayServer server = RelaySettings.find(address.substring(at + 1), servers);
        if (server == null) {
            throw new IllegalArgumentException("endpoint '" + text + "': relay server " + address.substring(at + 1)
                    + " is not known to this node (its key is needed): join the coordinator running it, or add"
                    + " HOST:PORT=KEY to 'servers' in config/" + RelayTransport.PID + ".cfg");
        }
        return new RelayEndpoint(peer, server);
    }

    RelayServer server() {
        return server;
    }

    /** Writes the peer's key (the frame header's key field) without a copy of the array. */
    void writePeerKey(ByteBuf out) {
        out.writeBytes(peerBytes);
    }

    @Override
    public String transport() {
        return RelayTransport.NAME;
    }

    @Override
    public boolean relayed() {
        return true;
    }

    /** The peer key and the server: a cookie proves the sender can receive through this relay as this key. */
    @Override
    public byte[] dstToBytes() {
        byte[] host = server.address().getAddress().getAddress();
        ByteBuffer out = ByteBuffer.allocate(peerBytes.length + host.length + 2);
        out.put(peerBytes).put(host).putShort((short) server.address().getPort());
        return out.array();
    }

    /**
     * The peer key alone: every relayed peer shares the server's address, so rate limits per host must count the
     * key, which the server authenticated and stamped.
     */
    @Override
    public byte[] dstHostBytes() {
        return peerBytes.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof RelayEndpoint e && e.hash == hash && e.peer.equals(peer)
                && e.server.address().equals(server.address());
    }

    @Override
    public int hashCode() {
        return hash;
    }

    @Override
    public String toString() {
        return "relay:" + peer.toBase64() + "@" + server.hostPort();
    }
}
