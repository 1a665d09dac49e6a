package io.tunnelmesh.stun;

import java.nio.ByteBuffer;
import java.util.random.RandomGenerator;

/** A STUN transaction id: 96 bits, held as two numbers so ids compare by value and cost no array. */
public record TransactionId(long high, int low) {
    public static TransactionId random(RandomGenerator random) {
        return new TransactionId(random.nextLong(), random.nextInt());
    }

    /** Reads the 12 bytes at {@code offset} (the caller has checked they are there). */
    static TransactionId read(ByteBuffer message, int offset) {
        return new TransactionId(message.getLong(offset), message.getInt(offset + 8));
    }

    void write(ByteBuffer out, int offset) {
        out.putLong(offset, high).putInt(offset + 8, low);
    }
}
