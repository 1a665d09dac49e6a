package io.tunnelmesh.tun.internal;

import com.sun.jna.Memory;
import java.nio.charset.StandardCharsets;

/**
 * A {@code struct ifreq} (40 bytes on Linux x86_64): the interface name in the first 16 bytes, then a union
 * whose members the ioctls used here read as a short (flags) or an int (MTU, queue length, index) at offset 16.
 * Only used while setting the interface up, never per packet.
 */
final class InterfaceRequest {
    static final int SIZE = 40;
    private static final int NAME_SIZE = 16;
    private static final int UNION = 16;

    final Memory memory = new Memory(SIZE);

    InterfaceRequest(String name) {
        memory.clear();
        setName(name);
    }

    void setName(String name) {
        byte[] bytes = name.getBytes(StandardCharsets.US_ASCII);
        memory.write(0, new byte[NAME_SIZE], 0, NAME_SIZE);
        memory.write(0, bytes, 0, Math.min(bytes.length, NAME_SIZE - 1));
    }

    String name() {
        return memory.getString(0, StandardCharsets.US_ASCII.name());
    }

    short shortValue() {
        return memory.getShort(UNION);
    }

    void shortValue(short value) {
        memory.setShort(UNION, value);
    }

    int intValue() {
        return memory.getInt(UNION);
    }

    void intValue(int value) {
        memory.setInt(UNION, value);
    }
}
