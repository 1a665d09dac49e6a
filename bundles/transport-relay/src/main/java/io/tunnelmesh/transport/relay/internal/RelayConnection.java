package io.tunnelmesh.transport.relay.internal;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoop;
import io.tunnelmesh.api.StaticKeyPair;
import io.tunnelmesh.api.transport.DatagramReceiver;
import io.tunnelmesh.control.RelayFrames;
import io.tunnelmesh.control.relay.RelayFrameHeader;
import java.nio.ByteBuffer;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * One link to one relay server: connects, lets a {@link RelayLinkHandler} prove this node's key and carry the frames
 * of each channel, and reopens on loss ({@link RelayBackoff}); pings and gives a silent link up ({@link RelayLiveness}).
 *
 * <p>Frames the node sends wait in a {@link RelaySendQueue}; {@link #flush} hands it to the I/O thread, which writes
 * it while the socket takes it. Everything else runs on the I/O thread.
 */
final class RelayConnection {
    private static final long TICK_MILLIS = 250;

    private final RelayServer server;
    private final StaticKeyPair identity;
    private final Bootstrap bootstrap;
    private final EventLoop loop;
    private final RelayBinding binding;
    private final DatagramReceiver receiver;
    /** Also holds whether the link is closed: send() checks that under the queue's lock. */
    private final RelaySendQueue queue;
    private final RelayBackoff backoff;
    private final Runnable writeQueued = this::writeQueued;

    // I/O thread only
    private Channel channel;
    private boolean established;
    private ScheduledFuture<?> ticker;
    private final RelayLiveness liveness = new RelayLiveness();
    private final RelaySenders senders;

    RelayConnection(RelayServer server, StaticKeyPair identity, Bootstrap bootstrap, EventLoop loop, int queueBytes,
            RelayBinding binding, DatagramReceiver receiver, Consumer<String> warn, Consumer<String> info) {
        this.server = server;
        this.identity = identity;
        this.bootstrap = bootstrap;
        this.loop = loop;
        this.binding = binding;
        this.receiver = receiver;
        this.queue = new RelaySendQueue(queueBytes);
        this.backoff = new RelayBackoff(server, warn, info);
        this.senders = new RelaySenders(server);
    }

    RelayServer server() {
        return server;
    }

    void start() {
        loop.execute(() -> {
            ticker = loop.scheduleAtFixedRate(this::tick, TICK_MILLIS, TICK_MILLIS, TimeUnit.MILLISECONDS);
            connect();
        });
    }

    /** Appends one data frame to the queue; false (dropped) when the queue is full or the link closed. Any thread. */
    boolean send(ByteBuffer datagram, RelayEndpoint to) {
        return queue.append(datagram, to);
    }

    /** Hands what was queued to the I/O thread: one task per batch, none while one is pending. Any thread. */
    void flush() {
        if (queue.scheduleWrite()) {
            loop.execute(writeQueued);
        }
    }

    /** I/O thread: writes the queue while the socket takes it; else it waits for writability or the handshake. */
    void writeQueued() {
        ByteBuf out = queue.take(established && channel.isWritable());
        if (out != null) {
            channel.writeAndFlush(out, channel.voidPromise());
        }
    }

    private void connect() {
        if (queue.isClosed() || channel != null) {
            return;
        }
        ChannelFuture f = bootstrap.clone().handler(new ChannelInitializer<>() {
            @Override
            protected void initChannel(Channel ch) {
                ch.pipeline().addLast(new RelayLinkHandler(RelayConnection.this, identity, receiver, binding, senders, ch.alloc()));
            }
        }).connect(server.address());
        channel = f.channel();
        liveness.connecting(System.nanoTime());
        f.addListener(done -> {
            if (!done.isSuccess() && f.channel() == channel) {
                lost("cannot connect: " + oneLine(done.cause()));
            }
        });
    }

    /** Whether {@code ch} is this link's current channel: a replaced channel's events are ignored. */
    boolean isCurrent(Channel ch) {
        return ch == channel;
    }

    boolean isEstablished() {
        return established;
    }

    /** The server proved its key and admitted this node: frames flow. */
    void admitted() {
        established = true;
        liveness.heard(System.nanoTime());
        backoff.up();
        writeQueued(); // what the node sent while the link was opening
    }

    /** A read from the server ended. */
    void heard() {
        liveness.heard(System.nanoTime());
    }

    void failed(Throwable cause) {
        lost(oneLine(cause));
    }

    /** The link is gone (or never came): try again soon, then less often. */
    void lost(String why) {
        if (channel != null) {
            channel.close();
        }
        channel = null;
        established = false;
        if (queue.isClosed()) {
            return;
        }
        loop.schedule(this::connect, backoff.lost(why), TimeUnit.MILLISECONDS);
    }

    private void tick() {
        if (channel == null || !channel.isActive()) {
            return;
        }
        long now = System.nanoTime();
        String problem = liveness.problem(now, established);
        if (problem != null) {
            lost(problem);
        } else if (established && liveness.pingDue(now)) {
            ByteBuf ping = channel.alloc().ioBuffer(RelayFrames.HEADER + 8);
            RelayFrameHeader.writeUnaddressed(ping, RelayFrames.PING, 8).writeLong(now);
            channel.writeAndFlush(ping, channel.voidPromise());
        }
    }

    void close() {
        queue.close();
        loop.execute(() -> {
            if (ticker != null) {
                ticker.cancel(false);
            }
            if (channel != null) {
                channel.close();
                channel = null;
            }
        });
    }

    private static String oneLine(Throwable e) {
        String m = e == null ? "unknown error" : e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        return m.lines().findFirst().orElse(m);
    }
}
