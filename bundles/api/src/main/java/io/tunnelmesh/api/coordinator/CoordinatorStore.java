package io.tunnelmesh.api.coordinator;

import io.tunnelmesh.api.IpPrefix;
import io.tunnelmesh.api.NodeKey;
import java.io.IOException;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.osgi.annotation.versioning.ProviderType;

/**
 * The coordinator's durable registry. Every method that changes something has committed it (durably: it
 * survives kill -9) before it returns, so the coordinator may acknowledge it. Writes are serialised by the
 * store. Portable SQL behind it, so an embedded store and a shared database can both implement it.
 *
 * @throws IOException from any method when the database fails, with a one-line message
 */
@ProviderType
public interface CoordinatorStore {
    /**
     * The mesh's settings: created on the first call (IPv4 CIDR as given, a random ULA /64, a random PSK),
     * returned unchanged afterwards.
     *
     * @throws IllegalArgumentException when {@code ipv4Cidr} differs from the one the mesh was created with
     */
    MeshRecord mesh(IpPrefix ipv4Cidr) throws IOException;

    void createToken(TokenRecord token) throws IOException;

    List<TokenRecord> tokens() throws IOException;

    /** @return false when there is no such token */
    boolean revokeToken(String id, Instant now) throws IOException;

    /**
     * Admits a node in one transaction: a known key gets its record back (same addresses; no token used).
     * Otherwise the token is checked (exists, hash matches, not revoked, not expired, unused unless reusable,
     * and this key was not removed from the mesh after joining with it) and consumed, the lowest free IPv4
     * address of the mesh CIDR (not its network or broadcast address) and the IPv6 address with the same
     * host number in the ULA prefix are assigned, and the node is inserted.
     */
    NodeRecord admit(AdmissionRequest request, Instant now) throws AdmissionException, IOException;

    Optional<NodeRecord> node(NodeKey publicKey) throws IOException;

    List<NodeRecord> nodes() throws IOException;

    /** Records what the node reported and when it was last connected. */
    void updateEndpoints(NodeKey publicKey, List<String> endpoints, Instant lastSeen) throws IOException;

    /**
     * Removes the node; the key can no longer join with the token that admitted it (a new token or an
     * authorized SSH key admits it again, with new addresses).
     *
     * @return the removed record, or empty when unknown
     */
    Optional<NodeRecord> removeNode(NodeKey publicKey) throws IOException;
}
