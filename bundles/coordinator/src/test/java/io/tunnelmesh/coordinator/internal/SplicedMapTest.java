package io.tunnelmesh.coordinator.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.tunnelmesh.api.NodeKey;
import io.tunnelmesh.api.coordinator.NodeRecord;
import io.tunnelmesh.control.ControlCodec;
import io.tunnelmesh.control.NodeEntry;
import io.tunnelmesh.control.PeerMap;
import java.net.InetAddress;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The spliced map is the map Jackson writes: same bytes, and a node decodes the same PeerMap from it. */
class SplicedMapTest {
    private final ControlCodec codec = new ControlCodec();

    @Test
    void aSplicedMapDecodesToTheSamePeerMapAsJacksonsEncoding() throws Exception {
        List<Member> members = new ArrayList<>();
        members.add(member(1, "plain", List.of("192.0.2.1:51820", "[2001:db8::1]:51820"), ""));
        members.add(member(2, "quote\" back\\slash \u00e9\u2028 tab\t", List.of(), "SHA256:abc+/="));
        members.add(member(3, "", List.of("198.51.100.7:1"), ""));
        members.get(1).online(true, Instant.EPOCH);
        members.get(2).endpoints(List.of("203.0.113.9:4000"));

        List<byte[]> encoded = new ArrayList<>();
        List<NodeEntry> entries = new ArrayList<>();
        for (Member m : members) {
            encoded.add(m.encodedEntry(codec));
            entries.add(m.entry());
        }
        PeerMap expected = new PeerMap(entries);
        byte[] spliced = SplicedMap.of(encoded);
        assertEquals(expected, codec.decode(spliced));
        assertArrayEquals(codec.encode(expected), spliced, "byte for byte what Jackson writes");
    }

    @Test
    void anEmptyMapToo() throws Exception {
        byte[] spliced = SplicedMap.of(List.of());
        assertEquals(new PeerMap(List.of()), codec.decode(spliced));
        assertArrayEquals(codec.encode(new PeerMap(List.of())), spliced);
    }

    @Test
    void aChangedMemberIsEncodedAgain() throws Exception {
        Member m = member(4, "mover", List.of("192.0.2.4:1"), "");
        byte[] before = m.encodedEntry(codec);
        m.endpoints(List.of("192.0.2.4:2"));
        assertEquals(new PeerMap(List.of(m.entry())), codec.decode(SplicedMap.of(List.of(m.encodedEntry(codec)))));
        assertEquals(false, java.util.Arrays.equals(before, m.encodedEntry(codec)));
    }

    private static Member member(int id, String name, List<String> endpoints, String fingerprint) throws Exception {
        byte[] key = new byte[32];
        key[0] = (byte) id;
        return new Member(new NodeRecord(NodeKey.of(key), name, InetAddress.getByName("100.64.0." + id),
                InetAddress.getByName("fd00::" + id), new byte[0], fingerprint, new byte[0], endpoints, "",
                Instant.EPOCH, Instant.EPOCH));
    }
}
