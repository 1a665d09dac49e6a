package io.tunnelmesh.transport.udp.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.Unpooled;
import io.netty.channel.socket.DatagramPacket;
import io.netty.channel.unix.SegmentedDatagramPacket;
import java.net.InetSocketAddress;
import java.util.ArrayDeque;
import java.util.Queue;
import org.junit.jupiter.api.Test;

class SegmentCoalescerTest {
    private static final InetSocketAddress A = new InetSocketAddress("127.0.0.1", 1000);
    private static final InetSocketAddress B = new InetSocketAddress("127.0.0.1", 2000);
    private final Queue<DatagramPacket> queue = new ArrayDeque<>();

    private static DatagramPacket datagram(InetSocketAddress to, int size, int fill) {
        ByteBuf content = Unpooled.directBuffer(size);
        for (int i = 0; i < size; i++) {
            content.writeByte(fill);
        }
        return new DatagramPacket(content, to);
    }

    private DatagramPacket coalesceNext() {
        return SegmentCoalescer.coalesce(queue.poll(), queue, ByteBufAllocator.DEFAULT);
    }

    @Test
    void equalSizesForOnePeerJoinAndAShorterOneEndsTheRun() {
        queue.add(datagram(A, 1400, 1));
        queue.add(datagram(A, 1400, 2));
        queue.add(datagram(A, 1000, 3));
        queue.add(datagram(A, 1400, 4));
        queue.add(datagram(B, 1400, 5));

        SegmentedDatagramPacket joined = assertInstanceOf(SegmentedDatagramPacket.class, coalesceNext());
        assertEquals(1400, joined.segmentSize());
        assertEquals(A, joined.recipient());
        ByteBuf content = joined.content();
        assertEquals(3800, content.readableBytes());
        assertEquals(1, content.getByte(0));
        assertEquals(2, content.getByte(1400));
        assertEquals(3, content.getByte(2800));
        joined.release();

        DatagramPacket alone = queue.peek();
        assertSame(alone, coalesceNext(), "the next one for A is followed by one for B: it goes alone");
        alone.release();
        DatagramPacket last = coalesceNext();
        assertEquals(B, last.recipient());
        last.release();
        assertEquals(0, queue.size());
    }

    @Test
    void aLargerFollowerIsNotJoined() {
        DatagramPacket small = datagram(A, 500, 1);
        queue.add(small);
        queue.add(datagram(A, 1400, 2));
        assertSame(small, coalesceNext());
        assertEquals(1, queue.size());
        small.release();
        queue.poll().release();
    }

    @Test
    void aRunStopsAtTheKernelsSegmentAndByteLimits() {
        for (int i = 0; i < 100; i++) {
            queue.add(datagram(A, 100, i));
        }
        SegmentedDatagramPacket first = assertInstanceOf(SegmentedDatagramPacket.class, coalesceNext());
        assertEquals(SegmentCoalescer.MAX_SEGMENTS * 100, first.content().readableBytes());
        first.release();
        queue.forEach(DatagramPacket::release);
        queue.clear();

        for (int i = 0; i < 60; i++) {
            queue.add(datagram(A, 1452, i));
        }
        SegmentedDatagramPacket big = assertInstanceOf(SegmentedDatagramPacket.class, coalesceNext());
        assertEquals(SegmentCoalescer.MAX_BYTES / 1452 * 1452, big.content().readableBytes());
        big.release();
        queue.forEach(DatagramPacket::release);
    }
}
