package io.tunnelmesh.handshake.internal.interop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tunnelmesh.api.NodeKey;
import io.tunnelmesh.api.PresharedKey;
import io.tunnelmesh.api.StaticKeyPair;
import io.tunnelmesh.api.handshake.DropReason;
import io.tunnelmesh.api.handshake.EngineOptions;
import io.tunnelmesh.api.handshake.TunnelEngine;
import io.tunnelmesh.cipher.internal.ChaCha20Poly1305Cipher;
import io.tunnelmesh.handshake.internal.WireGuardHandshakeService;
import io.tunnelmesh.handshake.internal.noise.NoiseDh;
import java.net.InetSocketAddress;
import java.time.InstantSource;
import org.junit.jupiter.api.Test;

/**
 * Our engine against a stock wireguard-go in its own network namespace ({@link WireGuardGoNamespace}), both
 * roles, with the mesh psk: we initiate and ping through it; it initiates towards us while we are under load,
 * so the handshake only completes if wireguard-go accepted our cookie reply and answered with a valid mac2.
 */
class WireGuardGoInteropTest {
    private final byte[] ourPriv = WireGuardGoNamespace.random32();
    private final NodeKey ourKey = NodeKey.of(NoiseDh.DH25519.publicKey(ourPriv));
    private final byte[] psk = WireGuardGoNamespace.random32();

    private TunnelEngine engine() {
        return new WireGuardHandshakeService(new ChaCha20Poly1305Cipher())
                .newEngine(new EngineOptions(new StaticKeyPair(ourPriv, ourKey), PresharedKey.of(psk), InstantSource.system()));
    }

    @Test
    void weInitiateAndAPingThroughWireGuardGoIsAnswered() throws Exception {
        try (WireGuardGoNamespace wg = new WireGuardGoNamespace()) {
            wg.setPeer(ourKey, psk, null);
            TunnelEngine engine = engine();
            try (UdpDriver node = new UdpDriver(engine, engine.addPeer(wg.publicKey, 0), wg.hostIp, new InetSocketAddress(wg.nsIp, 51820))) {
                node.send(IcmpPackets.echo(8, "10.99.0.1", "10.99.0.2"));
                byte[] reply = node.runUntilDelivered(ip -> IcmpPackets.isIcmp(ip, 0), 15);
                System.out.println("wireguard-go interop (we initiate): echo reply " + (reply != null) + "; latest handshake " + wg.wgShow("latest-handshakes"));
                assertNotNull(reply, "no ICMP echo reply came back through wireguard-go; its log: " + wg.log());
                assertEquals(1, node.peer.stats().handshakesCompleted());
            }
        }
    }

    @Test
    void wireGuardGoInitiatesWhileWeAreUnderLoadAndPassesTheCookieCheck() throws Exception {
        try (WireGuardGoNamespace wg = new WireGuardGoNamespace()) {
            TunnelEngine engine = engine();
            engine.setUnderLoad(true);
            try (UdpDriver node = new UdpDriver(engine, engine.addPeer(wg.publicKey, 0), wg.hostIp, new InetSocketAddress(wg.nsIp, 51820))) {
                wg.setPeer(ourKey, psk, wg.hostIp + ":" + node.port());
                Process ping = wg.pingUs();
                try {
                    // wireguard-go's first initiation gets our cookie reply; its retransmission 5 s later carries mac2.
                    byte[] request = node.runUntilDelivered(ip -> IcmpPackets.isIcmp(ip, 8), 20);
                    System.out.printf("wireguard-go interop (it initiates, we are under load): echo request delivered %s, cookie replies %d%n",
                            request != null, engine.drops(DropReason.COOKIE_REQUIRED));
                    assertNotNull(request, "no echo request arrived; wireguard-go log: " + wg.log());
                    assertTrue(engine.drops(DropReason.COOKIE_REQUIRED) >= 1, "the first initiation should have been answered with a cookie");
                    assertEquals(1, node.peer.stats().handshakesCompleted());
                } finally {
                    ping.destroy();
                }
            }
        }
    }
}
