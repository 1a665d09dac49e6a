package io.tunnelmesh.handshake.internal.engine;

import java.nio.ByteBuffer;
import java.util.ArrayDeque;

/**
 * IP packets held for a peer while its handshake runs. Bounded; copies are made because the caller reuses its
 * buffers. This is the no-session path, not the data path, so the copies do not matter for throughput.
 * Guarded by the peer's lock.
 */
final class PacketQueue {
    private final ArrayDeque<byte[]> packets = new ArrayDeque<>();

    /** @return false when full (the packet is dropped) */
    boolean offer(ByteBuffer packet) {
        if (packets.size() >= ProtocolTimes.QUEUE_CAPACITY) {
            return false;
        }
        byte[] copy = new byte[packet.remaining()];
        packet.get(packet.position(), copy);
        packets.addLast(copy);
        return true;
    }

    byte[] poll() {
        return packets.pollFirst();
    }

    boolean isEmpty() {
        return packets.isEmpty();
    }

    int size() {
        return packets.size();
    }

    void clear() {
        packets.clear();
    }
}
