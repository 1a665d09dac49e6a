package io.tunnelmesh.coordinator.client.internal;

import io.tunnelmesh.control.JoinToken;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Writes what a join learned, each file atomically: the mesh PSK ({@code data/mesh.psk}, mode 600), the node's
 * address and PSK file in {@code config/io.tunnelmesh.node.cfg}, and the coordinator link's configuration. The
 * link's file comes last: once it appears, everything the running node needs is in place.
 */
final class JoinFiles {
    private final InstallationPaths paths;

    JoinFiles(InstallationPaths paths) {
        this.paths = paths;
    }

    /** Fails before the coordinator is asked when a folder cannot be written, so no token is used up for nothing. */
    void checkWritable() throws JoinFailedException {
        for (Path dir : new Path[] {paths.configDir(), paths.dataDir()}) {
            try {
                Files.createDirectories(dir);
            } catch (IOException e) {
                throw new JoinFailedException("cannot create " + dir + ": " + e.getMessage());
            }
            if (!Files.isWritable(dir)) {
                throw new JoinFailedException(dir + " is not writable: run join as the installation's owner");
            }
        }
    }

    void write(JoinToken token, Admission admission) throws JoinFailedException {
        Path current = paths.psk();
        try {
            Map<String, String> node = new LinkedHashMap<>();
            node.put("address", admission.addressSetting());
            if (admission.meshPsk() != null) {
                AtomicFiles.write(current, (admission.meshPsk() + "\n").getBytes(StandardCharsets.US_ASCII), true);
                node.put("psk.file", paths.psk().toAbsolutePath().toString());
            }
            current = paths.nodeConfig().path();
            paths.nodeConfig().set(node);
            current = paths.clientConfig();
            String stunServers = Files.exists(current)
                    ? NodeConfigFile.readProperties(Files.readString(current)).get(StunServers.KEY) : null;
            AtomicFiles.write(current, clientConfig(token, admission, stunServers).getBytes(StandardCharsets.UTF_8), false);
        } catch (IOException e) {
            throw new JoinFailedException("admitted to the mesh as " + admission.name() + ", but cannot write " + current
                    + ": " + e.getMessage() + "; fix that and join again (a one-time token is used up: ask for a new one)");
        }
    }

    /** @param stunServers the operator's {@code stun.servers} from before (a rejoin keeps it), or null */
    static String clientConfig(JoinToken token, Admission admission, String stunServers) {
        return "# This node's coordinator, written by 'tunnelmesh join'. Join again to change it.\n"
                + LinkSettings.KEY + "=" + token.coordinatorKey().toBase64() + "\n"
                + LinkSettings.ADDRESSES + "=" + String.join(",", token.addresses()).replace("\\", "\\\\") + "\n"
                + LinkSettings.NAME + "=" + admission.name().replace("\\", "\\\\") + "\n"
                + (stunServers == null ? "" : StunServers.KEY + "=" + stunServers.replace("\\", "\\\\") + "\n");
    }
}
