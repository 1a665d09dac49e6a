package io.tunnelmesh.coordinator.client.internal;

import io.tunnelmesh.api.identity.NodeIdentity;
import io.tunnelmesh.control.EndpointsReport;
import io.tunnelmesh.control.Hello;
import io.tunnelmesh.control.JoinToken;
import java.util.Base64;

/** The hello a node sends in Noise message 1 (docs/COORDINATOR.md, "Messages"). */
final class NodeHello {
    static final int VERSION = 1;

    private NodeHello() {
    }

    /** {@code join}: with the token's id and secret (null for admission by SSH key). */
    static Hello join(NodeIdentity identity, JoinToken token, String name, String hostname, EndpointsReport local) {
        byte[] secret = token.secret();
        String tokenSecret = secret == null ? null : Base64.getUrlEncoder().withoutPadding().encodeToString(secret);
        return hello(Hello.JOIN, token.tokenId(), tokenSecret, identity, name, hostname, local);
    }

    /** {@code connect}: a member's long-lived session; the handshake proved the key, so no secret. */
    static Hello connect(NodeIdentity identity, String name, String hostname, EndpointsReport local) {
        return hello(Hello.CONNECT, null, null, identity, name, hostname, local);
    }

    private static Hello hello(String mode, String tokenId, String tokenSecret, NodeIdentity identity, String name,
            String hostname, EndpointsReport local) {
        return new Hello(VERSION, mode, tokenId, tokenSecret, name == null || name.isBlank() ? null : name, hostname,
                base64(identity.sshPublicKey()), identity.sshFingerprint(), base64(identity.binding()),
                local.listenPort(), local.endpoints());
    }

    private static String base64(byte[] bytes) {
        return bytes == null || bytes.length == 0 ? null : Base64.getEncoder().encodeToString(bytes);
    }
}
