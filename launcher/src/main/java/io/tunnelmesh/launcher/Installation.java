package io.tunnelmesh.launcher;

import java.nio.file.Path;

/**
 * Where one installation keeps its things. Every path derives from {@code tm.home}, so two unpacked
 * distributions on one machine never share a control socket, state or configuration.
 *
 * @param home   the unpacked distribution (or a development directory)
 * @param config configuration watched by FileInstall ({@code *.cfg}) and {@code framework.properties}
 * @param data   runtime state: framework cache, logs, identity, control socket; created 0700
 */
record Installation(Path home, Path config, Path data) {
    static final String HOME_PROPERTY = "tm.home";

    static Installation fromSystemProperties() {
        Path home = Path.of(System.getProperty(HOME_PROPERTY, ".")).toAbsolutePath().normalize();
        Path config = Path.of(System.getProperty("tm.config", home.resolve("config").toString())).toAbsolutePath().normalize();
        return new Installation(home, config, home.resolve("data"));
    }

    Path bundles() {
        return home.resolve("bundle");
    }

    Path deploy() {
        return home.resolve("deploy");
    }

    /** Linux keeps a Unix socket's path in 108 bytes, the last one NUL. */
    static final int MAX_SOCKET_PATH_BYTES = 107;

    /** Refuses, in one line, a socket path the kernel cannot bind, before anything tries to. */
    static Path checkSocketPath(Path socket) throws CliFailure {
        int bytes = socket.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8).length;
        if (bytes > MAX_SOCKET_PATH_BYTES) {
            throw new CliFailure("the control socket path " + socket + " is " + bytes + " bytes, more than the "
                    + MAX_SOCKET_PATH_BYTES + " a Unix socket allows: move the installation to a shorter folder, "
                    + "or set tm.control.socket in config/framework.properties", 1);
        }
        return socket;
    }
}
