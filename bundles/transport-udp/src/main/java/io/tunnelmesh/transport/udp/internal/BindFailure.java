package io.tunnelmesh.transport.udp.internal;

import java.io.IOException;
import java.util.Locale;

/** Turns Netty's and the JDK's bind errors into one line naming the port and what to do. */
final class BindFailure {
    private BindFailure() {
    }

    static IOException of(int port, Throwable cause) {
        String message = String.valueOf(cause.getMessage()).toLowerCase(Locale.ROOT);
        String portText = port == 0 ? "any free UDP port" : "UDP port " + port;
        if (message.contains("address already in use")) {
            return new IOException(portText + " is already in use (another TunnelMesh or WireGuard?): choose another"
                    + " listen port or stop the program using it (ss -lunp 'sport = :" + port + "')");
        }
        if (message.contains("permission denied") || message.contains("not permitted")) {
            return new IOException(portText + ": permission denied: ports below 1024 need root or"
                    + " CAP_NET_BIND_SERVICE; choose a port above 1023");
        }
        return new IOException("cannot listen on " + portText + ": " + cause.getMessage());
    }
}
