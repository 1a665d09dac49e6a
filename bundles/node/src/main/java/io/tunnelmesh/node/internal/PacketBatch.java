package io.tunnelmesh.node.internal;

import java.nio.ByteBuffer;

/**
 * A thread's reusable set of packet buffers for one batched TUN read or write, so a TUN device with
 * segmentation offload can move many packets per system call. Direct buffers, so the device reads and writes
 * them without a copy.
 */
final class PacketBatch {
    /** About one 64 KiB offloaded TCP packet cut into MTU-sized segments. */
    static final int SIZE = 64;
    /** Room beyond the MTU for a data message's header, tag and padding when a slot receives a sealed packet. */
    private static final int SLACK = 128;

    final ByteBuffer[] slots;
    private int count;

    PacketBatch(int mtu) {
        slots = new ByteBuffer[SIZE];
        for (int i = 0; i < SIZE; i++) {
            slots[i] = ByteBuffer.allocateDirect(mtu + SLACK);
        }
    }

    /** The next free slot, cleared; it joins the batch only on {@link #commit()}. */
    ByteBuffer next() {
        ByteBuffer slot = slots[count];
        slot.clear();
        return slot;
    }

    /** Keeps the packet written into {@link #next()}. @return whether the batch is now full */
    boolean commit() {
        return ++count == SIZE;
    }

    int count() {
        return count;
    }

    boolean isEmpty() {
        return count == 0;
    }

    void reset() {
        count = 0;
    }
}
