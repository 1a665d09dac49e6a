package io.tunnelmesh.coordinator.internal;

import io.tunnelmesh.api.IpPrefix;
import io.tunnelmesh.api.NodeKey;
import io.tunnelmesh.coordinator.store.sqlite.internal.SqliteCoordinatorStore;
import io.tunnelmesh.support.testing.RecordingLog;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.InstantSource;
import java.util.List;

/** A coordinator on 127.0.0.1 (any free port) with a real SQLite store in a temporary folder. */
final class TestCoordinator implements AutoCloseable {
    final Path dir;
    final SqliteCoordinatorStore store;
    final Coordinator coordinator;
    final RecordingLog log = new RecordingLog();

    TestCoordinator(Path dir) throws IOException {
        this(dir, Limits.defaults().withHandshakeTimeout(java.time.Duration.ofSeconds(2)));
    }

    TestCoordinator(Path dir, Limits limits) throws IOException {
        this.dir = dir;
        store = SqliteCoordinatorStore.open(dir.resolve("coordinator.db"), new SecureRandom());
        CoordinatorSettings settings = new CoordinatorSettings(new InetSocketAddress("127.0.0.1", 0),
                IpPrefix.parse("100.64.0.0/16"), List.of(), dir.resolve("authorized_keys"), 0); // 0: no STUN responder
        coordinator = Coordinator.start(store, CoordinatorKeyFile.loadOrCreate(dir.resolve("coordinator.key")), settings,
                limits, log, InstantSource.system());
    }

    InetSocketAddress address() {
        return coordinator.address();
    }

    NodeKey publicKey() {
        return coordinator.publicKey();
    }

    String token(boolean reusable) {
        return coordinator.createToken(reusable, null, "test").token();
    }

    long count(Counters.Kind kind) {
        return coordinator.counters().get(kind);
    }

    @Override
    public void close() throws IOException {
        coordinator.close();
        store.close();
    }
}
