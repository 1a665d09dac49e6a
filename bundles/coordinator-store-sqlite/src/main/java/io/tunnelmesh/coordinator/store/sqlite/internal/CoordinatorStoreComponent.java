package io.tunnelmesh.coordinator.store.sqlite.internal;

import io.tunnelmesh.api.IpPrefix;
import io.tunnelmesh.api.NodeKey;
import io.tunnelmesh.api.coordinator.AdmissionException;
import io.tunnelmesh.api.coordinator.AdmissionRequest;
import io.tunnelmesh.api.coordinator.CoordinatorStore;
import io.tunnelmesh.api.coordinator.MeshRecord;
import io.tunnelmesh.api.coordinator.NodeRecord;
import io.tunnelmesh.api.coordinator.TokenRecord;
import java.io.IOException;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.metatype.annotations.Designate;

/** The embedded store as a service: opens the database at activation, closes it at deactivation. */
@Component(service = CoordinatorStore.class, configurationPid = CoordinatorStoreComponent.PID)
@Designate(ocd = StoreConfig.class)
public class CoordinatorStoreComponent implements CoordinatorStore {
    public static final String PID = "io.tunnelmesh.coordinator.store";
    static final String DATA_PROPERTY = "tm.data";

    private final SqliteCoordinatorStore store;

    @Activate
    public CoordinatorStoreComponent(StoreConfig config, BundleContext context) throws IOException {
        this.store = SqliteCoordinatorStore.open(databaseFile(config.path(), context.getProperty(DATA_PROPERTY)),
                new SecureRandom());
    }

    static Path databaseFile(String configured, String dataFolder) {
        if (configured != null && !configured.isBlank()) {
            return Path.of(configured.strip());
        }
        return Path.of(dataFolder == null || dataFolder.isBlank() ? "data" : dataFolder, "coordinator.db");
    }

    @Deactivate
    void deactivate() throws IOException {
        store.close();
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
    public NodeRecord admit(AdmissionRequest request, Instant now) throws AdmissionException, IOException {
        return store.admit(request, now);
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
    public void updateEndpoints(NodeKey publicKey, List<String> endpoints, Instant lastSeen) throws IOException {
        store.updateEndpoints(publicKey, endpoints, lastSeen);
    }

    @Override
    public Optional<NodeRecord> removeNode(NodeKey publicKey) throws IOException {
        return store.removeNode(publicKey);
    }
}
