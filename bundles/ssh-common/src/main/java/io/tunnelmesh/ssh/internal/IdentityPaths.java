package io.tunnelmesh.ssh.internal;

import java.nio.file.Path;

/** Where a node keeps its identity state: {@code ${tm.home}/data/identity/}. */
public final class IdentityPaths {
    /** Framework/system property naming the node's home folder (set by the launcher). */
    public static final String HOME_PROPERTY = "tm.home";
    public static final String PIN_FILE_NAME = "node.pub";

    private IdentityPaths() {
    }

    public static Path identityDir(Path home) {
        return home.resolve("data").resolve("identity");
    }

    /**
     * @param configured the {@code pin.file} config value; empty means the default in the node's home
     * @param home       value of {@code tm.home}, or null when not running under the launcher
     * @return the pin file, or null when neither is set (no pinning, e.g. a bare test framework)
     */
    public static Path pinFile(String configured, String home) {
        if (configured != null && !configured.isBlank()) {
            return Path.of(configured.trim());
        }
        return home == null || home.isBlank() ? null : identityDir(Path.of(home)).resolve(PIN_FILE_NAME);
    }
}
