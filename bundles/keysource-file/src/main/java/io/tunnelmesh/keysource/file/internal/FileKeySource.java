package io.tunnelmesh.keysource.file.internal;

import io.tunnelmesh.api.identity.KeySource;
import io.tunnelmesh.api.identity.KeySourceException;
import io.tunnelmesh.api.identity.NodeIdentity;
import io.tunnelmesh.ssh.internal.ExitCodes;
import io.tunnelmesh.ssh.internal.IdentityCache;
import io.tunnelmesh.ssh.internal.IdentityDerivation;
import io.tunnelmesh.ssh.internal.IdentityPaths;
import java.io.Console;
import java.nio.file.Path;
import java.util.function.Function;
import java.util.function.Supplier;
import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.metatype.annotations.Designate;

/**
 * Key source reading an OpenSSH private key file. Present only while its configuration PID exists
 * ({@code tunnelmesh init --ssh-key} writes it), so at most one key source is registered at a time. The key file
 * is read and the identity derived on first use; the SSH private key is dropped as soon as the identity exists.
 */
@Component(service = KeySource.class, configurationPid = FileKeySource.PID,
        configurationPolicy = ConfigurationPolicy.REQUIRE, property = KeySource.KIND_PROPERTY + "=file")
@Designate(ocd = FileKeySourceConfig.class)
public class FileKeySource implements KeySource {
    public static final String PID = "io.tunnelmesh.identity.file";

    private final Path keyFile;
    private final Passphrase passphrase;
    private final Path pinFile;
    private final IdentityCache cache = new IdentityCache();

    @Activate
    public FileKeySource(FileKeySourceConfig config, BundleContext context) {
        this(path(config.key_file()), config.passphrase_env(), System::getenv, System::console,
                IdentityPaths.pinFile(config.pin_file(), context.getProperty(IdentityPaths.HOME_PROPERTY)));
    }

    /** Outside OSGi (tests, the shell's init command): every input explicit. */
    public FileKeySource(Path keyFile, String passphraseEnv, Function<String, String> environment,
            Supplier<Console> console, Path pinFile) {
        this.keyFile = keyFile;
        this.passphrase = new Passphrase(passphraseEnv == null || passphraseEnv.isBlank()
                ? "TUNNELMESH_SSH_PASSPHRASE" : passphraseEnv, environment, console);
        this.pinFile = pinFile;
    }

    @Override
    public String describe() {
        return "file " + (keyFile == null ? "(no key.file configured)" : keyFile);
    }

    @Override
    public NodeIdentity identity() throws KeySourceException {
        return cache.get(() -> {
            if (keyFile == null) {
                throw new KeySourceException("no key file configured: set key.file in " + PID + " or run tunnelmesh"
                        + " init --ssh-key PATH", ExitCodes.CONFIG);
            }
            return IdentityDerivation.derive(OpenSshKeyFile.load(keyFile, passphrase), pinFile);
        });
    }

    @Deactivate
    void deactivate() {
        cache.clear();
    }

    private static Path path(String configured) {
        return configured == null || configured.isBlank() ? null : Path.of(configured.trim());
    }
}
