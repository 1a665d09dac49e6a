package io.tunnelmesh.shell.internal;

import io.tunnelmesh.api.identity.KeySource;
import io.tunnelmesh.api.identity.KeySourceException;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.Dictionary;
import java.util.Hashtable;
import java.util.Map;
import org.osgi.framework.BundleContext;
import org.osgi.service.cm.Configuration;
import org.osgi.service.cm.ConfigurationAdmin;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;

/**
 * Gogo commands {@code tm:init} and {@code tm:pubkey} ({@code bin/tunnelmesh init …} / {@code pubkey}). Failures
 * are {@link KeySourceException}s: one line and an exit code (BSD sysexits values, as the key sources use).
 */
@Component(service = IdentityCommands.class, property = {"osgi.command.scope=tm", "osgi.command.function=init",
        "osgi.command.function=pubkey"})
public class IdentityCommands {
    static final int EXIT_USAGE = 64;
    static final int EXIT_NO_INPUT = 66;
    static final int EXIT_CANT_CREATE = 73;
    static final int EXIT_CONFIG = 78;
    /** How long init/pubkey wait for ConfigAdmin + DS to start the key source (FileInstall polls every second). */
    private static final Duration WAIT = Duration.ofSeconds(15);

    private final KeySourceRegistry registry = new KeySourceRegistry();
    private IdentityInit identity;

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC)
    private volatile ConfigurationAdmin configAdmin;

    @Activate
    void activate(BundleContext context) {
        String home = context.getProperty("tm.home");
        Path homeDir = Path.of(home == null ? "." : home).toAbsolutePath();
        String config = context.getProperty("tm.config");
        Path configDir = config == null ? homeDir.resolve("config") : Path.of(config);
        identity = new IdentityInit(homeDir, configDir, registry, this::publish, WAIT);
    }

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC)
    void addKeySource(KeySource source, Map<String, Object> properties) {
        registry.add(source, properties);
    }

    void removeKeySource(KeySource source) {
        registry.remove(source);
    }

    /** {@code tm:init --ssh-key PATH | --agent [--key FINGERPRINT|COMMENT] [--socket PATH] | --generate [--force]} */
    public String init(String... args) throws KeySourceException {
        return identity.init(Arrays.asList(args));
    }

    /** {@code tm:pubkey}: the configured identity's public key, base64 as {@code wg} shows keys. */
    public String pubkey() throws KeySourceException {
        return identity.pubkey();
    }

    /** Updates ConfigAdmin directly so the key source starts now; FileInstall then finds the file already applied. */
    private void publish(String pid, Path file, Map<String, String> properties) throws KeySourceException {
        ConfigurationAdmin cm = configAdmin;
        if (cm == null) {
            return; // FileInstall picks the file up on its next poll
        }
        try {
            Configuration c = cm.getConfiguration(pid, "?");
            if (properties == null) {
                if (c.getProperties() != null) {
                    c.delete();
                }
                return;
            }
            Dictionary<String, Object> dict = new Hashtable<>(properties);
            dict.put("felix.fileinstall.filename", file.toUri().toString());
            c.update(dict);
        } catch (IOException e) {
            throw new KeySourceException("cannot apply the identity configuration " + pid + ": " + e.getMessage(),
                    EXIT_CANT_CREATE);
        }
    }
}
