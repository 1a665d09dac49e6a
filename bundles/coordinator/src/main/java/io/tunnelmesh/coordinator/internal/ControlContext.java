package io.tunnelmesh.coordinator.internal;

import io.tunnelmesh.api.StaticKeyPair;
import io.tunnelmesh.api.coordinator.MeshRecord;
import io.tunnelmesh.control.ControlCodec;
import io.tunnelmesh.support.log.ComponentLog;
import java.time.InstantSource;

/** What every control connection shares: the coordinator's key, the mesh, and the threads it hands work to. */
record ControlContext(StaticKeyPair key, MeshRecord mesh, ControlCodec codec, StoreExecutor store, Admission admission,
        PeerRegistry registry, ConnectionGate gate, MapPermits mapPermits, RateLimitedLog problems, Limits limits, InstantSource clock,
        ComponentLog log, RelayHub relay) {
}
