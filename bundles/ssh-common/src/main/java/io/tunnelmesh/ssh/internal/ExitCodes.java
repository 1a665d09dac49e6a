package io.tunnelmesh.ssh.internal;

/**
 * Process exit codes for identity failures, from BSD {@code sysexits.h} so scripts can tell the cases apart.
 * Carried by {@link io.tunnelmesh.api.identity.KeySourceException#exitCode()}.
 */
public final class ExitCodes {
    private ExitCodes() {
    }

    /** Bad command-line arguments. */
    public static final int USAGE = 64;
    /** Key file corrupt or truncated; unsupported key type (ECDSA, sk-, DSA, certificates); bad signature. */
    public static final int DATA = 65;
    /** Key file missing or unreadable. */
    public static final int NO_INPUT = 66;
    /** ssh-agent unreachable, empty, locked, refusing, or the chosen key is not loaded. */
    public static final int UNAVAILABLE = 69;
    /** Cannot write the identity (config, key or pin file), or init would replace an existing identity. */
    public static final int CANT_CREATE = 73;
    /** A later derivation gave a different key than the pinned one (non-deterministic signer). */
    public static final int PROTOCOL = 76;
    /** Key file readable by others, wrong or missing passphrase. */
    public static final int NO_PERMISSION = 77;
    /** No identity configured, or the configuration is invalid or ambiguous. */
    public static final int CONFIG = 78;
}
