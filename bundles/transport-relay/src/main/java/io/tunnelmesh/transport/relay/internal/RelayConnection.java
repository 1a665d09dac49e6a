package io.tunnelmesh.transport.relay.internal;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoop;
import io.tunnelmesh.api.NodeKey;
import io.tunnelmesh.api.StaticKeyPair;
import io.tunnelmesh.api.transport.DatagramReceiver;
import io.tunnelmesh.control.ControlHandshake;
import io.tunnelmesh.control.ControlProtocolException;
import io.tunnelmesh.control.RelayFrames;
import io.tunnelmesh.control.relay.RelayFrameSplitter;
import io.tunnelmesh.control.relay.RelayKeyCache;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Consumer;

/**
 * One link to one relay server: connect, prove this node's key (Noise IK, relay prologue), then frames both ways.
 * Reopens on loss, the first attempt after {@link #FIRST_RETRY_MILLIS}, then backing off; pings when the server has
 * been quiet for {@link #PING_AFTER_NANOS} and gives the link up after {@link #DEAD_AFTER_NANOS} of silence, so a host
 * that changed its address is back within about two seconds.
 *
 * <p>Frames the node sends are appended under this object's lock to {@link #queue}, a pooled buffer bounded by the
 * queue size; {@link #flush} hands it to the I/O thread, which writes it while the socket takes it. Everything else
 * runs on the I/O thread.
 */
final class RelayConnection {
    static final long FIRST_RETRY_MILLIS = 100;
    static final long MAX_RETRY_MILLIS = 10_000;
    static final long PING_AFTER_NANOS = TimeUnit.MILLISECONDS.toNanos(500);
    static final long DEAD_AFTER_NANOS = TimeUnit.MILLISECONDS.toNanos(2000);
    static final long HANDSHAKE_TIMEOUT_NANOS = TimeUnit.SECONDS.toNanos(5);
    private static final long TICK_MILLIS = 250;
    private static final int SOURCES = 16; // sender endpoints remembered, a power of two

    private final RelayServer server;
    private final StaticKeyPair identity;
    private final Bootstrap bootstrap;
    private final EventLoop loop;
    private final int queueBytes;
    private final RelayBinding binding;
    private final DatagramReceiver receiver;
    private final LongAdder dropped;
    private final Consumer<String> warn;
    private final Consumer<String> info;
    private final Runnable writeQueued = this::writeQueued;

    // guarded by this
    private ByteBuf queue;
    private boolean writeScheduled;
    private boolean closed;

    // I/O thread only
    private Channel channel;
    private boolean established;
    private int failures;
    private long connectedNanos;
    private long lastReadNanos;
    private long lastPingNanos;
    private String lastProblem;
    private ScheduledFuture<?> ticker;
    private final RelayKeyCache<RelayEndpoint> sources = new RelayKeyCache<>(SOURCES);

    RelayConnection(RelayServer server, StaticKeyPair identity, Bootstrap bootstrap, EventLoop loop, int queueBytes,
            RelayBinding binding, DatagramReceiver receiver, LongAdder dropped, Consumer<String> warn, Consumer<String> info) {
        this.server = server;
        this.identity = identity;
        this.bootstrap = bootstrap;
        this.loop = loop;
        this.queueBytes = queueBytes;
        this.binding = binding;
        this.receiver = receiver;
        this.dropped = dropped;
        this.warn = warn;
        this.info = info;
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
        int length = datagram.remaining();
        if (length > RelayFrames.MAX_PAYLOAD) {
            return false;
        }
        synchronized (this) {
            if (closed) {
                return false;
            }
            if (queue == null) {
                queue = PooledByteBufAllocator.DEFAULT.directBuffer(Math.min(64 << 10, queueBytes), queueBytes);
            }
            if (queue.readableBytes() + RelayFrames.HEADER + length > queueBytes) {
                return false;
            }
            queue.writeInt(length);
            queue.writeByte(RelayFrames.DATA);
            to.writePeerKey(queue);
            int position = datagram.position();
            queue.writeBytes(datagram);
            datagram.position(position);
        }
        return true;
    }

    /** Hands what was queued to the I/O thread: one task per batch, none while one is pending. Any thread. */
    void flush() {
        synchronized (this) {
            if (queue == null || writeScheduled || closed) {
                return;
            }
            writeScheduled = true;
        }
        loop.execute(writeQueued);
    }

    /** I/O thread: writes the queue while the socket takes it; else it waits for writability or the handshake. */
    private void writeQueued() {
        ByteBuf out;
        synchronized (this) {
            writeScheduled = false;
            if (queue == null || !established || !channel.isWritable()) {
                return;
            }
            out = queue;
            queue = null;
        }
        channel.writeAndFlush(out, channel.voidPromise());
    }

    private void connect() {
        if (isClosed() || channel != null) {
            return;
        }
        ChannelFuture f = bootstrap.clone().handler(new ChannelInitializer<>() {
            @Override
            protected void initChannel(Channel ch) {
                ch.pipeline().addLast(new Handler(ch.alloc()));
            }
        }).connect(server.address());
        channel = f.channel();
        connectedNanos = System.nanoTime();
        f.addListener(done -> {
            if (!done.isSuccess() && f.channel() == channel) {
                lost("cannot connect: " + oneLine(done.cause()));
            }
        });
    }

    /** The link is gone (or never came): try again soon, then less often. */
    private void lost(String why) {
        if (channel != null) {
            channel.close();
        }
        channel = null;
        established = false;
        if (isClosed()) {
            return;
        }
        if (!why.equals(lastProblem)) {
            warn.accept("relay link to " + server.hostPort() + ": " + why + "; reconnecting");
            lastProblem = why;
        }
        long delay = Math.min(MAX_RETRY_MILLIS, FIRST_RETRY_MILLIS << Math.min(failures, 10));
        failures++;
        loop.schedule(this::connect, delay, TimeUnit.MILLISECONDS);
    }

    private void tick() {
        if (channel == null || !channel.isActive()) {
            return;
        }
        long now = System.nanoTime();
        if (!established) {
            if (now - connectedNanos > HANDSHAKE_TIMEOUT_NANOS) {
                lost("no handshake answer within " + TimeUnit.NANOSECONDS.toSeconds(HANDSHAKE_TIMEOUT_NANOS) + " s");
            }
            return;
        }
        long silent = now - lastReadNanos;
        if (silent >= DEAD_AFTER_NANOS) {
            lost("no answer for " + TimeUnit.NANOSECONDS.toMillis(silent) + " ms");
        } else if (silent >= PING_AFTER_NANOS && now - lastPingNanos >= PING_AFTER_NANOS) {
            lastPingNanos = now;
            ByteBuf ping = channel.alloc().ioBuffer(RelayFrames.HEADER + 8);
            ping.writeInt(8).writeByte(RelayFrames.PING).writeZero(RelayFrames.KEY_LENGTH).writeLong(now);
            channel.writeAndFlush(ping, channel.voidPromise());
        }
    }

    private synchronized boolean isClosed() {
        return closed;
    }

    void close() {
        synchronized (this) {
            closed = true;
            if (queue != null) {
                queue.release();
                queue = null;
            }
        }
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

    /**
     * The handler of the current channel; a stale channel's events are ignored. Datagrams go to the node as views of
     * the read buffer ({@link RelayFrameSplitter}), a whole read's worth before {@code batchComplete}.
     */
    private final class Handler extends ChannelInboundHandlerAdapter implements RelayFrameSplitter.Frames {
        private final RelayFrameSplitter splitter;
        private ChannelHandlerContext ctx;
        private ControlHandshake.Initiation initiation;

        Handler(ByteBufAllocator alloc) {
            this.splitter = new RelayFrameSplitter(alloc);
        }

        @Override
        public void handlerAdded(ChannelHandlerContext ctx) {
            this.ctx = ctx;
        }

        @Override
        public void channelActive(ChannelHandlerContext ctx) throws Exception {
            try {
                initiation = ControlHandshake.initiate(RelayFrames.PROLOGUE, identity, server.key(), new byte[0]);
            } catch (ControlProtocolException e) {
                lost(e.getMessage());
                return;
            }
            byte[] message1 = initiation.message();
            ByteBuf out = ctx.alloc().ioBuffer(RelayFrames.PREAMBLE.length + RelayFrames.HEADER + message1.length);
            out.writeBytes(RelayFrames.PREAMBLE).writeInt(message1.length).writeByte(RelayFrames.HANDSHAKE)
                    .writeZero(RelayFrames.KEY_LENGTH).writeBytes(message1);
            ctx.writeAndFlush(out, ctx.voidPromise());
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            ByteBuf in = (ByteBuf) msg;
            try {
                if (ctx.channel() == channel && !splitter.split(in, this)) {
                    lost("the server sent a frame longer than " + RelayFrames.MAX_PAYLOAD + " bytes");
                }
            } finally {
                in.release();
            }
        }

        @Override
        public void frame(ByteBuf buffer, int at, int size) {
            if (ctx.channel() != channel) {
                return; // lost() while splitting this read
            }
            byte type = buffer.getByte(at + RelayFrames.LENGTH_FIELD);
            if (type == RelayFrames.DATA && established) {
                ByteBuffer datagram = buffer.internalNioBuffer(at + RelayFrames.HEADER, size - RelayFrames.HEADER);
                receiver.received(datagram, source(buffer, at + RelayFrames.KEY_OFFSET), binding);
            } else if (type == RelayFrames.PING) {
                ByteBuf pong = buffer.retainedSlice(at, size);
                pong.setByte(RelayFrames.LENGTH_FIELD, RelayFrames.PONG);
                ctx.write(pong, ctx.voidPromise());
            } else if (type == RelayFrames.HANDSHAKE && !established) {
                finishHandshake(ByteBufUtil.getBytes(buffer, at + RelayFrames.HEADER, size - RelayFrames.HEADER));
            }
            // PONG: its arrival is the point; unknown types: a newer server's, ignored
        }

        private void finishHandshake(byte[] message2) {
            byte[] refusal;
            try {
                refusal = initiation.finish(message2).payload();
            } catch (ControlProtocolException e) {
                lost("relay server did not prove key " + server.key().shortForm() + " (" + e.getMessage() + ")");
                return;
            }
            if (refusal.length > 0) {
                lost("refused: " + new String(refusal, StandardCharsets.UTF_8).lines().findFirst().orElse(""));
                return;
            }
            established = true;
            failures = 0;
            lastReadNanos = System.nanoTime();
            if (lastProblem != null) {
                info.accept("relay link to " + server.hostPort() + " is up again");
            }
            lastProblem = null;
            writeQueued(); // what the node sent while the link was opening
        }

        @Override
        public void channelReadComplete(ChannelHandlerContext ctx) {
            if (ctx.channel() != channel) {
                return;
            }
            lastReadNanos = System.nanoTime();
            ctx.flush(); // pongs
            receiver.batchComplete(binding);
        }

        @Override
        public void channelWritabilityChanged(ChannelHandlerContext ctx) {
            if (ctx.channel() == channel && ctx.channel().isWritable()) {
                writeQueued();
            }
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) {
            splitter.release();
            if (ctx.channel() == channel) {
                lost(established ? "the server closed the link" : "the server closed the link during the handshake");
            }
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            if (ctx.channel() == channel) {
                lost(oneLine(cause));
            }
        }
    }

    /** The sender's endpoint, reused while it stays in the cache: no allocation per datagram. */
    private RelayEndpoint source(ByteBuf frame, int at) {
        RelayEndpoint cached = sources.get(frame, at);
        if (cached != null) {
            return cached;
        }
        byte[] key = new byte[RelayFrames.KEY_LENGTH];
        frame.getBytes(at, key);
        RelayEndpoint made = new RelayEndpoint(NodeKey.of(key), server);
        sources.put(frame, at, made);
        return made;
    }

    private static String oneLine(Throwable e) {
        String m = e == null ? "unknown error" : e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        return m.lines().findFirst().orElse(m);
    }
}
