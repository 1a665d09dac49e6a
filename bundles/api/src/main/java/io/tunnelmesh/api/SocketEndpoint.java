package io.tunnelmesh.api;

import java.net.InetSocketAddress;
import java.util.Arrays;
import org.osgi.annotation.versioning.ConsumerType;

/**
 * An endpoint that is an IP address and port, as UDP's: a cookie is bound to the address bytes then the port
 * (big-endian), rate limits count the address alone. Transports whose endpoints are socket addresses implement
 * only {@code address()}, so every one of them gives the engine the same bytes.
 */
@ConsumerType
public interface SocketEndpoint extends Endpoint {
    /** Resolved: never a bare host name. */
    InetSocketAddress address();

    /** The address bytes (4 or 16), then the port big-endian. */
    @Override
    default byte[] dstToBytes() {
        byte[] ip = address().getAddress().getAddress();
        byte[] bytes = Arrays.copyOf(ip, ip.length + 2);
        bytes[ip.length] = (byte) (address().getPort() >>> 8);
        bytes[ip.length + 1] = (byte) address().getPort();
        return bytes;
    }

    /** The address bytes alone, whatever port the peer sends from. */
    @Override
    default byte[] dstHostBytes() {
        return address().getAddress().getAddress();
    }
}
