package io.tunnelmesh.transport.udp.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.socket.DatagramPacket;
import io.netty.channel.unix.SegmentedDatagramPacket;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class SendRunTest {
    private static final InetSocketAddress A = new InetSocketAddress("127.0.0.1", 1000);
    private static final InetSocketAddress B = new InetSocketAddress("127.0.0.1", 2000);
    private static final ByteBufAllocator ALLOC = ByteBufAllocator.DEFAULT;
    private final SendRun run = new SendRun();

    private static ByteBuffer datagram(int size, int fill) {
        byte[] bytes = new byte[size];
        Arrays.fill(bytes, (byte) fill);
        return ByteBuffer.wrap(bytes);
    }

    @Test
    void equalSizesForOnePeerJoinAndAShorterOneEndsTheRun() {
        ByteBuffer first = datagram(1400, 1);
        run.start(first, A, true, ALLOC);
        assertEquals(0, first.position(), "the caller's buffer is left as it was");
        assertTrue(run.canTake(A, 1400));
        run.add(datagram(1400, 2));
        assertFalse(run.canTake(B, 1400), "another peer");
        assertFalse(run.canTake(A, 1401), "a larger datagram");
        assertTrue(run.canTake(A, 1000));
        run.add(datagram(1000, 3));
        assertFalse(run.canTake(A, 1000), "after a shorter one the run is over");

        SegmentedDatagramPacket joined = assertInstanceOf(SegmentedDatagramPacket.class, run.take());
        assertTrue(run.isEmpty());
        assertEquals(1400, joined.segmentSize());
        assertEquals(A, joined.recipient());
        assertEquals(3, SendRun.datagramsIn(joined));
        ByteBuf content = joined.content();
        assertEquals(3800, content.readableBytes());
        assertEquals(1, content.getByte(0));
        assertEquals(2, content.getByte(1400));
        assertEquals(3, content.getByte(2800));
        joined.release();
    }

    @Test
    void aRunOfOneIsAPlainDatagramAndWithoutOffloadNothingJoins() {
        run.start(datagram(500, 1), A, false, ALLOC);
        assertFalse(run.canTake(A, 500));
        DatagramPacket alone = run.take();
        assertFalse(alone instanceof SegmentedDatagramPacket);
        assertEquals(500, alone.content().readableBytes());
        assertEquals(1, SendRun.datagramsIn(alone));
        alone.release();
    }

    @Test
    void aRunStopsAtTheKernelsSegmentAndByteLimits() {
        run.start(datagram(100, 0), A, true, ALLOC);
        int n = 1;
        while (run.canTake(A, 100)) {
            run.add(datagram(100, n++));
        }
        assertEquals(SendRun.MAX_SEGMENTS, n);
        DatagramPacket small = run.take();
        assertEquals(SendRun.MAX_SEGMENTS * 100, small.content().readableBytes());
        small.release();

        run.start(datagram(1452, 0), A, true, ALLOC);
        n = 1;
        while (run.canTake(A, 1452)) {
            run.add(datagram(1452, n++));
        }
        DatagramPacket big = run.take();
        assertEquals(SendRun.MAX_BYTES / 1452 * 1452, big.content().readableBytes());
        big.release();
    }
}
