package io.tunnelmesh.node.internal;

import io.tunnelmesh.api.tun.TunDevice;
import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;

/**
 * An in-memory TUN device (after wireguard-go's tun/tuntest idea): the test plays the kernel, injecting
 * packets the node reads and collecting what the node writes. Like the kernel it can answer a written packet
 * during the write itself ({@link #answerWith}).
 */
final class MemoryTun implements TunDevice {
    private static final byte[][] CLOSED = new byte[0][];
    private final String name;
    /** What one read returns: one packet, or the segments of an offloaded one. Guarded by this. */
    private final ArrayDeque<byte[][]> toNode = new ArrayDeque<>();
    private final BlockingQueue<byte[]> fromNode = new LinkedBlockingQueue<>();
    /** How many packets each batched write carried, in order. */
    final List<Integer> writeBatches = new CopyOnWriteArrayList<>();
    /** The name of the thread that read each answer made by {@link #answerWith}'s kernel, in order. */
    final List<String> answerTakers = new CopyOnWriteArrayList<>();
    private final Set<byte[][]> answers = ConcurrentHashMap.newKeySet(); // arrays: identity equality
    private volatile UnaryOperator<byte[]> kernel;
    private volatile boolean closed;

    MemoryTun(String name) {
        this.name = name;
    }

    /** A packet "sent by an application" into the interface: the node will read it. */
    void inject(byte[] packet) {
        enqueue(new byte[][] {packet.clone()});
    }

    /** Packets the node gets from one batched read, as from a device that split an offloaded packet. */
    void injectBatch(List<byte[]> packets) {
        enqueue(packets.stream().map(byte[]::clone).toArray(byte[][]::new));
    }

    /** From now on each packet the node writes gets {@code kernel}'s answer (if not null) queued during the write. */
    void answerWith(UnaryOperator<byte[]> kernel) {
        this.kernel = kernel;
    }

    private synchronized void enqueue(byte[][] batch) {
        toNode.add(batch);
        notifyAll();
    }

    /** The next packet the node wrote, or null after {@code millis}. */
    byte[] written(long millis) throws InterruptedException {
        return fromNode.poll(millis, TimeUnit.MILLISECONDS);
    }

    boolean isClosed() {
        return closed;
    }

    /** The addresses last set in place, or null when never. */
    volatile List<io.tunnelmesh.api.IpPrefix> addresses;

    @Override
    public void setAddresses(List<io.tunnelmesh.api.IpPrefix> next) {
        addresses = List.copyOf(next);
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
    public synchronized int read(ByteBuffer[] packets) {
        try {
            while (toNode.isEmpty()) {
                wait();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        }
        byte[][] batch = toNode.peek();
        if (batch == CLOSED) {
            return -1; // stays queued: every later read sees it too
        }
        toNode.poll();
        if (answers.remove(batch)) {
            answerTakers.add(Thread.currentThread().getName());
        }
        int n = Math.min(batch.length, packets.length);
        for (int i = 0; i < n; i++) {
            packets[i].clear();
            packets[i].put(batch[i]).flip();
        }
        if (n < batch.length) { // as a real device: what does not fit waits for the next read
            toNode.addFirst(Arrays.copyOfRange(batch, n, batch.length));
        }
        return n;
    }

    private void write(ByteBuffer packet) {
        UnaryOperator<byte[]> answering = kernel; // before the packet is visible: a test switching the kernel on
        byte[] copy = new byte[packet.remaining()];  // after seeing it must not get an answer to it
        packet.get(copy);
        fromNode.add(copy);
        byte[] answer = answering == null ? null : answering.apply(copy);
        if (answer != null) {
            byte[][] batch = {answer};
            answers.add(batch);
            enqueue(batch);
        }
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
        enqueue(CLOSED);
    }
}
