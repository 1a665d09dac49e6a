package io.tunnelmesh.control.relay;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import org.junit.jupiter.api.Test;

class RelayKeyCacheTest {
    /** A frame-like buffer with a 32-byte key at offset 5, each byte {@code fill} except byte {@code at} = {@code b}. */
    private static ByteBuf keyAt5(int fill, int at, int b) {
        ByteBuf buf = Unpooled.buffer(40);
        buf.writeZero(5);
        for (int i = 0; i < 32; i++) {
            buf.writeByte(i == at ? b : fill);
        }
        return buf;
    }

    @Test
    void findsWhatWasPutForTheSameKeyBytesAndNothingForAKeyDifferingInOneMiddleByte() {
        RelayKeyCache<String> cache = new RelayKeyCache<>(8);
        cache.put(keyAt5(7, 0, 7), 5, "peer");
        assertEquals("peer", cache.get(keyAt5(7, 0, 7), 5));
        assertNull(cache.get(keyAt5(7, 12, 8), 5), "the second long differs: another key, same slot");
        assertNull(cache.get(keyAt5(7, 20, 8), 5), "the third long differs");
    }

    @Test
    void aNewerKeyInTheSameSlotReplacesTheOlder() {
        RelayKeyCache<String> cache = new RelayKeyCache<>(1);
        cache.put(keyAt5(1, 0, 1), 5, "first");
        cache.put(keyAt5(2, 0, 2), 5, "second");
        assertNull(cache.get(keyAt5(1, 0, 1), 5));
        assertEquals("second", cache.get(keyAt5(2, 0, 2), 5));
    }

    @Test
    void refusesASizeThatIsNotAPowerOfTwo() {
        assertEquals("relay key cache: 6 slots is not a power of two",
                assertThrows(IllegalArgumentException.class, () -> new RelayKeyCache<String>(6)).getMessage());
    }
}
