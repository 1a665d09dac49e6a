package io.tunnelmesh.api.tun;

import io.tunnelmesh.api.IpPrefix;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.List;
import org.osgi.annotation.versioning.ProviderType;

/**
 * An open TUN interface carrying raw IPv4/IPv6 packets (no packet-information header).
 *
 * <p>The batch methods are the fast path: a device with segmentation offload takes one large TCP packet from
 * the kernel per read and hands it out as MTU-sized segments, and merges consecutive segments of one TCP flow
 * into one write, so one system call moves up to 64 KiB (wireguard-go's {@code tun.Device} does the same).
 * The single-packet methods stay for callers that move one packet at a time.
 */
@ProviderType
public interface TunDevice extends AutoCloseable {
    String name();

    int mtu();

    /**
     * Blocks until one packet arrives and reads it into {@code dst} at its position; the position advances.
     *
     * @return the packet length, or -1 once the device is closed
     */
    int read(ByteBuffer dst) throws IOException;

    /** Writes one IP packet (position to limit). */
    void write(ByteBuffer packet) throws IOException;

    /**
     * Blocks until at least one packet arrives, then reads as many as are ready, up to {@code packets.length}.
     * Each buffer used, from index 0, is cleared, filled with one IP packet and flipped (position 0, limit the
     * packet's length); each must have room for {@link #mtu()} bytes. Segments of an offloaded packet that do
     * not fit are returned by the next call.
     *
     * @return how many buffers were filled (at least 1), or -1 once the device is closed
     */
    default int read(ByteBuffer[] packets) throws IOException {
        ByteBuffer first = packets[0];
        first.clear();
        int n = read(first);
        if (n < 0) {
            return -1;
        }
        first.flip();
        return 1;
    }

    /**
     * Writes {@code packets[0..count)} in order, each position to limit; the buffers' positions are undefined
     * afterwards. A packet the kernel refuses does not stop the others. The default writes one packet at a time
     * and counts every failed write as refused, a closed device included.
     *
     * @return how many packets the kernel refused (0 when all were written)
     * @throws IOException when the device itself failed or is closed
     */
    default int write(ByteBuffer[] packets, int count) throws IOException {
        int refused = 0;
        for (int i = 0; i < count; i++) {
            try {
                write(packets[i]);
            } catch (IOException e) {
                refused++;
            }
        }
        return refused;
    }

    /**
     * Whether this device can wait for a packet without taking it ({@link #awaitReadable()}) and take what is
     * ready without waiting ({@link #readReady(ByteBuffer[])}). With both, a second thread can take packets
     * between the reader's waits: the thread that just wrote a request to the device can take the reply the
     * kernel queued during that write, instead of waking the reader for it. The default device cannot.
     */
    default boolean readsWithoutWaiting() {
        return false;
    }

    /**
     * Blocks until a packet is ready to read, without reading it; only when {@link #readsWithoutWaiting()}.
     *
     * @return false once the device is closed
     * @throws UnsupportedOperationException when the device cannot wait without reading
     */
    default boolean awaitReadable() throws IOException {
        throw new UnsupportedOperationException("this TUN device cannot wait without reading");
    }

    /**
     * Reads the packets that are ready now into {@code packets}, as {@link #read(ByteBuffer[])} does, but never
     * waits; only when {@link #readsWithoutWaiting()}.
     *
     * @return how many buffers were filled (0 when nothing was ready), or -1 once the device is closed
     * @throws UnsupportedOperationException when the device cannot read without waiting
     */
    default int readReady(ByteBuffer[] packets) throws IOException {
        throw new UnsupportedOperationException("this TUN device cannot read without waiting");
    }

    /**
     * Replaces the interface's addresses with {@code addresses} in place: the interface (its index, routes of
     * other software, open sockets on addresses that stay) is kept. Addresses it had that are not listed go.
     *
     * @throws UnsupportedOperationException when this device cannot; the caller reopens the device instead
     * @throws IOException naming the address the kernel refused
     */
    default void setAddresses(List<IpPrefix> addresses) throws IOException {
        throw new UnsupportedOperationException("this TUN device cannot change its addresses in place");
    }

    /** Closes the file descriptor and removes the interface; a blocked {@link #read} returns -1. */
    @Override
    void close();
}
