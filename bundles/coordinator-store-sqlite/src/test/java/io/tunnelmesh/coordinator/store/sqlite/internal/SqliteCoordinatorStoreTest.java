package io.tunnelmesh.coordinator.store.sqlite.internal;

import static io.tunnelmesh.coordinator.store.sqlite.internal.Joins.newKey;
import static io.tunnelmesh.coordinator.store.sqlite.internal.Joins.token;
import static io.tunnelmesh.coordinator.store.sqlite.internal.Joins.withToken;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tunnelmesh.api.IpPrefix;
import io.tunnelmesh.api.NodeKey;
import io.tunnelmesh.api.coordinator.AdmissionException.Reason;
import io.tunnelmesh.api.coordinator.AdmissionException;
import io.tunnelmesh.api.coordinator.MeshRecord;
import io.tunnelmesh.api.coordinator.NodeRecord;
import io.tunnelmesh.api.coordinator.TokenRecord;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SqliteCoordinatorStoreTest {
    private static final IpPrefix CIDR = IpPrefix.parse("100.64.0.0/16");
    private static final Instant T0 = Instant.parse("2026-12-06T10:00:00.123456789Z");

    @TempDir
    Path dir;
    Path file;
    SqliteCoordinatorStore store;

    @BeforeEach
    void open() throws IOException {
        file = dir.resolve("data/coordinator.db");
        store = SqliteCoordinatorStore.open(file, Joins.RANDOM);
    }

    @AfterEach
    void close() throws IOException {
        store.close();
    }

    private SqliteCoordinatorStore reopen() throws IOException {
        store.close();
        store = SqliteCoordinatorStore.open(file, Joins.RANDOM);
        return store;
    }

    private AdmissionException refused(Reason reason, Executable join) {
        AdmissionException e = assertThrows(AdmissionException.class, join::run);
        assertEquals(reason, e.reason(), e.getMessage());
        assertFalse(e.getMessage().contains("\n"), "one line: " + e.getMessage());
        return e;
    }

    interface Executable {
        void run() throws Exception;
    }

    @Test
    void meshIsCreatedOnceWithARandomUlaAndPsk() throws IOException {
        MeshRecord mesh = store.mesh(CIDR);
        assertEquals(CIDR, mesh.ipv4Cidr());
        assertEquals(64, mesh.ipv6Prefix().length());
        assertEquals((byte) 0xfd, mesh.ipv6Prefix().networkBytes()[0]);
        assertFalse(mesh.psk().isNone());
        assertEquals(mesh, store.mesh(CIDR));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> store.mesh(IpPrefix.parse("10.0.0.0/8")));
        assertEquals("mesh CIDR is 100.64.0.0/16 (fixed when the mesh was created); drop --mesh-cidr or use 100.64.0.0/16",
                e.getMessage());
    }

    @Test
    void oneTimeTokenAdmitsOnceThenIsUsed() throws Exception {
        store.mesh(CIDR);
        store.createToken(token("t1", false, T0, null));
        NodeRecord a = store.admit(withToken(newKey(), "t1", "alpha", true), T0);
        assertEquals(InetAddress.getByName("100.64.0.1"), a.ipv4());
        assertEquals("t1", a.tokenId());
        AdmissionException e = refused(Reason.TOKEN_USED, () -> store.admit(withToken(newKey(), "t1", "beta", true), T0));
        assertEquals("join token t1 was already used: create a new one with tm:token-create", e.getMessage());
        assertEquals(1, store.tokens().getFirst().uses());
        assertEquals(1, store.nodes().size());
    }

    @Test
    void reusableTokenAdmitsManyAndCountsUses() throws Exception {
        store.mesh(CIDR);
        store.createToken(token("r", true, T0, null));
        for (int i = 0; i < 5; i++) {
            store.admit(withToken(newKey(), "r", "host", false), T0);
        }
        assertEquals(5, store.tokens().getFirst().uses());
        assertEquals(List.of("host", "host-2", "host-3", "host-4", "host-5"),
                store.nodes().stream().map(NodeRecord::name).toList());
    }

    @Test
    void expiredRevokedAndUnknownTokensAreRefused() throws Exception {
        store.mesh(CIDR);
        store.createToken(token("exp", true, T0, T0.plus(Duration.ofHours(1))));
        store.createToken(token("rev", true, T0, null));
        store.admit(withToken(newKey(), "exp", "early", true), T0.plus(Duration.ofMinutes(59)));
        AdmissionException e = refused(Reason.TOKEN_EXPIRED,
                () -> store.admit(withToken(newKey(), "exp", "late", true), T0.plus(Duration.ofHours(1))));
        assertTrue(e.getMessage().startsWith("join token exp expired at 2026-12-06T11:00:00.123456789Z"), e.getMessage());

        assertTrue(store.revokeToken("rev", T0));
        assertFalse(store.revokeToken("nope", T0));
        refused(Reason.TOKEN_REVOKED, () -> store.admit(withToken(newKey(), "rev", "x", true), T0));
        refused(Reason.TOKEN_UNKNOWN, () -> store.admit(withToken(newKey(), "nope", "y", true), T0));

        var wrongSecret = new io.tunnelmesh.api.coordinator.AdmissionRequest(newKey(), "rev", Joins.hash("guess"),
                "z", true, null, null, null, null);
        refused(Reason.TOKEN_UNKNOWN, () -> store.admit(wrongSecret, T0));
        assertEquals(1, store.nodes().size());
    }

    @Test
    void removedKeyCannotReturnWithItsTokenButCanWithANewOne() throws Exception {
        store.mesh(CIDR);
        store.createToken(token("r", true, T0, null));
        NodeKey key = newKey();
        NodeRecord first = store.admit(withToken(key, "r", "gone", true), T0);
        NodeRecord removed = store.removeNode(key).orElseThrow();
        assertEquals(first.name(), removed.name());
        assertEquals(first.ipv4(), removed.ipv4());
        assertTrue(store.node(key).isEmpty());
        AdmissionException e = refused(Reason.NODE_REMOVED, () -> store.admit(withToken(key, "r", "gone", true), T0));
        assertEquals("this node was removed from the mesh; the operator must create a new token", e.getMessage());
        assertTrue(store.removeNode(key).isEmpty());

        store.createToken(token("fresh", false, T0, null));
        NodeRecord back = store.admit(withToken(key, "fresh", "gone", true), T0);
        assertEquals("fresh", back.tokenId());
        assertEquals(first.ipv4(), back.ipv4(), "the lowest free address is the one it left");
    }

    @Test
    void rejoinWithTheSameKeyReturnsTheSameRecordWithoutUsingTheToken() throws Exception {
        store.mesh(CIDR);
        store.createToken(token("t", false, T0, null));
        store.createToken(token("other", false, T0, null));
        NodeKey key = newKey();
        NodeRecord first = store.admit(withToken(key, "t", "me", true), T0);
        NodeRecord again = store.admit(withToken(key, "other", "renamed", true), T0.plusSeconds(60));
        assertEquals(first.ipv4(), again.ipv4());
        assertEquals(first.ipv6(), again.ipv6());
        assertEquals("me", again.name());
        assertEquals(0, store.tokens().stream().filter(t -> t.id().equals("other")).findFirst().orElseThrow().uses());
        NodeRecord bySsh = store.admit(Joins.bySshKey(newKey(), "ssh"), T0);
        assertEquals("", bySsh.tokenId());
    }

    @Test
    void ipv6SharesTheHostNumberWithIpv4() throws Exception {
        MeshRecord mesh = store.mesh(CIDR);
        store.createToken(token("r", true, T0, null));
        NodeRecord n = null;
        for (int i = 0; i < 300; i++) {
            n = store.admit(withToken(newKey(), "r", "n", false), T0);
        }
        assertEquals(InetAddress.getByName("100.64.1.44"), n.ipv4());
        byte[] v6 = mesh.ipv6Prefix().networkBytes();
        v6[14] = 1;
        v6[15] = 44;
        assertEquals(InetAddress.getByAddress(v6), n.ipv6());
    }

    @Test
    void explicitNameTakenIsRefusedImplicitGetsASuffix() throws Exception {
        store.mesh(CIDR);
        store.createToken(token("r", true, T0, null));
        NodeKey holder = newKey();
        store.admit(withToken(holder, "r", "web", true), T0);
        AdmissionException e = refused(Reason.NAME_TAKEN, () -> store.admit(withToken(newKey(), "r", "web", true), T0));
        assertEquals("name web is taken by node " + holder.shortForm() + ": choose another with --name", e.getMessage());
        refused(Reason.NAME_TAKEN, () -> store.admit(withToken(newKey(), "r", "WEB", true), T0));
        assertEquals(1, store.tokens().getFirst().uses(), "a refused join uses nothing");
        assertEquals("web-2", store.admit(withToken(newKey(), "r", "web", false), T0).name());
        NodeKey third = newKey();
        assertEquals("web-3", store.admit(withToken(third, "r", "web", false), T0).name());
        NodeKey second = store.nodes().stream().filter(n -> n.name().equals("web-2")).findFirst().orElseThrow().publicKey();
        store.removeNode(second);
        assertEquals("web-2", store.admit(withToken(newKey(), "r", "web", false), T0).name());
        assertEquals("web-4", store.admit(withToken(newKey(), "r", "web", false), T0).name());
    }

    @Test
    void aSlash30HasTwoAddressesThenIsExhausted() throws Exception {
        store.mesh(IpPrefix.parse("10.9.0.0/30"));
        store.createToken(token("r", true, T0, null));
        assertEquals(InetAddress.getByName("10.9.0.1"), store.admit(withToken(newKey(), "r", "a", true), T0).ipv4());
        assertEquals(InetAddress.getByName("10.9.0.2"), store.admit(withToken(newKey(), "r", "b", true), T0).ipv4());
        AdmissionException e = refused(Reason.ADDRESSES_EXHAUSTED,
                () -> store.admit(withToken(newKey(), "r", "c", true), T0));
        assertTrue(e.getMessage().contains("10.9.0.0/30"), e.getMessage());
        assertEquals(2, store.tokens().getFirst().uses(), "the refused join did not consume a use");
    }

    @Test
    void aReopenedStoreKeepsEverything() throws Exception {
        MeshRecord mesh = store.mesh(CIDR);
        TokenRecord t = new TokenRecord("keep", Joins.hash("secret-keep"), "laptops", true, T0,
                T0.plus(Duration.ofDays(1)), null, 0);
        store.createToken(t);
        NodeRecord a = store.admit(withToken(newKey(), "keep", "a", true), T0);
        NodeRecord b = store.admit(withToken(newKey(), "keep", "b", true), T0);
        store.removeNode(a.publicKey());
        store.updateEndpoints(b.publicKey(), List.of("198.51.100.7:4000"), T0.plusSeconds(5));

        reopen();
        assertEquals(mesh, store.mesh(CIDR));
        assertArrayEquals(mesh.psk().toBytes(), store.mesh(null).psk().toBytes());
        TokenRecord kept = store.tokens().getFirst();
        assertEquals(t.expiresAt(), kept.expiresAt());
        assertEquals(2, kept.uses());
        assertArrayEquals(t.secretHash(), kept.secretHash());
        NodeRecord b2 = store.node(b.publicKey()).orElseThrow();
        assertEquals(List.of("198.51.100.7:4000"), b2.endpoints());
        assertEquals(T0.plusSeconds(5), b2.lastSeen());
        assertEquals(b.ipv6(), b2.ipv6());
        assertArrayEquals(new byte[] {1, 2, 3}, b2.sshPublicKey());
        refused(Reason.NODE_REMOVED, () -> store.admit(withToken(a.publicKey(), "keep", "a", true), T0));
        refused(Reason.NAME_TAKEN, () -> store.admit(withToken(newKey(), "keep", "b", true), T0));
        assertEquals(a.ipv4(), store.admit(withToken(newKey(), "keep", "c", true), T0).ipv4(),
                "the address freed before the restart is handed out again");
    }

    @Test
    void aSecondOpenOfTheSameFileIsRefusedInOneLine() {
        IOException e = assertThrows(IOException.class, () -> SqliteCoordinatorStore.open(file, Joins.RANDOM));
        assertEquals("coordinator store " + file + ": database is locked by another process: stop the other coordinator",
                e.getMessage());
    }

    @Test
    void aFileThatIsNotADatabaseIsRefusedInOneLine() throws IOException {
        Path garbage = dir.resolve("garbage.db");
        Files.write(garbage, new byte[4096]);
        Files.writeString(garbage, "this is not sqlite at all, just text that fills the header.............");
        IOException e = assertThrows(IOException.class, () -> SqliteCoordinatorStore.open(garbage, Joins.RANDOM));
        assertTrue(e.getMessage().startsWith("coordinator store " + garbage + ": not a valid database"), e.getMessage());
        assertFalse(e.getMessage().contains("\n"));
    }
}
