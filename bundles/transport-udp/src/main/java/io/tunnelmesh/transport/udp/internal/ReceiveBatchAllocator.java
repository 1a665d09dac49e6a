package io.tunnelmesh.transport.udp.internal;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.ChannelConfig;
import io.netty.channel.DefaultMaxMessagesRecvByteBufAllocator;
import io.netty.channel.epoll.EpollDatagramChannelConfig;
import io.netty.util.UncheckedBooleanSupplier;

/**
 * Receive buffers for a full recvmmsg batch, except for the first read after the socket was idle. Netty's epoll
 * datagram channel sets up one recvmmsg slot per datagram that fits the buffer, so a full batch costs a 128 KiB
 * buffer and 32 slots to fill and tear down on every read, which an idle ping (one datagram per wake-up) pays on
 * its round trip. Under load reads come microseconds apart and always get the full batch: the node writes what
 * one read brings to the TUN in one merged write, so shrinking batches under load (after any read that got a
 * single datagram) cut TCP throughput to a third.
 *
 * <p>With receive offload allowed, the socket reads with UDP_GRO (one slot as large as a run, recvmsg: only that
 * call reports a run's segment size, Netty's recvmmsg would hand over a run as one datagram) while {@link GroSwitch}
 * says it pays, else in batches as above. The switch is applied when a read loop starts, before Netty reads the
 * slot size, so a loop never mixes the two.
 */
final class ReceiveBatchAllocator extends DefaultMaxMessagesRecvByteBufAllocator {
    /** A read this long after the previous one finds the socket idle. */
    private static final long IDLE_NANOS = 1_000_000L;
    private final int slotBytes;
    private final int batchBytes;
    /** Slot size with UDP_GRO on, or 0 where the socket has no receive offload. */
    private final int groSlotBytes;
    private final long idleNanos;

    ReceiveBatchAllocator(int slotBytes, int slots, int groSlotBytes) {
        this(slotBytes, slots, groSlotBytes, IDLE_NANOS);
    }

    /** With another idle threshold, so a test on a busy machine is not at the mercy of a 1 ms scheduling gap. */
    ReceiveBatchAllocator(int slotBytes, int slots, int groSlotBytes, long idleNanos) {
        this.slotBytes = slotBytes;
        this.batchBytes = slotBytes * slots;
        this.groSlotBytes = groSlotBytes;
        this.idleNanos = idleNanos;
    }

    @Override
    public Handle newHandle() {
        MaxMessageHandle sizing = new MaxMessageHandle() {
            private long lastReadNanos = System.nanoTime();

            @Override
            public int guess() {
                long now = System.nanoTime();
                boolean idle = now - lastReadNanos > idleNanos;
                lastReadNanos = now;
                return idle ? slotBytes : batchBytes;
            }
        };
        return groSlotBytes > 0 ? new GroHandle(sizing) : sizing;
    }

    /**
     * Reads with UDP_GRO while the {@link GroSwitch} says so. A wrapper rather than a subclass: the datagrams a read
     * brought arrive in {@code incMessagesRead}, which Netty's handle keeps final.
     */
    private final class GroHandle implements ExtendedHandle {
        private final MaxMessageHandle sizing;
        private final GroSwitch groSwitch = new GroSwitch();
        /** The socket's UDP_GRO setting for this read loop, as read in {@link #reset}. */
        private boolean gro;

        GroHandle(MaxMessageHandle sizing) {
            this.sizing = sizing;
        }

        @Override
        public void reset(ChannelConfig config) {
            if (config instanceof EpollDatagramChannelConfig epoll) {
                boolean wanted = groSwitch.wantsGro(System.nanoTime());
                if (wanted != epoll.isUdpGro()) {
                    epoll.setUdpGro(wanted);
                    epoll.setMaxDatagramPayloadSize(wanted ? groSlotBytes : slotBytes);
                }
                gro = wanted;
            }
            sizing.reset(config);
        }

        @Override
        public ByteBuf allocate(ByteBufAllocator alloc) {
            return alloc.ioBuffer(guess());
        }

        @Override
        public int guess() {
            return gro ? groSlotBytes : sizing.guess();
        }

        /** Netty's epoll channel calls this once per receive call with the datagrams it brought (a GRO run cut up). */
        @Override
        public void incMessagesRead(int datagrams) {
            sizing.incMessagesRead(datagrams);
            if (gro) {
                groSwitch.read(datagrams, System.nanoTime());
            }
        }

        @Override
        public void lastBytesRead(int bytes) {
            sizing.lastBytesRead(bytes);
        }

        @Override
        public int lastBytesRead() {
            return sizing.lastBytesRead();
        }

        @Override
        public void attemptedBytesRead(int bytes) {
            sizing.attemptedBytesRead(bytes);
        }

        @Override
        public int attemptedBytesRead() {
            return sizing.attemptedBytesRead();
        }

        @Override
        public boolean continueReading() {
            return sizing.continueReading();
        }

        @Override
        public boolean continueReading(UncheckedBooleanSupplier maybeMoreDataSupplier) {
            return sizing.continueReading(maybeMoreDataSupplier);
        }

        @Override
        public void readComplete() {
            sizing.readComplete();
        }
    }
}
