package io.tunnelmesh.api.tun;

import java.io.IOException;
import java.nio.ByteBuffer;
import org.osgi.annotation.versioning.ProviderType;

/** An open TUN interface carrying raw IPv4/IPv6 packets (no packet-information header). */
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

    /** Closes the file descriptor and removes the interface; a blocked {@link #read} returns -1. */
    @Override
    void close();
}
