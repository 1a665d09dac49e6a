package io.tunnelmesh.coordinator.internal;

import io.tunnelmesh.api.AddressFormat;
import io.tunnelmesh.api.NodeKey;
import io.tunnelmesh.api.coordinator.NodeRecord;
import io.tunnelmesh.control.ControlCodec;
import io.tunnelmesh.control.NodeEntry;
import java.time.Instant;
import java.util.List;

/** A member as the registry keeps it in memory: its record's public fields, live endpoints and presence. */
final class Member {
    final NodeKey key;
    private final String name;
    private final String ipv4;
    private final String ipv6;
    private final String sshFingerprint;
    private List<String> endpoints;
    private boolean online;
    private Instant lastSeen;
    private NodeEntry entry;
    private byte[] encoded;

    Member(NodeRecord record) {
        key = record.publicKey();
        name = record.name();
        ipv4 = AddressFormat.format(record.ipv4());
        ipv6 = AddressFormat.format(record.ipv6());
        sshFingerprint = record.sshFingerprint();
        endpoints = record.endpoints();
        lastSeen = record.lastSeen();
    }

    /** @return true when something a peer sees changed */
    boolean endpoints(List<String> now) {
        if (now.equals(endpoints)) {
            return false;
        }
        endpoints = List.copyOf(now);
        forgetEntry();
        return true;
    }

    boolean online(boolean now, Instant at) {
        lastSeen = at;
        if (online == now) {
            return false;
        }
        online = now;
        forgetEntry();
        return true;
    }

    boolean online() {
        return online;
    }

    Instant lastSeen() {
        return lastSeen;
    }

    List<String> endpoints() {
        return endpoints;
    }

    private void forgetEntry() {
        entry = null;
        encoded = null;
    }

    /** The wire form, built once per change and shared by every map and delta that carries it. */
    NodeEntry entry() {
        if (entry == null) {
            entry = new NodeEntry(key.toBase64(), name, ipv4, ipv6, endpoints, sshFingerprint, online);
        }
        return entry;
    }

    /** The entry's JSON, encoded once per change and spliced into every map (see {@link SplicedMap}). */
    byte[] encodedEntry(ControlCodec codec) {
        if (encoded == null) {
            encoded = codec.encodeEntry(entry());
        }
        return encoded;
    }
}
