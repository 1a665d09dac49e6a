package io.tunnelmesh.handshake.internal;

import io.tunnelmesh.api.cipher.PacketCipher;
import io.tunnelmesh.api.handshake.EngineOptions;
import io.tunnelmesh.api.handshake.HandshakeService;
import io.tunnelmesh.api.handshake.TunnelEngine;
import io.tunnelmesh.handshake.internal.engine.WireGuardEngine;
import java.security.SecureRandom;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/**
 * The handshake service: WireGuard-compatible engines whose transport AEAD comes from the {@link PacketCipher}
 * service. The reference is static and mandatory, so replacing the cipher bundle re-creates this component
 * and the node, which holds this service, rebinds and builds new engines.
 */
@Component(service = HandshakeService.class)
public final class WireGuardHandshakeService implements HandshakeService {
    private final PacketCipher cipher;

    @Activate
    public WireGuardHandshakeService(@Reference PacketCipher cipher) {
        this.cipher = cipher;
    }

    @Override
    public TunnelEngine newEngine(EngineOptions options) {
        return new WireGuardEngine(options, cipher, new SecureRandom());
    }
}
