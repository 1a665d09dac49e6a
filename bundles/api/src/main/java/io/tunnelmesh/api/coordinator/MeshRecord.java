package io.tunnelmesh.api.coordinator;

import io.tunnelmesh.api.IpPrefix;
import io.tunnelmesh.api.PresharedKey;

/**
 * The mesh's own settings, created once with the store and never changed by the store afterwards.
 *
 * @param ipv4Cidr   where node IPv4 addresses come from, e.g. {@code 100.64.0.0/16}
 * @param ipv6Prefix the mesh's ULA /64 (RFC 4193, random global ID) where node IPv6 addresses come from
 * @param psk        the mesh pre-shared key; handed to a node only after admission, never put in a token
 */
public record MeshRecord(IpPrefix ipv4Cidr, IpPrefix ipv6Prefix, PresharedKey psk) {
}
