package io.tunnelmesh.api.tun;

import io.tunnelmesh.api.IpPrefix;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.List;
import org.osgi.annotation.versioning.ProviderType;

/**
 * An open TUN interface carrying raw IPv4/IPv6 packets (no packet-information header), read and written in
 * batches: a device with segmentation offload takes one large TCP packet from the kernel per read and hands it
 * out as MTU-sized segments, and merges consecutive segments of one TCP flow into one write, so one system call
 * moves up to 64 KiB (wireguard-go's {@code tun.Device} does the same). Several threads may write at once.
 */
@ProviderType
public interface TunDevice extends AutoCloseable {
    String name();

    int mtu();

    /**
     * Blocks until at least one packet arrives, then reads as many as are ready, up to {@code packets.length}.
     * Each buffer used, from index 0, is cleared, filled with one IP packet and flipped (position 0, limit the
     * packet's length); each must have room for {@link #mtu()} bytes. Segments of an offloaded packet that do
     * not fit are returned by the next call.
     *
     * @return how many buffers were filled (at least 1), or -1 once the device is closed
     */
    int read(ByteBuffer[] packets) throws IOException;

    /**
     * Writes {@code packets[0..count)} in order, each position to limit; the buffers' positions are undefined
     * afterwards. A packet the kernel refuses does not stop the others.
     *
     * @return how many packets the kernel refused (0 when all were written)
     * @throws IOException when the device itself failed or is closed
     */
    int write(ByteBuffer[] packets, int count) throws IOException;

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
