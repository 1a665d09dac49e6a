package io.tunnelmesh.transport.udp.internal;

import java.net.InetSocketAddress;

/**
 * The endpoints of recent senders, so a datagram from a sender seen lately reuses its {@link UdpEndpoint}
 * instead of allocating one per packet. Direct-mapped by the address's hash: a few peers sending at once
 * each keep their slot. Used only on the binding's event-loop thread.
 */
final class SenderEndpoints {
    private static final int SLOTS = 16; // a power of two

    private final UdpEndpoint[] slots = new UdpEndpoint[SLOTS];

    UdpEndpoint of(InetSocketAddress sender) {
        int slot = sender.hashCode() & (SLOTS - 1);
        UdpEndpoint cached = slots[slot];
        if (cached != null && cached.address().equals(sender)) {
            return cached;
        }
        UdpEndpoint fresh = new UdpEndpoint(sender);
        slots[slot] = fresh;
        return fresh;
    }
}
