package io.tunnelmesh.coordinator.internal;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.tunnelmesh.api.NodeKey;
import io.tunnelmesh.api.coordinator.AdmissionException;
import io.tunnelmesh.api.coordinator.NodeRecord;
import io.tunnelmesh.control.Bye;
import io.tunnelmesh.control.ControlHandshake;
import io.tunnelmesh.control.ControlMessage;
import io.tunnelmesh.control.ControlProtocolException;
import io.tunnelmesh.control.ControlSession;
import io.tunnelmesh.control.EndpointsReport;
import io.tunnelmesh.control.Hello;
import io.tunnelmesh.control.NodeEntry;
import io.tunnelmesh.control.Ping;
import io.tunnelmesh.control.Pong;
import io.tunnelmesh.control.Welcome;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.ArrayDeque;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletionException;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

/**
 * One node's control connection after the preamble, on its Netty event loop: Noise message 1 carrying the
 * hello, the decision (a store thread for {@code join}, registry thread for {@code connect}), the welcome in
 * message 2, then for a member the map, deltas and keepalives. Everything that touches the channel or the
 * Noise session runs on the event loop, so frames go out in nonce order.
 */
final class ControlConnection extends ChannelInboundHandlerAdapter implements MemberSession {
    private enum State { AWAIT_HELLO, DECIDING, ESTABLISHED, CLOSING }

    private final ControlContext parts;
    private ChannelHandlerContext ctx;
    private State state = State.AWAIT_HELLO;
    private ControlHandshake.Acceptance acceptance;
    private ControlSession session;
    private NodeKey key;
    private ScheduledFuture<?> handshakeTimer;
    private long handshakeDeadline;
    private boolean handshakeExtended;
    private boolean connecting; // handed to the registry, which must hear when it ends
    private ScheduledFuture<?> keepalive;
    private long lastReadNanos = System.nanoTime();
    private long lastPingNanos;
    /**
     * Plaintexts waiting for the channel to become writable: sealed only when they can be written, so a slow
     * reader costs references to shared encoded messages, not sealed copies. Bounded by bytes.
     */
    private final ArrayDeque<byte[]> outbox = new ArrayDeque<>();
    private byte[] pendingMap; // the outbox entry that needs a map permit
    private long outboxBytes;
    private long outboxAllowance;
    private boolean permitRequested;
    private boolean holdingPermit;

    ControlConnection(ControlContext parts) {
        this.parts = parts;
    }

    @Override
    public NodeKey key() {
        return key;
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        this.ctx = ctx;
    }

    /** Removed from the pipeline when the connection turns out to be a relay link: its timer must not close that. */
    @Override
    public void handlerRemoved(ChannelHandlerContext ctx) {
        if (handshakeTimer != null) {
            handshakeTimer.cancel(false);
        }
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) throws Exception {
        startHandshakeTimer();
        super.channelActive(ctx);
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        byte[] frame;
        ByteBuf buf = (ByteBuf) msg;
        try {
            frame = ByteBufUtil.getBytes(buf);
        } finally {
            buf.release();
        }
        lastReadNanos = System.nanoTime();
        switch (state) {
            case AWAIT_HELLO -> onHandshake(frame);
            case ESTABLISHED -> onTransport(frame);
            case DECIDING -> fail(Counters.Kind.BAD_FRAME, "sent a frame before the coordinator's welcome");
            case CLOSING -> { } // the rest of a connection being closed
        }
    }

    private void onHandshake(byte[] message1) {
        try {
            acceptance = ControlHandshake.accept(parts.key(), message1);
        } catch (ControlProtocolException | RuntimeException e) {
            fail(Counters.Kind.BAD_HANDSHAKE, e.getMessage());
            return;
        }
        key = acceptance.initiator();
        // The client's part is done; the wait for the store is ours. Connections waiting for it still count
        // as unauthenticated until the welcome, so the gate bounds them.
        handshakeTimer.cancel(false);
        Hello hello;
        try {
            ControlMessage first = parts.codec().decode(acceptance.payload());
            if (!(first instanceof Hello h)) {
                refuse(Refusal.BAD_HELLO, "the first message must be a hello, not " + first.getClass().getSimpleName());
                return;
            }
            hello = h;
        } catch (ControlProtocolException e) {
            refuse(Refusal.BAD_HELLO, e.getMessage());
            return;
        }
        if (hello.version() != 1) {
            refuse(Refusal.UNSUPPORTED_VERSION, "this coordinator speaks control protocol version 1, the node asked for "
                    + hello.version() + ": use matching TunnelMesh/J versions");
            return;
        }
        List<String> endpoints = Endpoints.merge(remoteIp(), hello.listenPort(), hello.endpoints());
        state = State.DECIDING;
        if (Hello.JOIN.equals(hello.mode())) {
            Channel channel = ctx.channel();
            parts.store().submit(() -> parts.admission().join(key, hello, endpoints))
                    .whenComplete((record, error) -> channel.eventLoop().execute(() -> joinDecided(record, error)));
        } else if (Hello.CONNECT.equals(hello.mode())) {
            connecting = true;
            parts.registry().connect(this, endpoints);
        } else {
            refuse(Refusal.BAD_HELLO, "hello mode must be \"join\" or \"connect\", not \"" + NodeNames.oneLine(hello.mode()) + "\"");
        }
    }

    private void joinDecided(NodeRecord record, Throwable error) {
        if (state != State.DECIDING) {
            return; // timed out or closed meanwhile; the admission stands, the node may simply join again
        }
        Throwable cause = error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
        if (cause == null) {
            parts.registry().joined(record);
            NodeEntry self = new Member(record).entry();
            if (welcome(new Welcome(null, null, self, parts.mesh().psk().toBase64(), parts.mesh().ipv4Cidr().toString(),
                    parts.mesh().ipv6Prefix().toString()))) {
                parts.log().info("node " + record.name() + " (" + key.shortForm() + ") joined");
            }
            close(); // join is one exchange; the node connects again for its map
        } else if (cause instanceof Refusal r) {
            refuse(r.code(), r.getMessage());
        } else if (cause instanceof AdmissionException a) {
            refuse(a.reason().name(), a.getMessage());
        } else {
            parts.problems().record(Counters.Kind.STORE_ERROR, "join of " + key.shortForm() + ": " + cause.getMessage());
            refuse(Refusal.INTERNAL, "the coordinator could not record the join (" + oneLine(cause)
                    + "); try again later");
        }
    }

    @Override
    public void admitted(NodeEntry self, byte[] map) {
        onLoop(() -> {
            if (state != State.DECIDING) {
                return;
            }
            if (!welcome(new Welcome(null, null, self, parts.mesh().psk().toBase64(), parts.mesh().ipv4Cidr().toString(),
                    parts.mesh().ipv6Prefix().toString()))) {
                return;
            }
            state = State.ESTABLISHED;
            long tick = Math.max(1, parts.limits().pingAfter().toMillis() / 3);
            keepalive = ctx.executor().scheduleAtFixedRate(this::keepalive, tick, tick, TimeUnit.MILLISECONDS);
            outboxAllowance = parts.limits().maxPendingBytes() + map.length;
            pendingMap = map;
            enqueue(map);
        });
    }

    @Override
    public void notMember() {
        onLoop(() -> {
            if (state == State.DECIDING) {
                refuse(Refusal.NOT_A_MEMBER, "node " + key + " is not a member of this mesh (never joined, or removed):"
                        + " join with a new token");
            }
        });
    }

    @Override
    public void deliver(byte[] delta) {
        onLoop(() -> {
            if (state != State.ESTABLISHED) {
                return;
            }
            enqueue(delta);
        });
    }

    @Override
    public void bye(String reason) {
        onLoop(() -> {
            if (state == State.ESTABLISHED) {
                outbox.clear(); // what it has not read yet no longer matters to a node that must leave
                send(parts.codec().encode(new Bye(reason)));
            }
            close();
        });
    }

    private void onTransport(byte[] frame) {
        Optional<ControlMessage> message;
        try {
            byte[] whole = session.open(frame);
            if (whole == null) {
                return; // more parts to come
            }
            message = parts.codec().decodeIfKnown(whole);
        } catch (ControlProtocolException e) {
            fail(Counters.Kind.BAD_MESSAGE, "node " + key.shortForm() + ": " + e.getMessage());
            return;
        }
        switch (message.orElse(null)) {
            case EndpointsReport report ->
                    parts.registry().endpoints(this, Endpoints.merge(remoteIp(), report.listenPort(), report.endpoints()));
            case Ping ping -> enqueue(parts.codec().encode(new Pong(ping.nonce())));
            case null, default -> { } // pong, or a message a newer node may send: ignored
        }
    }

    /**
     * Pings after {@code pingAfter} of silence from the node, closes after {@code silenceLimit}. Checked a few
     * times per ping interval, on the event loop (no extra handler, so no netty-handler bundle at run time).
     */
    private void keepalive() {
        if (state != State.ESTABLISHED) {
            return;
        }
        long now = System.nanoTime();
        long silent = now - lastReadNanos;
        if (silent >= parts.limits().silenceLimit().toNanos()) {
            fail(Counters.Kind.IDLE_TIMEOUT, "node " + key.shortForm() + " silent for " + silent / 1_000_000_000 + " s");
        } else if (silent >= parts.limits().pingAfter().toNanos() && now - lastPingNanos >= parts.limits().pingAfter().toNanos()) {
            lastPingNanos = now;
            enqueue(parts.codec().encode(new Ping(ThreadLocalRandom.current().nextLong())));
        }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) throws Exception {
        if (handshakeTimer != null) {
            handshakeTimer.cancel(false);
        }
        if (keepalive != null) {
            keepalive.cancel(false);
        }
        if (connecting) {
            parts.registry().disconnected(this);
        }
        if (holdingPermit) {
            holdingPermit = false;
            parts.mapPermits().release();
        }
        outbox.clear();
        state = State.CLOSING;
        super.channelInactive(ctx);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        if (cause instanceof IOException) {
            ctx.close(); // reset by peer and the like: nothing to report
            return;
        }
        fail(Counters.Kind.BAD_FRAME, oneLine(cause));
    }

    private void startHandshakeTimer() {
        handshakeDeadline = System.nanoTime() + parts.limits().handshakeTimeout().toNanos();
        handshakeTimer = ctx.executor().schedule(this::handshakeTimedOut,
                parts.limits().handshakeTimeout().toMillis(), TimeUnit.MILLISECONDS);
    }

    private void handshakeTimedOut() {
        if (state == State.AWAIT_HELLO && !handshakeExtended
                && System.nanoTime() - handshakeDeadline > TimeUnit.SECONDS.toNanos(1)) {
            // The timer ran late: this event loop is behind (a reconnect storm's maps), and message 1 may be
            // waiting unread. The lag is ours, not the client's: give it one more period.
            handshakeExtended = true;
            startHandshakeTimer();
            return;
        }
        if (state == State.AWAIT_HELLO) {
            fail(Counters.Kind.HANDSHAKE_TIMEOUT, "no finished handshake within "
                    + parts.limits().handshakeTimeout().toMillis() + " ms");
        }
    }

    /** Answers the hello; false (and closed) when the reply cannot be made. */
    private boolean welcome(Welcome welcome) {
        ControlHandshake.Reply reply;
        try {
            reply = acceptance.reply(parts.codec().encode(welcome));
        } catch (ControlProtocolException | RuntimeException e) {
            fail(Counters.Kind.BAD_HANDSHAKE, e.getMessage());
            return false;
        }
        acceptance = null;
        session = reply.session();
        parts.gate().authenticated(ctx);
        writeFrame(reply.message());
        ctx.flush();
        return true;
    }

    private void refuse(String code, String message) {
        parts.problems().record(Counters.Kind.REFUSED, (key == null ? "" : "node " + key.shortForm() + ": ") + code
                + ": " + message);
        if (acceptance != null && welcome(new Welcome(message, code, null, null, null, null))) {
            close();
        } else {
            ctx.close();
        }
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) throws Exception {
        if (ctx.channel().isWritable()) {
            drain();
        }
        super.channelWritabilityChanged(ctx);
    }

    /** Runs task on this connection's event loop; while the coordinator stops, that loop may be gone, and the session with it. */
    private void onLoop(Runnable task) {
        try {
            ctx.executor().execute(task);
        } catch (RejectedExecutionException e) {
            // stopping: nothing left to deliver to
        }
    }

    /** Queues a message for the node, cutting off a reader so slow that the queue passes its bound. */
    private void enqueue(byte[] message) {
        if (state != State.ESTABLISHED) {
            return;
        }
        if (outboxBytes + message.length > outboxAllowance) {
            fail(Counters.Kind.SLOW_READER, "node " + key.shortForm() + " left " + outboxBytes + " bytes of messages unread");
            return;
        }
        outbox.add(message);
        outboxBytes += message.length;
        drain();
    }

    /** Seals and writes queued messages while the channel takes them; a full map first waits for a permit. */
    private void drain() {
        boolean wrote = false;
        while (state == State.ESTABLISHED && !outbox.isEmpty() && ctx.channel().isWritable()) {
            byte[] message = outbox.peek();
            if (message == pendingMap && !holdingPermit) {
                if (!permitRequested) {
                    permitRequested = true;
                    parts.mapPermits().acquire(() -> ctx.executor().execute(this::permitGranted));
                }
                break;
            }
            outbox.poll();
            outboxBytes -= message.length;
            for (byte[] frame : session.seal(message)) {
                writeFrame(frame);
            }
            wrote = true;
            if (message == pendingMap) {
                pendingMap = null;
                ctx.flush();
                // the permit is held until the map has left for the kernel, not just been queued
                ctx.writeAndFlush(ctx.alloc().buffer(0)).addListener(f -> releasePermit());
                wrote = false;
            }
        }
        if (wrote) {
            ctx.flush();
        }
    }

    private void permitGranted() {
        permitRequested = false;
        holdingPermit = true;
        if (state != State.ESTABLISHED) {
            releasePermit();
            return;
        }
        drain();
    }

    private void releasePermit() {
        if (holdingPermit) {
            holdingPermit = false;
            parts.mapPermits().release();
        }
    }

    /** Seals and writes at once, ahead of the outbox (only for bye, after which the connection closes). */
    private void send(byte[] message) {
        for (byte[] frame : session.seal(message)) {
            writeFrame(frame);
        }
        ctx.flush();
    }

    private void writeFrame(byte[] frame) {
        ByteBuf out = ctx.alloc().ioBuffer(2 + frame.length);
        out.writeShort(frame.length);
        out.writeBytes(frame);
        ctx.write(out);
    }

    /** Closes once what was written has gone out. */
    private void close() {
        state = State.CLOSING;
        ctx.writeAndFlush(ctx.alloc().buffer(0)).addListener(ChannelFutureListener.CLOSE);
    }

    private void fail(Counters.Kind kind, String detail) {
        parts.problems().record(kind, "from " + ctx.channel().remoteAddress() + ": " + detail);
        state = State.CLOSING;
        ctx.close();
    }

    private InetAddress remoteIp() {
        return ((InetSocketAddress) ctx.channel().remoteAddress()).getAddress();
    }

    private static String oneLine(Throwable e) {
        return NodeNames.oneLine(e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage());
    }
}
