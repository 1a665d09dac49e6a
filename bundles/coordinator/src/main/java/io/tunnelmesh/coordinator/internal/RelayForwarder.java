package io.tunnelmesh.coordinator.internal;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.Channel;
import io.tunnelmesh.control.RelayFrames;

/**
 * Forwards the data frames one relay link reads, where they were read ({@link io.tunnelmesh.control.relay.RelayFrameSplitter};
 * a copy only for a recipient with a backlog): the recipient's key in a frame's header is overwritten with the
 * sender's (the server's word, never the client's), and consecutive frames of one read for one recipient go out as one
 * slice of the read buffer, one write (one task when the recipient is on another event loop), flushed when the read
 * batch completes. A recipient over its high-water mark gets nothing (dropped, counted). Nothing is allocated or
 * logged per frame. On the link's event loop.
 */
final class RelayForwarder {
    /** A read batch can be a megabyte: recipients get what is forwarded at least this often, not only at its end. */
    private static final int FLUSH_BYTES = 64 << 10;
    /**
     * A forwarded slice keeps its whole read buffer (up to 64 KiB) alive until written. A recipient with a backlog
     * gets copies instead, so what its queue holds is its frames' bytes, not the read buffers they came in.
     */
    private static final long COPY_WHEN_QUEUED = 64 << 10;

    private final RelayHub hub;
    private final ByteBufAllocator alloc;
    private final RelayRecipients recipients;
    /** Channels written to in this read batch, flushed when it completes. */
    private final Channel[] toFlush = new Channel[RelayRecipients.CACHE];
    private int flushCount;
    private long batchFrames;
    private long batchBytes;
    /** The read being split, and the frames of it waiting to go to one recipient: [runStart, runEnd) of runBuffer. */
    private ByteBuf reading;
    private RelayLink runTo;
    private ByteBuf runBuffer;
    private int runStart;
    private int runEnd;

    RelayForwarder(RelayHub hub, ByteBufAllocator alloc) {
        this.hub = hub;
        this.alloc = alloc;
        this.recipients = new RelayRecipients(hub);
    }

    /** A read is being split: its frames can go out as slices of {@code in} until {@link #endRead}. */
    void beginRead(ByteBuf in) {
        reading = in;
    }

    void endRead() {
        reading = null;
    }

    /** Forwards the data frame at {@code at} from the node whose key is {@code senderKey}. */
    void forward(ByteBuf buffer, int at, int size, byte[] senderKey) {
        RelayLink to = recipients.of(buffer, at);
        if (to == null) {
            hub.counters().unknownRecipient.increment();
            return;
        }
        if (!to.channel().isWritable()) {
            hub.counters().recipientFull.increment();
            return;
        }
        buffer.setBytes(at + RelayFrames.KEY_OFFSET, senderKey);
        batchFrames++;
        batchBytes += size - RelayFrames.HEADER;
        if (to == runTo && buffer == runBuffer && at == runEnd) {
            runEnd += size;
        } else {
            endRun();
            runTo = to;
            runBuffer = buffer;
            runStart = at;
            runEnd = at + size;
        }
        if (buffer != reading || batchBytes >= FLUSH_BYTES) {
            endRun(); // a cut frame's copy lives only during this call
        }
        if (batchBytes >= FLUSH_BYTES) {
            flushBatch();
        }
    }

    /** Writes the waiting frames to their recipient: a slice of the read buffer, or a copy for a recipient with a backlog. */
    void endRun() {
        RelayLink to = runTo;
        if (to == null) {
            return;
        }
        runTo = null;
        Channel channel = to.channel();
        int length = runEnd - runStart;
        ByteBuf out = channel.bytesBeforeUnwritable() < RelayHub.WATER_MARK.high() - COPY_WHEN_QUEUED
                ? alloc.directBuffer(length).writeBytes(runBuffer, runStart, length)
                : runBuffer.retainedSlice(runStart, length);
        runBuffer = null;
        channel.write(out, channel.voidPromise());
        markForFlush(channel);
    }

    /** {@code channel} was written to in this read batch: it is flushed when the batch completes. */
    void markForFlush(Channel channel) {
        for (int i = 0; i < flushCount; i++) {
            if (toFlush[i] == channel) {
                return;
            }
        }
        if (flushCount == toFlush.length) {
            flushBatch(); // more recipients in one batch than remembered: flush early rather than grow
        }
        toFlush[flushCount++] = channel;
    }

    /** Sends what this read batch wrote, and counts what it forwarded. */
    void flushBatch() {
        endRun();
        for (int i = 0; i < flushCount; i++) {
            toFlush[i].flush();
            toFlush[i] = null;
        }
        flushCount = 0;
        if (batchFrames != 0) {
            hub.counters().frames.add(batchFrames);
            hub.counters().bytes.add(batchBytes);
            batchFrames = 0;
            batchBytes = 0;
        }
    }
}
