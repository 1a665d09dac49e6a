package io.tunnelmesh.node.internal;

import io.tunnelmesh.api.tun.TunDevice;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * An in-memory TUN device (after wireguard-go's tun/tuntest idea): the test plays the kernel, injecting
 * packets the node reads and collecting what the node writes.
 */
final class MemoryTun implements TunDevice {
    private static final byte[][] CLOSED = new byte[0][];
    private final String name;
    /** What one read returns: one packet, or the segments of an offloaded one. */
    private final BlockingQueue<byte[][]> toNode = new LinkedBlockingQueue<>();
    private final BlockingQueue<byte[]> fromNode = new LinkedBlockingQueue<>();
    /** How many packets each batched write carried, in order. */
    final List<Integer> writeBatches = new CopyOnWriteArrayList<>();
    private volatile boolean closed;

    MemoryTun(String name) {
        this.name = name;
    }

    /** A packet "sent by an application" into the interface: the node will read it. */
    void inject(byte[] packet) {
        toNode.add(new byte[][] {packet.clone()});
    }

    /** Packets the node gets from one batched read, as from a device that split an offloaded packet. */
    void injectBatch(List<byte[]> packets) {
        toNode.add(packets.stream().map(byte[]::clone).toArray(byte[][]::new));
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
        throw new UnsupportedOperationException("the node reads in batches");
    }

    @Override
    public int read(ByteBuffer[] packets) {
        try {
            byte[][] batch = toNode.take();
            if (batch == CLOSED) {
                toNode.add(CLOSED);
                return -1;
            }
            for (int i = 0; i < batch.length; i++) {
                packets[i].clear();
                packets[i].put(batch[i]).flip();
            }
            return batch.length;
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
    public int write(ByteBuffer[] packets, int count) {
        writeBatches.add(count);
        for (int i = 0; i < count; i++) {
            write(packets[i]);
        }
        return 0;
    }

    @Override
    public void close() {
        closed = true;
        toNode.add(CLOSED);
    }
}
