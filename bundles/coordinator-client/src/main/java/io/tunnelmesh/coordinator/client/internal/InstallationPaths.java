package io.tunnelmesh.coordinator.client.internal;

import java.nio.file.Path;
import java.util.function.UnaryOperator;

/**
 * This installation's {@code config/} and {@code data/} folders, from the launcher's framework properties
 * {@code tm.config} / {@code tm.data} (else under {@code tm.home}, else the working directory).
 */
record InstallationPaths(Path configDir, Path dataDir) {
    static final String CLIENT_CONFIG = LinkSettings.PID + ".cfg";
    static final String PSK_FILE = "mesh.psk";
    static final String PEER_CACHE = "coordinator-peers.json";

    static InstallationPaths from(UnaryOperator<String> frameworkProperty) {
        String home = frameworkProperty.apply("tm.home");
        Path homeDir = Path.of(home == null ? "." : home).toAbsolutePath();
        String config = frameworkProperty.apply("tm.config");
        String data = frameworkProperty.apply("tm.data");
        return new InstallationPaths(config == null ? homeDir.resolve("config") : Path.of(config).toAbsolutePath(),
                data == null ? homeDir.resolve("data") : Path.of(data).toAbsolutePath());
    }

    Path clientConfig() {
        return configDir.resolve(CLIENT_CONFIG);
    }

    Path psk() {
        return dataDir.resolve(PSK_FILE);
    }

    Path peerCache() {
        return dataDir.resolve(PEER_CACHE);
    }

    NodeConfigFile nodeConfig() {
        return new NodeConfigFile(configDir);
    }
}
