package io.tunnelmesh.control.relay;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.buffer.Unpooled;
import io.tunnelmesh.control.RelayFrames;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class RelayFrameSplitterTest {
    private final PooledByteBufAllocator alloc = PooledByteBufAllocator.DEFAULT;

    /** Frames of payload sizes 0, 1, 100, 1420 and 65535, back to back. */
    private static byte[] stream(List<String> expected) {
        ByteBuf all = Unpooled.buffer();
        int[] sizes = {0, 1, 100, 1420, RelayFrames.MAX_PAYLOAD, 3};
        for (int i = 0; i < sizes.length; i++) {
            int start = all.writerIndex();
            all.writeInt(sizes[i]).writeByte(RelayFrames.DATA).writeZero(RelayFrames.KEY_LENGTH);
            for (int b = 0; b < sizes[i]; b++) {
                all.writeByte(i * 31 + b);
            }
            expected.add(ByteBufUtil.hexDump(all, start, all.writerIndex() - start));
        }
        return ByteBufUtil.getBytes(all);
    }

    @Test
    void theSameFramesWhereverTheReadsCutTheStream() {
        List<String> expected = new ArrayList<>();
        byte[] bytes = stream(expected);
        for (int chunk : new int[] {1, 2, 3, 4, 5, 36, 37, 38, 1000, 1457, 70_000, bytes.length}) {
            RelayFrameSplitter splitter = new RelayFrameSplitter(alloc);
            List<String> got = new ArrayList<>();
            for (int at = 0; at < bytes.length; at += chunk) {
                ByteBuf read = alloc.directBuffer().writeBytes(bytes, at, Math.min(chunk, bytes.length - at));
                assertTrue(splitter.split(read, (buffer, start, size) -> got.add(ByteBufUtil.hexDump(buffer, start, size))));
                assertFalse(read.isReadable(), "a read is consumed whole");
                read.release();
            }
            assertEquals(expected, got, "reads of " + chunk + " bytes");
            splitter.release();
        }
    }

    @Test
    void aLengthAboveTheLimitIsRefusedEvenWhenCut() {
        for (int cut = 1; cut <= 4; cut++) {
            RelayFrameSplitter splitter = new RelayFrameSplitter(alloc);
            ByteBuf frame = Unpooled.buffer().writeInt(RelayFrames.MAX_PAYLOAD + 1).writeByte(RelayFrames.DATA);
            List<Integer> frames = new ArrayList<>();
            boolean first = splitter.split(frame.readRetainedSlice(cut), (b, a, s) -> frames.add(s));
            boolean second = splitter.split(frame, (b, a, s) -> frames.add(s));
            assertFalse(first && second, "cut after " + cut + " bytes");
            assertEquals(List.of(), frames);
            splitter.release();
        }
        ByteBuf negative = Unpooled.buffer().writeInt(-1).writeByte(RelayFrames.DATA);
        assertFalse(new RelayFrameSplitter(alloc).split(negative, (b, a, s) -> { }));
    }
}
