package io.tunnelmesh.keysource.agent.internal;

import io.tunnelmesh.api.identity.KeySource;
import io.tunnelmesh.api.identity.KeySourceException;
import io.tunnelmesh.api.identity.NodeIdentity;
import io.tunnelmesh.ssh.internal.ExitCodes;
import io.tunnelmesh.ssh.internal.IdentityCache;
import io.tunnelmesh.ssh.internal.IdentityDerivation;
import io.tunnelmesh.ssh.internal.IdentityPaths;
import java.nio.file.Path;
import java.time.Duration;
import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.metatype.annotations.Designate;

/**
 * Key source that asks a running ssh-agent to sign the derivation message. Present only while its configuration
 * PID exists ({@code tunnelmesh init --agent} writes it). The identity is derived on first use and kept.
 */
@Component(service = KeySource.class, configurationPid = AgentKeySource.PID,
        configurationPolicy = ConfigurationPolicy.REQUIRE, property = KeySource.KIND_PROPERTY + "=agent")
@Designate(ocd = AgentKeySourceConfig.class)
public class AgentKeySource implements KeySource {
    public static final String PID = "io.tunnelmesh.identity.agent";

    private final String socket;
    private final String key;
    private final Duration timeout;
    private final Path pinFile;
    private final IdentityCache cache = new IdentityCache();

    @Activate
    public AgentKeySource(AgentKeySourceConfig config, BundleContext context) {
        this(config.agent_socket().isBlank() ? System.getenv("SSH_AUTH_SOCK") : config.agent_socket(),
                config.agent_key(), Duration.ofSeconds(Math.max(1, config.agent_timeout_seconds())),
                IdentityPaths.pinFile(config.pin_file(), context.getProperty(IdentityPaths.HOME_PROPERTY)));
    }

    /**
     * Outside OSGi (tests, the shell's init command).
     *
     * @param socket agent socket path, null or empty when neither config nor SSH_AUTH_SOCK names one
     * @param key    fingerprint or comment of the key to use, or null/empty for the only usable one
     */
    public AgentKeySource(String socket, String key, Duration timeout, Path pinFile) {
        this.socket = socket == null ? "" : socket.trim();
        this.key = key;
        this.timeout = timeout;
        this.pinFile = pinFile;
    }

    @Override
    public String describe() {
        return "agent " + (socket.isEmpty() ? "(SSH_AUTH_SOCK not set)" : socket)
                + (key == null || key.isBlank() ? "" : " key " + key);
    }

    @Override
    public NodeIdentity identity() throws KeySourceException {
        return cache.get(this::derive);
    }

    private NodeIdentity derive() throws KeySourceException {
        if (socket.isEmpty()) {
            throw new KeySourceException("SSH_AUTH_SOCK is not set and agent.socket is not configured: start an"
                    + " agent (eval \"$(ssh-agent)\"; ssh-add) or use a key file (tunnelmesh init --ssh-key)",
                    ExitCodes.UNAVAILABLE);
        }
        AgentClient client = new AgentClient(Path.of(socket), timeout);
        AgentIdentity chosen = AgentKeySelection.select(client.identities(), key, client.socket());
        return IdentityDerivation.derive(new AgentSigner(client, chosen), pinFile);
    }

    @Deactivate
    void deactivate() {
        cache.clear();
    }
}
