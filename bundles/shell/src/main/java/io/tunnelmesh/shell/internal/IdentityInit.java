package io.tunnelmesh.shell.internal;

import io.tunnelmesh.api.identity.KeySource;
import io.tunnelmesh.api.identity.KeySourceException;
import io.tunnelmesh.api.identity.NodeIdentity;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * What {@code tm:init} and {@code tm:pubkey} do, without OSGi: write the identity configuration, wait for the key
 * source DS starts from it, derive, and report. The pin ({@code data/identity/node.pub}) is written by the key
 * source on its first derivation; init only clears it when the operator forces a new identity.
 */
final class IdentityInit {
    /** Marks a configuration so init waits for the key source instance made from it, not an older one. */
    static final String STAMP_PROPERTY = "identity.created";

    /** Pushes a configuration to ConfigAdmin at once (FileInstall would take up to a poll interval). */
    interface ConfigPublisher {
        /** @param properties null to delete the configuration */
        void publish(String pid, Path file, Map<String, String> properties) throws KeySourceException;
    }

    private final Path identityDir;
    private final IdentityConfigFiles configs;
    private final KeySourceRegistry registry;
    private final ConfigPublisher publisher;
    private final Duration wait;

    IdentityInit(Path home, Path configDir, KeySourceRegistry registry, ConfigPublisher publisher, Duration wait) {
        this.identityDir = home.resolve("data").resolve("identity");
        this.configs = new IdentityConfigFiles(configDir);
        this.registry = registry;
        this.publisher = publisher;
        this.wait = wait;
    }

    Path pinFile() {
        return identityDir.resolve("node.pub");
    }

    String init(List<String> args) throws KeySourceException {
        InitOptions options = InitOptions.parse(args);
        List<Path> existing = new ArrayList<>(configs.existing());
        if (Files.exists(pinFile())) {
            existing.add(pinFile());
        }
        Path generated = identityDir.resolve(GeneratedKey.FILE_NAME);
        if (options.mode() == InitOptions.Mode.GENERATE && Files.exists(generated)) {
            existing.add(generated);
        }
        if (!existing.isEmpty() && !options.force()) {
            throw new KeySourceException("this node already has an identity (" + list(existing) + "): peers know it by"
                    + " its public key; run init again with --force to replace it", IdentityCommands.EXIT_CANT_CREATE);
        }
        if (options.mode() == InitOptions.Mode.SSH_KEY && !Files.isRegularFile(options.keyFile())) {
            throw new KeySourceException("key file " + options.keyFile() + " does not exist: give the path of an SSH"
                    + " private key (e.g. ~/.ssh/id_ed25519)", IdentityCommands.EXIT_NO_INPUT);
        }
        Snapshot before = Snapshot.take(configs, pinFile());
        try {
            return configure(options, generated);
        } catch (KeySourceException e) {
            before.restore(configs, publisher, pinFile()); // a failed init leaves the node as it was
            throw e;
        }
    }

    private String configure(InitOptions options, Path generated) throws KeySourceException {
        Path keyFile = options.keyFile();
        if (options.mode() == InitOptions.Mode.GENERATE) {
            keyFile = regenerate(generated);
        }
        String stamp = Instant.now().toString();
        Map<String, String> props = new LinkedHashMap<>();
        String pid;
        String kind;
        if (options.mode() == InitOptions.Mode.AGENT) {
            pid = IdentityConfigFiles.AGENT_PID;
            kind = "agent";
            props.put("agent.key", options.agentKey() == null ? "" : options.agentKey());
            props.put("agent.socket", options.agentSocket() == null ? "" : options.agentSocket());
        } else {
            pid = IdentityConfigFiles.FILE_PID;
            kind = "file";
            props.put("key.file", keyFile.toString());
            props.put("passphrase.env", "TUNNELMESH_SSH_PASSPHRASE");
        }
        props.put(STAMP_PROPERTY, stamp);
        deleteQuietly(pinFile());
        for (String other : IdentityConfigFiles.PIDS) {
            if (!other.equals(pid)) {
                configs.delete(other);
                publisher.publish(other, configs.path(other), null);
            }
        }
        configs.write(pid, props);
        publisher.publish(pid, configs.path(pid), props);
        KeySourceRegistry.Entry entry = awaitSource(e -> kind.equals(e.properties().get(KeySource.KIND_PROPERTY))
                && stamp.equals(e.properties().get(STAMP_PROPERTY)), "the " + kind + " key source (bundle tm-keysource-"
                + kind + ")");
        NodeIdentity identity = entry.source().identity();
        return "node public key: " + identity.publicKey().toBase64() + "\n"
                + "ssh key:         " + identity.sshFingerprint() + " via " + entry.source().describe() + "\n"
                + "config:          " + configs.path(pid) + "\n"
                + "pinned in:       " + pinFile();
    }

    String pubkey() throws KeySourceException {
        List<KeySourceRegistry.Entry> sources = registry.current();
        if (sources.isEmpty()) {
            List<Path> files = configs.existing();
            if (files.isEmpty()) {
                throw new KeySourceException("no identity is configured: run tunnelmesh init --ssh-key PATH, --agent"
                        + " or --generate", IdentityCommands.EXIT_CONFIG);
            }
            sources = List.of(awaitSource(e -> true, "a key source for " + list(files)));
        }
        if (sources.size() > 1) {
            throw new KeySourceException("more than one identity is configured (" + sources.stream()
                    .map(e -> e.source().describe()).collect(Collectors.joining(", ")) + "): keep one of "
                    + list(configs.existing()), IdentityCommands.EXIT_CONFIG);
        }
        return sources.get(0).source().identity().publicKey().toBase64();
    }

    private KeySourceRegistry.Entry awaitSource(java.util.function.Predicate<KeySourceRegistry.Entry> wanted,
            String what) throws KeySourceException {
        try {
            KeySourceRegistry.Entry entry = registry.await(wanted, wait);
            if (entry == null) {
                throw new KeySourceException(what + " did not start within " + wait.toSeconds() + " s: check with lb"
                        + " that it is active, and data/log/tunnelmesh.log", IdentityCommands.EXIT_CONFIG);
            }
            return entry;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new KeySourceException("interrupted while waiting for " + what, IdentityCommands.EXIT_CONFIG);
        }
    }

    /** Keeps a replaced generated key next to the new one instead of destroying it: it may still be needed. */
    private Path regenerate(Path generated) throws KeySourceException {
        if (Files.exists(generated)) {
            String suffix = ".replaced-" + Instant.now().getEpochSecond();
            try {
                Files.move(generated, generated.resolveSibling(generated.getFileName() + suffix));
                Path pub = generated.resolveSibling(generated.getFileName() + ".pub");
                if (Files.exists(pub)) {
                    Files.move(pub, pub.resolveSibling(generated.getFileName() + suffix + ".pub"));
                }
            } catch (IOException e) {
                throw new KeySourceException("cannot move the old key " + generated + " aside: " + e.getMessage(),
                        IdentityCommands.EXIT_CANT_CREATE);
            }
        }
        return GeneratedKey.generate(identityDir, "tunnelmesh@" + hostName());
    }

    private static String hostName() {
        try {
            return java.net.InetAddress.getLocalHost().getHostName();
        } catch (IOException e) {
            return "node";
        }
    }

    private static String list(List<Path> paths) {
        return paths.stream().map(Path::toString).collect(Collectors.joining(", "));
    }

    private static void deleteQuietly(Path p) throws KeySourceException {
        try {
            Files.deleteIfExists(p);
        } catch (IOException e) {
            throw new KeySourceException("cannot remove " + p + ": " + e.getMessage(), IdentityCommands.EXIT_CANT_CREATE);
        }
    }

    /** The identity files as they were before init, to put back when init fails half-way. */
    private record Snapshot(Map<Path, byte[]> files) {
        static Snapshot take(IdentityConfigFiles configs, Path pin) {
            Map<Path, byte[]> files = new LinkedHashMap<>();
            for (String pid : IdentityConfigFiles.PIDS) {
                read(configs.path(pid), files);
            }
            read(pin, files);
            return new Snapshot(files);
        }

        private static void read(Path p, Map<Path, byte[]> into) {
            try {
                if (Files.exists(p)) {
                    into.put(p, Files.readAllBytes(p));
                }
            } catch (IOException e) {
                // unreadable now means nothing to restore later
            }
        }

        void restore(IdentityConfigFiles configs, ConfigPublisher publisher, Path pin) {
            try {
                for (String pid : IdentityConfigFiles.PIDS) {
                    Path p = configs.path(pid);
                    if (files.containsKey(p)) {
                        put(p, files.get(p));
                        publisher.publish(pid, p, IdentityConfigFiles.parse(files.get(p)));
                    } else if (Files.exists(p)) {
                        Files.delete(p);
                        publisher.publish(pid, p, null);
                    }
                }
                if (files.containsKey(pin)) {
                    put(pin, files.get(pin));
                }
            } catch (IOException | KeySourceException e) {
                // the original failure is what the operator needs to see; the files are where init left them
            }
        }

        private static void put(Path p, byte[] content) throws IOException {
            Path tmp = p.resolveSibling("." + p.getFileName() + ".tmp");
            Files.write(tmp, content);
            Files.move(tmp, p, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        }
    }
}
