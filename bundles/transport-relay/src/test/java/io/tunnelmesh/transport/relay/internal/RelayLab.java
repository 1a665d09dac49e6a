package io.tunnelmesh.transport.relay.internal;

import io.tunnelmesh.api.IpPrefix;
import io.tunnelmesh.api.StaticKeyPair;
import io.tunnelmesh.api.coordinator.AdmissionRequest;
import io.tunnelmesh.api.coordinator.TokenRecord;
import io.tunnelmesh.coordinator.internal.Coordinator;
import io.tunnelmesh.coordinator.internal.CoordinatorKeyFile;
import io.tunnelmesh.coordinator.internal.CoordinatorSettings;
import io.tunnelmesh.coordinator.internal.Limits;
import io.tunnelmesh.coordinator.store.sqlite.internal.SqliteCoordinatorStore;
import io.tunnelmesh.support.testing.RecordingLog;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A real coordinator (the relay server) on 127.0.0.1 with a real SQLite store, whose members are admitted in the
 * store before it starts, and real relay bindings for those members (or for strangers).
 */
final class RelayLab implements AutoCloseable {
    final Path dir;
    final SqliteCoordinatorStore store;
    final StaticKeyPair coordinatorKey;
    final RecordingLog log = new RecordingLog();
    private final List<RelayBinding> bindings = new ArrayList<>();
    private Coordinator coordinator;
    private int port;

    RelayLab(Path dir, String... members) throws Exception {
        this.dir = dir;
        store = SqliteCoordinatorStore.open(dir.resolve("coordinator.db"), new SecureRandom());
        coordinatorKey = CoordinatorKeyFile.loadOrCreate(dir.resolve("coordinator.key"));
        store.mesh(IpPrefix.parse("100.64.0.0/16"));
        byte[] secret = new byte[32];
        store.createToken(new TokenRecord("t1", secret, "test", true, Instant.now(), null, null, 0));
        for (String name : members) {
            store.admit(new AdmissionRequest(key(name).publicKey(), "t1", secret, name, true, null, null, null, List.of()),
                    Instant.now());
        }
        start();
    }

    /** Starts the coordinator, on the port it had before when restarted. */
    void start() throws IOException {
        CoordinatorSettings settings = new CoordinatorSettings(new InetSocketAddress("127.0.0.1", port),
                IpPrefix.parse("100.64.0.0/16"), List.of(), dir.resolve("authorized_keys"), 0);
        coordinator = Coordinator.start(store, coordinatorKey, settings,
                Limits.defaults().withHandshakeTimeout(Duration.ofSeconds(2)), log, InstantSource.system());
        port = coordinator.address().getPort();
    }

    void stop() {
        coordinator.close();
    }

    Coordinator coordinator() {
        return coordinator;
    }

    /** A node's key pair, the same for the same name. */
    StaticKeyPair key(String name) throws IOException {
        return CoordinatorKeyFile.loadOrCreate(dir.resolve(name + ".key"));
    }

    String server() {
        return "127.0.0.1:" + port;
    }

    RelaySettings settings() {
        return RelaySettings.parse(Map.of(RelaySettings.SERVERS, server() + "=" + coordinatorKey.publicKey().toBase64()));
    }

    RelayBinding bind(StaticKeyPair identity, Collector receiver) {
        RelayBinding b = RelayBinding.open(identity, settings(), receiver, log::warn, log::info, x -> { });
        bindings.add(b);
        return b;
    }

    /** The endpoint of node {@code name} through this lab's relay server. */
    RelayEndpoint endpoint(String name) throws IOException {
        return RelayEndpoint.parse(key(name).publicKey().toBase64() + "@" + server(), settings().servers());
    }

    Coordinator.Status status() {
        return coordinator.status();
    }

    @Override
    public void close() throws Exception {
        bindings.forEach(RelayBinding::close);
        coordinator.close();
        store.close();
    }
}
