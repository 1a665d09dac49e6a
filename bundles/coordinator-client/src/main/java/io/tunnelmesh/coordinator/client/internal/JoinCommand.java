package io.tunnelmesh.coordinator.client.internal;

import io.tunnelmesh.api.identity.KeySource;
import io.tunnelmesh.api.identity.KeySourceException;
import io.tunnelmesh.api.identity.NodeIdentity;
import io.tunnelmesh.api.node.MeshNode;
import io.tunnelmesh.control.ControlCodec;
import java.io.IOException;
import java.nio.file.Files;
import java.time.Duration;
import java.util.Arrays;
import java.util.Dictionary;
import java.util.Hashtable;
import java.util.List;
import java.util.Map;
import org.apache.felix.service.command.Descriptor;
import org.osgi.framework.BundleContext;
import org.osgi.service.cm.Configuration;
import org.osgi.service.cm.ConfigurationAdmin;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;

/**
 * {@code tm:join TOKEN [--name NAME]} ({@code bin/tunnelmesh join}): admits this node to a mesh and writes what it
 * learned to {@code config/} and {@code data/}. Works on a running node (which then picks the files up) and in the
 * launcher's one-shot runtime alike.
 */
@Component(service = JoinCommand.class, property = {"osgi.command.scope=tm", "osgi.command.function=join"})
public final class JoinCommand {
    static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(5);
    static final Duration HANDSHAKE_TIMEOUT = Duration.ofSeconds(10);

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC, policyOption = ReferencePolicyOption.GREEDY)
    private volatile KeySource keySource;
    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC)
    private volatile MeshNode node;
    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC)
    private volatile ConfigurationAdmin configAdmin;

    private final InstallationPaths paths;
    private final Joiner joiner;

    @Activate
    public JoinCommand(BundleContext context) {
        this.paths = InstallationPaths.from(context::getProperty);
        this.joiner = new Joiner(new CoordinatorDialer(CONNECT_TIMEOUT), new ControlCodec(), HANDSHAKE_TIMEOUT, paths);
    }

    @Descriptor("join a mesh: tm:join TOKEN [--name NAME], with the token 'tm:token-create' printed on the coordinator")
    public String join(String... args) throws KeySourceException, JoinFailedException {
        JoinOptions options = JoinOptions.parse(Arrays.asList(args));
        KeySource source = keySource;
        if (source == null) {
            throw new JoinFailedException("no identity yet: run 'tunnelmesh init --generate' (or --ssh-key PATH, or --agent) first");
        }
        NodeIdentity identity = source.identity();
        MeshNode running = node;
        NodeLocalReport local = new NodeLocalReport(() -> running == null ? null : running.status(), paths.nodeConfig());
        Admission admission = joiner.join(identity, options, local.current(List.of()));
        publishLinkConfig();
        return String.join("\n", admission.report(running != null));
    }

    /**
     * Hands the new link configuration to ConfigAdmin at once (FileInstall would take a second, and skips a file
     * whose content did not change: a rejoin after removal must restart the link even then).
     */
    private void publishLinkConfig() {
        ConfigurationAdmin cm = configAdmin;
        if (cm == null) {
            return; // FileInstall picks the file up on its next poll
        }
        try {
            Map<String, String> properties = NodeConfigFile.readProperties(Files.readString(paths.clientConfig()));
            Dictionary<String, Object> dict = new Hashtable<>(properties);
            dict.put("felix.fileinstall.filename", paths.clientConfig().toUri().toString());
            Configuration c = cm.getConfiguration(LinkSettings.PID, "?");
            c.update(dict);
        } catch (IOException | RuntimeException e) {
            // the file is written; FileInstall applies it within a few seconds
        }
    }
}
