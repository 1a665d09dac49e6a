package io.tunnelmesh.node.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tunnelmesh.api.IpPrefix;
import io.tunnelmesh.api.NodeKey;
import io.tunnelmesh.api.PeerConfig;
import io.tunnelmesh.api.node.PeerStatus;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** A pushed peer map applied as one batch: one publication, time linear in the map, WireGuard's prefix rule. */
class BulkPeersTest {
    private static final int MAP_SIZE = 10_000;
    private static final SecureRandom RANDOM = new SecureRandom();

    private final MemoryNetwork network = new MemoryNetwork();
    private final TestNode node = TestNode.fake(network, "192.0.2.1", 51820, "10.99.0.1");

    @AfterEach
    void close() {
        node.close();
    }

    @Test
    void aTenThousandPeerMapIsPublishedAtOnceAndRoutesEveryAddress() throws Exception {
        List<PeerConfig> map = map(MAP_SIZE);
        Set<Integer> seen = ConcurrentHashMap.newKeySet();
        Thread watcher = Thread.ofPlatform().name("peer-set-watcher").start(() -> {
            long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(30); // bounded even if the test hangs
            while (!Thread.currentThread().isInterrupted() && System.nanoTime() < end) {
                seen.add(node.plane.peerStatus().size()); // the packet threads' view: no lock taken
            }
        });
        while (seen.isEmpty()) {
            Thread.onSpinWait();
        }
        long start = System.nanoTime();
        node.plane.applyPeers(map, List.of());
        long micros = (System.nanoTime() - start) / 1000;
        Thread.sleep(50); // let the watcher see the result
        watcher.interrupt();
        watcher.join(5000);

        assertEquals(Set.of(0, MAP_SIZE), seen, "readers see no peers or all of them, never a part of the map");
        assertTrue(micros < TimeUnit.SECONDS.toMicros(3), "one batch is linear in the map: " + micros + " µs");
        for (int i : new int[] {0, 1234, MAP_SIZE - 1}) {
            node.sendTo(address(i), "hello");
        }
        node.sendTo("10.200.0.1", "nobody's");
        Map<String, Long> drops = awaitDrops(4);
        assertEquals(3L, drops.get("NO_ENDPOINT"), "routed to a peer (that has no endpoint yet): " + drops);
        assertEquals(1L, drops.get("NO_ROUTE"), drops.toString());

        PeerConfig moved = new PeerConfig(map.get(1).publicKey(), null, List.of(IpPrefix.parse(address(1) + "/32"),
                IpPrefix.parse(address(2) + "/32")), 0);
        start = System.nanoTime();
        node.plane.applyPeers(List.of(moved), List.of(map.get(3).publicKey()));
        long deltaMicros = (System.nanoTime() - start) / 1000;
        System.out.printf("data plane: %d peers applied in %d ms, then one delta in %d µs%n", MAP_SIZE, micros / 1000, deltaMicros);
        assertEquals(MAP_SIZE - 1, node.plane.peerStatus().size());
        assertEquals(List.of(), allowedIps(map.get(2).publicKey()), "the prefix moved to the peer that claimed it");
    }

    @Test
    void withinOneBatchALaterPeerTakesAPrefixFromAnEarlierOneAndFromExistingPeers() {
        List<PeerConfig> map = map(3);
        node.plane.applyPeers(List.of(map.get(0)), List.of());
        IpPrefix shared = IpPrefix.parse(address(0) + "/32");
        PeerConfig second = new PeerConfig(map.get(1).publicKey(), null, List.of(shared, IpPrefix.parse(address(1) + "/32")), 0);
        PeerConfig third = new PeerConfig(map.get(2).publicKey(), null, List.of(shared), 0);
        node.plane.applyPeers(List.of(second, third), List.of());
        assertEquals(List.of(), allowedIps(map.get(0).publicKey()));
        assertEquals(List.of(IpPrefix.parse(address(1) + "/32")), allowedIps(map.get(1).publicKey()));
        assertEquals(List.of(shared), allowedIps(map.get(2).publicKey()));
    }

    private List<IpPrefix> allowedIps(NodeKey key) {
        return node.plane.peerStatus().stream().filter(p -> p.publicKey().equals(key)).findFirst()
                .map(PeerStatus::allowedIps).orElseThrow();
    }

    private Map<String, Long> awaitDrops(long total) throws InterruptedException {
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        Map<String, Long> drops;
        do {
            drops = node.plane.status("test").drops();
            if (drops.values().stream().mapToLong(Long::longValue).sum() >= total) {
                break;
            }
            Thread.sleep(10);
        } while (System.nanoTime() < end);
        return drops;
    }

    /** Peers 0..n-1, each owning one /32 in 10.100.0.0/16. */
    static List<PeerConfig> map(int n) {
        List<PeerConfig> peers = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            byte[] raw = new byte[32];
            RANDOM.nextBytes(raw);
            peers.add(new PeerConfig(NodeKey.of(raw), null, List.of(IpPrefix.parse(address(i) + "/32")), 0));
        }
        return peers;
    }

    static String address(int i) {
        return "10.100." + (i >> 8) + "." + (i & 0xff);
    }
}
