package io.tunnelmesh.transport.udp.internal;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.socket.DatagramPacket;
import io.netty.util.ReferenceCountUtil;
import io.tunnelmesh.api.transport.DatagramReceiver;
import io.tunnelmesh.api.transport.TransportBinding;
import io.tunnelmesh.stun.Stun;
import java.nio.ByteBuffer;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;

/**
 * Hands each received datagram to the node's {@link DatagramReceiver} on the event-loop thread, as a view of the
 * pooled buffer Netty received it into (no copy), with the sender's endpoint (reused while the sender is one seen
 * lately), then releases that buffer. After each read batch (one epoll
 * wake-up, up to several recvmmsg calls) it calls {@link DatagramReceiver#batchComplete}.
 */
final class ReceiveHandler extends ChannelInboundHandlerAdapter {
    private final DatagramReceiver receiver;
    private final TransportBinding binding;
    private final StunClient stun;
    private final TransportCounters counters;
    private final Consumer<String> warn;
    private final AtomicBoolean receiverFailureReported = new AtomicBoolean();
    private final SenderEndpoints senders = new SenderEndpoints();

    ReceiveHandler(DatagramReceiver receiver, TransportBinding binding, StunClient stun, TransportCounters counters,
            Consumer<String> warn) {
        this.receiver = receiver;
        this.binding = binding;
        this.stun = stun;
        this.counters = counters;
        this.warn = warn;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (!(msg instanceof DatagramPacket packet)) {
            ReferenceCountUtil.release(msg);
            return;
        }
        try {
            ByteBuffer datagram = view(packet.content());
            if (isStunAnswer(datagram)) {
                stun.received(datagram, packet.sender());
            } else {
                receiver.received(datagram, senders.of(packet.sender()), binding);
            }
        } catch (RuntimeException e) {
            receiverFailed(e);
        } finally {
            packet.release();
        }
    }

    /**
     * STUN shares the WireGuard socket (endpoint discovery): a datagram that is not WireGuard but is STUN goes to
     * the {@link StunClient}, never to the node. The WireGuard test comes first: a few byte compares, no allocation.
     */
    private static boolean isStunAnswer(ByteBuffer datagram) {
        return !Stun.isWireGuard(datagram) && Stun.isStun(datagram);
    }

    /**
     * internalNioBuffer reuses one ByteBuffer per pooled buffer instead of allocating a new one, as nioBuffer()
     * would; the receiver must not keep it past the call, which the SPI already says.
     */
    private static ByteBuffer view(ByteBuf content) {
        return content.nioBufferCount() == 1
                ? content.internalNioBuffer(content.readerIndex(), content.readableBytes())
                : content.nioBuffer();
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        try {
            receiver.batchComplete(binding);
        } catch (RuntimeException e) {
            receiverFailed(e);
        }
    }

    /** Send failures (voidPromise) and read errors end up here; counted, never logged per packet. */
    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        counters.ioErrors.increment();
    }

    private void receiverFailed(RuntimeException e) {
        counters.receiverFailures.increment();
        if (receiverFailureReported.compareAndSet(false, true)) {
            warn.accept("UDP transport: the datagram receiver threw " + e + "; further failures are only counted");
        }
    }
}
