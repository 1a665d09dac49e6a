package io.tunnelmesh.bench.coordinator;

import io.tunnelmesh.api.IpPrefix;
import io.tunnelmesh.api.NodeKey;
import io.tunnelmesh.api.coordinator.AdmissionException;
import io.tunnelmesh.api.coordinator.AdmissionRequest;
import io.tunnelmesh.api.coordinator.CoordinatorStore;
import io.tunnelmesh.api.coordinator.MeshRecord;
import io.tunnelmesh.api.coordinator.NodeRecord;
import io.tunnelmesh.api.coordinator.TokenRecord;
import java.io.IOException;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The benchmark's only instrument inside the coordinator JVM: the real store, with the wall time of its
 * admissions and endpoint writes added up. Admission time over elapsed time says how busy the coordinator's
 * one store thread was, fsyncs included (off-CPU, so a CPU profile does not show them).
 */
final class TimedStore implements CoordinatorStore {
    private final CoordinatorStore store;
    final AtomicLong admitNanos = new AtomicLong();
    final AtomicLong admits = new AtomicLong();
    final AtomicLong endpointNanos = new AtomicLong();
    final AtomicLong endpointWrites = new AtomicLong();

    TimedStore(CoordinatorStore store) {
        this.store = store;
    }

    @Override
    public NodeRecord admit(AdmissionRequest request, Instant now) throws AdmissionException, IOException {
        long t0 = System.nanoTime();
        try {
            return store.admit(request, now);
        } finally {
            admitNanos.addAndGet(System.nanoTime() - t0);
            admits.incrementAndGet();
        }
    }

    @Override
    public void updateEndpoints(NodeKey publicKey, List<String> endpoints, Instant lastSeen) throws IOException {
        long t0 = System.nanoTime();
        try {
            store.updateEndpoints(publicKey, endpoints, lastSeen);
        } finally {
            endpointNanos.addAndGet(System.nanoTime() - t0);
            endpointWrites.incrementAndGet();
        }
    }

    @Override
    public MeshRecord mesh(IpPrefix ipv4Cidr) throws IOException {
        return store.mesh(ipv4Cidr);
    }

    @Override
    public void createToken(TokenRecord token) throws IOException {
        store.createToken(token);
    }

    @Override
    public List<TokenRecord> tokens() throws IOException {
        return store.tokens();
    }

    @Override
    public boolean revokeToken(String id, Instant now) throws IOException {
        return store.revokeToken(id, now);
    }

    @Override
    public Optional<NodeRecord> node(NodeKey publicKey) throws IOException {
        return store.node(publicKey);
    }

    @Override
    public List<NodeRecord> nodes() throws IOException {
        return store.nodes();
    }

    @Override
    public Optional<NodeRecord> removeNode(NodeKey publicKey) throws IOException {
        return store.removeNode(publicKey);
    }
}
