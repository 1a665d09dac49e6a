package io.tunnelmesh.handshake.internal.engine;

import java.security.SecureRandom;
import java.util.ArrayDeque;
import java.util.Deque;

/**
 * A SecureRandom that hands out scripted ephemeral keys and session indices, so an engine can be made to
 * answer a recorded handshake with the very bytes the recorded peer sent. Unscripted calls are random.
 */
final class ScriptedRandom extends SecureRandom {
    private final Deque<byte[]> keys = new ArrayDeque<>();
    private final Deque<Integer> indexLowBits = new ArrayDeque<>();
    private final Deque<Integer> indexHighBits = new ArrayDeque<>();

    void nextEphemeral(byte[] privateKey) {
        keys.addLast(privateKey.clone());
    }

    /** The IndexTable draws a slot (low 14 bits) then the upper bits. */
    void nextIndex(int index) {
        indexLowBits.addLast(index & ((1 << IndexTable.SLOT_BITS) - 1));
        indexHighBits.addLast(index >>> IndexTable.SLOT_BITS);
    }

    @Override
    public void nextBytes(byte[] bytes) {
        if (bytes.length == 32 && !keys.isEmpty()) {
            System.arraycopy(keys.pollFirst(), 0, bytes, 0, 32);
        } else {
            super.nextBytes(bytes);
        }
    }

    @Override
    public int nextInt(int bound) {
        Integer scripted = indexLowBits.pollFirst();
        return scripted != null ? scripted : super.nextInt(bound);
    }

    @Override
    public int nextInt() {
        Integer scripted = indexHighBits.pollFirst();
        return scripted != null ? scripted : super.nextInt();
    }
}
