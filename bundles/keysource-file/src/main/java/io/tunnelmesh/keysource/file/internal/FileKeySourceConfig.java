package io.tunnelmesh.keysource.file.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

@ObjectClassDefinition(name = "TunnelMesh identity from an SSH key file",
        description = "Derives the node's static X25519 key from an OpenSSH private key file (ssh-ed25519 or"
                + " ssh-rsa). Written by tunnelmesh init --ssh-key PATH or --generate.")
@interface FileKeySourceConfig {
    @AttributeDefinition(name = "Key file", description = "Path of the OpenSSH private key; must be private to its"
            + " owner (chmod 600)")
    String key_file();

    @AttributeDefinition(name = "Passphrase variable", description = "Environment variable holding the passphrase"
            + " of a protected key; when unset the node asks on its terminal")
    String passphrase_env() default "TUNNELMESH_SSH_PASSPHRASE";

    @AttributeDefinition(name = "Pin file", description = "Where the derived public key is pinned; empty means"
            + " ${tm.home}/data/identity/node.pub", required = false)
    String pin_file() default "";
}
