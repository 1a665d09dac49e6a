package io.tunnelmesh.coordinator.store.sqlite.internal;

import io.tunnelmesh.api.IpPrefix;
import io.tunnelmesh.api.NodeKey;
import io.tunnelmesh.api.PresharedKey;
import io.tunnelmesh.api.coordinator.AdmissionException.Reason;
import io.tunnelmesh.api.coordinator.AdmissionException;
import io.tunnelmesh.api.coordinator.AdmissionRequest;
import io.tunnelmesh.api.coordinator.CoordinatorStore;
import io.tunnelmesh.api.coordinator.MeshRecord;
import io.tunnelmesh.api.coordinator.NodeRecord;
import io.tunnelmesh.api.coordinator.TokenRecord;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The registry in one SQLite file. One writer connection ({@link GroupCommitWriter}): every write is committed
 * (fsync'd: WAL + synchronous=FULL) before the method returns; writes arriving together share a commit. Reads
 * use their own connection, so a slow {@link #nodes()} never holds up a join. Free addresses and taken names
 * are kept in memory (loaded at open, changed with each write and undone with its rollback), so a join costs
 * O(log N) whatever the mesh size.
 */
public final class SqliteCoordinatorStore implements CoordinatorStore, AutoCloseable {
    private final Path file;
    private final SecureRandom random;
    private final StoreLock ownership;
    private final GroupCommitWriter writer;
    private final Connection writerConnection;
    private final Connection reader;
    private final ReentrantLock readLock = new ReentrantLock();
    private final NodeNames names = new NodeNames();
    /** Set once the mesh exists; like the names and hosts, only touched inside writes (one at a time). */
    private MeshRecord mesh;
    private MeshAddresses addresses;
    private HostPool hosts;
    private boolean closed;

    private SqliteCoordinatorStore(Path file, SecureRandom random, StoreLock ownership, Connection writer,
            Connection reader) {
        this.file = file;
        this.random = random;
        this.ownership = ownership;
        this.writer = new GroupCommitWriter(file, writer);
        this.writerConnection = writer;
        this.reader = reader;
    }

    /** Opens (creating if needed) the store in {@code file} and brings its schema up to date. */
    public static SqliteCoordinatorStore open(Path file, SecureRandom random) throws IOException {
        try {
            Path parent = file.toAbsolutePath().getParent();
            if (parent != null) {
                Files.createDirectories(parent);
            }
        } catch (IOException e) {
            throw StoreErrors.of(file, "cannot create its folder: " + e.getMessage());
        }
        StoreLock ownership = StoreLock.acquire(file);
        Connection writer = null;
        Connection reader = null;
        try {
            writer = SqliteConnections.open(file);
            migrate(file, writer);
            reader = SqliteConnections.open(file);
            SqliteCoordinatorStore store = new SqliteCoordinatorStore(file, random, ownership, writer, reader);
            store.load(writer);
            return store;
        } catch (SQLException | IOException | RuntimeException e) {
            closeQuietly(reader);
            closeQuietly(writer);
            ownership.close();
            if (e instanceof SQLException s) {
                throw StoreErrors.of(file, s);
            }
            if (e instanceof IOException io) {
                throw io;
            }
            throw StoreErrors.of(file, "cannot read it: " + e.getMessage()
                    + ": restore it from a backup, or move it away to start a new mesh");
        }
    }

    private static void migrate(Path file, Connection c) throws SQLException, IOException {
        c.setAutoCommit(false);
        try {
            Migrations.load("sqlite").apply(c);
        } catch (Migrations.NewerSchema e) {
            throw StoreErrors.of(file, e.getMessage());
        } finally {
            c.setAutoCommit(true);
        }
    }

    /** Reads the mesh and the used addresses and names into memory. */
    private void load(Connection c) throws SQLException {
        Optional<MeshRecord> m = MeshRows.find(c);
        if (m.isPresent()) {
            useMesh(m.get());
        }
        for (NodeRows.Row row : NodeRows.all(c)) {
            hosts.use(row.host());
            names.add(row.node().name(), row.node().publicKey());
        }
    }

    private void forgetMesh() {
        mesh = null;
        addresses = null;
        hosts = null;
    }

    private void useMesh(MeshRecord m) {
        mesh = m;
        addresses = new MeshAddresses(m.ipv4Cidr(), m.ipv6Prefix());
        hosts = new HostPool(addresses.firstHost(), addresses.lastHost());
    }

    @Override
    public MeshRecord mesh(IpPrefix ipv4Cidr) throws IOException {
        return write((c, undo) -> {
            if (mesh != null) {
                if (ipv4Cidr != null && !ipv4Cidr.equals(mesh.ipv4Cidr())) {
                    throw new IllegalArgumentException("mesh CIDR is " + mesh.ipv4Cidr()
                            + " (fixed when the mesh was created); drop --mesh-cidr or use " + mesh.ipv4Cidr());
                }
                return mesh;
            }
            if (ipv4Cidr == null || ipv4Cidr.isIpv6()) {
                throw new IllegalArgumentException("the mesh needs an IPv4 CIDR such as 100.64.0.0/16 (--mesh-cidr)");
            }
            byte[] psk = new byte[32];
            random.nextBytes(psk);
            MeshRecord created = new MeshRecord(IpPrefix.parse(ipv4Cidr.toString()), MeshAddresses.randomUla(random),
                    PresharedKey.of(psk));
            MeshRows.insert(c, created);
            useMesh(created);
            undo.add(this::forgetMesh);
            return created;
        });
    }

    @Override
    public void createToken(TokenRecord token) throws IOException {
        Objects.requireNonNull(token.id(), "token id");
        write((c, undo) -> {
            if (TokenRows.find(c, token.id()).isPresent()) {
                throw new IllegalArgumentException("join token " + token.id() + " already exists: create it with a new id");
            }
            TokenRows.insert(c, token);
            return null;
        });
    }

    @Override
    public List<TokenRecord> tokens() throws IOException {
        return read(TokenRows::all);
    }

    @Override
    public boolean revokeToken(String id, Instant now) throws IOException {
        return write((c, undo) -> TokenRows.revoke(c, id, now));
    }

    @Override
    public NodeRecord admit(AdmissionRequest request, Instant now) throws AdmissionException, IOException {
        NodeKey key = Objects.requireNonNull(request.publicKey(), "public key");
        Objects.requireNonNull(request.name(), "name");
        String endpoints = NodeRows.endpoints(request.endpoints()); // refuse a bad endpoint before any write
        Objects.requireNonNull(endpoints);
        return write((c, undo) -> {
            if (mesh == null) {
                throw new IllegalStateException("the mesh is not set up yet: call mesh(CIDR) before admitting nodes");
            }
            Optional<NodeRows.Row> known = NodeRows.find(c, key);
            if (known.isPresent()) {
                return known.get().node();
            }
            String tokenId = request.tokenId();
            if (tokenId != null) {
                TokenCheck.check(tokenId, TokenRows.find(c, tokenId), request.secretHash(),
                        TokenRows.banned(c, tokenId, key), now);
                TokenRows.countUse(c, tokenId);
            }
            String name = chooseName(request);
            OptionalLong host = hosts.lowestFree();
            if (host.isEmpty()) {
                throw new AdmissionException(Reason.ADDRESSES_EXHAUSTED, "no free address left in the mesh "
                        + mesh.ipv4Cidr() + ": remove unused nodes with tm:node-remove");
            }
            long h = host.getAsLong();
            NodeRecord node = new NodeRecord(key, name, addresses.ipv4(h), addresses.ipv6(h), request.sshPublicKey(),
                    request.sshFingerprint(), request.binding(), request.endpoints(),
                    tokenId == null ? "" : tokenId, now, now);
            NodeRows.insert(c, node, h);
            hosts.use(h);
            names.add(name, key);
            undo.add(() -> {
                hosts.free(h);
                names.remove(name);
            });
            return node;
        });
    }

    private String chooseName(AdmissionRequest request) throws AdmissionException {
        String wanted = request.name();
        if (!request.nameExplicit()) {
            return names.free(wanted);
        }
        Optional<NodeKey> holder = names.holder(wanted);
        if (holder.isPresent()) {
            throw new AdmissionException(Reason.NAME_TAKEN, "name " + wanted + " is taken by node "
                    + holder.get().shortForm() + ": choose another with --name");
        }
        return wanted;
    }

    @Override
    public Optional<NodeRecord> node(NodeKey publicKey) throws IOException {
        return read(c -> NodeRows.find(c, publicKey).map(NodeRows.Row::node));
    }

    @Override
    public List<NodeRecord> nodes() throws IOException {
        return read(c -> NodeRows.all(c).stream().map(NodeRows.Row::node).toList());
    }

    @Override
    public void updateEndpoints(NodeKey publicKey, List<String> endpoints, Instant lastSeen) throws IOException {
        NodeRows.endpoints(endpoints);
        write((c, undo) -> NodeRows.updateEndpoints(c, publicKey, endpoints, lastSeen));
    }

    @Override
    public Optional<NodeRecord> removeNode(NodeKey publicKey) throws IOException {
        return write((c, undo) -> {
            Optional<NodeRows.Row> row = NodeRows.find(c, publicKey);
            if (row.isEmpty()) {
                return Optional.<NodeRecord>empty();
            }
            NodeRecord node = row.get().node();
            NodeRows.delete(c, publicKey);
            if (!node.tokenId().isEmpty()) {
                TokenRows.ban(c, node.tokenId(), publicKey);
            }
            hosts.free(row.get().host());
            names.remove(node.name());
            undo.add(() -> {
                hosts.use(row.get().host());
                names.add(node.name(), publicKey);
            });
            return Optional.of(node);
        });
    }

    @Override
    public void close() throws IOException {
        writer.close();
        readLock.lock();
        try {
            if (closed) {
                return;
            }
            closed = true;
            closeQuietly(reader);
            closeQuietly(writerConnection);
            ownership.close();
        } finally {
            readLock.unlock();
        }
    }

    @FunctionalInterface
    private interface Read<T> {
        T run(Connection c) throws SQLException;
    }

    private <T, X extends Exception> T write(GroupCommitWriter.Write<T, X> work) throws IOException, X {
        return writer.write(work);
    }

    private <T> T read(Read<T> work) throws IOException {
        readLock.lock();
        try {
            requireOpen();
            return work.run(reader);
        } catch (SQLException e) {
            throw StoreErrors.of(file, e);
        } finally {
            readLock.unlock();
        }
    }

    private void requireOpen() throws IOException {
        if (closed) {
            throw StoreErrors.of(file, "the store is closed: restart the coordinator");
        }
    }

    private static void closeQuietly(Connection c) {
        if (c != null) {
            try {
                c.close();
            } catch (SQLException ignored) {
                // closing is best effort; every write was already committed
            }
        }
    }
}
