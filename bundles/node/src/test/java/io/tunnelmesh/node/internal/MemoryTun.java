package io.tunnelmesh.node.internal;

import io.tunnelmesh.api.tun.TunDevice;
import java.nio.ByteBuffer;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * An in-memory TUN device (after wireguard-go's tun/tuntest idea): the test plays the kernel, injecting
 * packets the node reads and collecting what the node writes.
 */
final class MemoryTun implements TunDevice {
    private static final byte[] CLOSED = new byte[0];
    private final String name;
    private final BlockingQueue<byte[]> toNode = new LinkedBlockingQueue<>();
    private final BlockingQueue<byte[]> fromNode = new LinkedBlockingQueue<>();
    private volatile boolean closed;

    MemoryTun(String name) {
        this.name = name;
    }

    /** A packet "sent by an application" into the interface: the node will read it. */
    void inject(byte[] packet) {
        toNode.add(packet.clone());
    }

    /** The next packet the node wrote, or null after {@code millis}. */
    byte[] written(long millis) throws InterruptedException {
        return fromNode.poll(millis, TimeUnit.MILLISECONDS);
    }

    boolean isClosed() {
        return closed;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public int mtu() {
        return 1420;
    }

    @Override
    public int read(ByteBuffer dst) {
        try {
            byte[] p = toNode.take();
            if (p == CLOSED) {
                toNode.add(CLOSED);
                return -1;
            }
            dst.put(p);
            return p.length;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        }
    }

    @Override
    public void write(ByteBuffer packet) {
        byte[] copy = new byte[packet.remaining()];
        packet.get(copy);
        fromNode.add(copy);
    }

    @Override
    public void close() {
        closed = true;
        toNode.add(CLOSED);
    }
}
