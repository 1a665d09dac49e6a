package io.tunnelmesh.coordinator.client.internal;

import io.tunnelmesh.api.HostPort;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/** Opens a TCP connection to the first of the coordinator's addresses that answers, in the token's order. */
final class CoordinatorDialer {
    private final Duration connectTimeout;

    CoordinatorDialer(Duration connectTimeout) {
        this.connectTimeout = connectTimeout;
    }

    /**
     * @return the connected socket and the address it reached
     * @throws CoordinatorUnreachableException "coordinator unreachable at A, B: reason" when none answers
     */
    Dialed dial(List<HostPort> addresses) throws CoordinatorUnreachableException {
        Set<String> reasons = new LinkedHashSet<>();
        for (HostPort address : addresses) {
            Socket socket = new Socket();
            try {
                InetSocketAddress target = address.resolve();
                if (target.isUnresolved()) {
                    reasons.add("cannot resolve host '" + address.host() + "'");
                    socket.close();
                    continue;
                }
                socket.setTcpNoDelay(true);
                socket.connect(target, (int) connectTimeout.toMillis());
                return new Dialed(socket, address);
            } catch (IOException e) {
                reasons.add(reason(e));
                closeQuietly(socket);
            }
        }
        String tried = addresses.stream().map(HostPort::toString).collect(Collectors.joining(", "));
        throw new CoordinatorUnreachableException("coordinator unreachable at " + tried + ": " + String.join("; ", reasons));
    }

    private String reason(IOException e) {
        if (e instanceof java.net.SocketTimeoutException) {
            return "no answer within " + connectTimeout.toSeconds() + " s";
        }
        String m = e.getMessage();
        return m == null ? e.getClass().getSimpleName() : m.lines().findFirst().orElse(m);
    }

    private static void closeQuietly(Socket socket) {
        try {
            socket.close();
        } catch (IOException e) {
            // nothing was sent on it
        }
    }

    record Dialed(Socket socket, HostPort address) {
    }
}
