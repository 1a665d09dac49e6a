package io.tunnelmesh.node.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tunnelmesh.api.EndpointSpec;
import io.tunnelmesh.api.IpPrefix;
import io.tunnelmesh.api.PeerConfig;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PeerPropertiesTest {
    private static final String KEY = "xTIBA5rboUvnH4htodjb6e697QjLERt1NAB4mZqp8Dg=";

    @Test
    void readsAPeerFile() {
        PeerConfig p = PeerProperties.parse(Map.of("public.key", KEY, "endpoint", "[2001:db8::7]:51820",
                "allowed.ips", "10.99.0.2/32, fd00::2/128", "persistent.keepalive", "25"));
        assertEquals(KEY, p.publicKey().toBase64());
        assertEquals(List.of(EndpointSpec.parse("[2001:db8::7]:51820")), p.endpoints());
        assertEquals(List.of(IpPrefix.parse("10.99.0.2/32"), IpPrefix.parse("fd00::2/128")), p.allowedIps());
        assertEquals(25, p.persistentKeepaliveSeconds());
    }

    @Test
    void endpointAndKeepaliveAreOptional() {
        PeerConfig p = PeerProperties.parse(Map.of("public.key", KEY, "allowed.ips", "10.99.0.2/32", "persistent.keepalive", "off"));
        assertEquals(List.of(), p.endpoints());
        assertEquals(0, p.persistentKeepaliveSeconds());
    }

    @Test
    void severalEndpointsOfAnyTransportInOrderOfPreference() {
        PeerConfig p = PeerProperties.parse(Map.of("public.key", KEY, "endpoint", "relay:eu-1, 192.0.2.7:51820 ,udp:[fd00::2]:51820"));
        assertEquals("[relay:eu-1, udp:192.0.2.7:51820, udp:[fd00::2]:51820]", p.endpoints().toString());
    }

    @Test
    void errorsNameTheProperty() {
        assertTrue(message(Map.of()).startsWith("public.key is missing"));
        assertTrue(message(Map.of("public.key", "abc")).startsWith("public.key: public key"));
        assertTrue(message(Map.of("public.key", KEY, "allowed.ips", "10.99.0.2/33")).startsWith("allowed.ips: prefix length 33"));
        assertTrue(message(Map.of("public.key", KEY, "endpoint", "nowhere")).startsWith("endpoint 'nowhere' needs HOST:PORT"));
        assertEquals("persistent.keepalive '-1' is not valid: use off, 0 or 1-65535 seconds (25 keeps NAT mappings open)",
                message(Map.of("public.key", KEY, "persistent.keepalive", "-1")));
    }

    private static String message(Map<String, ?> properties) {
        return assertThrows(IllegalArgumentException.class, () -> PeerProperties.parse(properties)).getMessage();
    }
}
