package io.tunnelmesh.api.transport;

/**
 * @param listenPort the node's configured {@code listen.port}, given to every transport: the port to listen on
 *                   where the transport has ports; 0 = any free port
 */
public record TransportOptions(int listenPort) {
    public TransportOptions {
        if (listenPort < 0 || listenPort > 65535) {
            throw new IllegalArgumentException("listen port " + listenPort + " is out of range: use 0 (any) or 1-65535");
        }
    }
}
