package io.tunnelmesh.coordinator.internal;

import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.util.AttributeKey;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Admits a new TCP connection only under the limits on all connections, on unauthenticated ones (no finished
 * handshake yet) and on unauthenticated ones per source address, so a flood cannot exhaust memory or the
 * handshake CPU. Shared by every channel.
 */
@ChannelHandler.Sharable
final class ConnectionGate extends ChannelInboundHandlerAdapter {
    private static final AttributeKey<Boolean> PENDING = AttributeKey.valueOf("tm-unauthenticated");
    private static final AttributeKey<Boolean> COUNTED = AttributeKey.valueOf("tm-counted");

    private final Limits limits;
    private final RateLimitedLog problems;
    private final AtomicInteger total = new AtomicInteger();
    private final AtomicInteger unauthenticated = new AtomicInteger();
    private final ConcurrentHashMap<InetAddress, AtomicInteger> perIp = new ConcurrentHashMap<>();

    ConnectionGate(Limits limits, RateLimitedLog problems) {
        this.limits = limits;
        this.problems = problems;
    }

    int connections() {
        return total.get();
    }

    int unauthenticated() {
        return unauthenticated.get();
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) throws Exception {
        InetAddress ip = remote(ctx);
        if (total.incrementAndGet() > limits.maxConnections()) {
            total.decrementAndGet();
            refuse(ctx, Counters.Kind.LIMIT_TOTAL, ip, limits.maxConnections() + " connections open");
            return;
        }
        ctx.channel().attr(COUNTED).set(Boolean.TRUE);
        if (unauthenticated.incrementAndGet() > limits.maxUnauthenticated()) {
            unauthenticated.decrementAndGet();
            refuse(ctx, Counters.Kind.LIMIT_UNAUTHENTICATED, ip, limits.maxUnauthenticated() + " connections mid-handshake");
            return;
        }
        // compute is atomic per key, so a concurrent release cannot drop the counter this increments
        AtomicInteger fromIp = perIp.compute(ip, (k, n) -> {
            AtomicInteger c = n == null ? new AtomicInteger() : n;
            c.incrementAndGet();
            return c;
        });
        if (fromIp.get() > limits.maxUnauthenticatedPerIp()) {
            unauthenticated.decrementAndGet();
            release(ip);
            refuse(ctx, Counters.Kind.LIMIT_PER_IP, ip, limits.maxUnauthenticatedPerIp() + " connections mid-handshake from it");
            return;
        }
        ctx.channel().attr(PENDING).set(Boolean.TRUE);
        super.channelActive(ctx);
    }

    /** The handshake finished: the connection no longer counts against the unauthenticated limits. */
    void authenticated(ChannelHandlerContext ctx) {
        if (ctx.channel().attr(PENDING).getAndSet(null) != null) {
            unauthenticated.decrementAndGet();
            release(remote(ctx));
        }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) throws Exception {
        authenticated(ctx);
        if (ctx.channel().attr(COUNTED).getAndSet(null) != null) {
            total.decrementAndGet();
        }
        super.channelInactive(ctx);
    }

    private void release(InetAddress ip) {
        perIp.computeIfPresent(ip, (k, n) -> n.decrementAndGet() <= 0 ? null : n);
    }

    private void refuse(ChannelHandlerContext ctx, Counters.Kind kind, InetAddress ip, String why) {
        problems.record(kind, "from " + ip.getHostAddress() + ": " + why);
        ctx.close();
    }

    private static InetAddress remote(ChannelHandlerContext ctx) {
        return ((InetSocketAddress) ctx.channel().remoteAddress()).getAddress();
    }
}
