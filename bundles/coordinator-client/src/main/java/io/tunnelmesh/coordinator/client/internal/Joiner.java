package io.tunnelmesh.coordinator.client.internal;

import io.tunnelmesh.api.HostPort;
import io.tunnelmesh.api.identity.NodeIdentity;
import io.tunnelmesh.control.ControlCodec;
import io.tunnelmesh.control.ControlProtocolException;
import io.tunnelmesh.control.EndpointsReport;
import io.tunnelmesh.control.JoinToken;
import io.tunnelmesh.control.Welcome;
import java.io.IOException;
import java.time.Duration;
import java.util.List;

/**
 * The work of {@code tm:join}: a {@code join} hello with the token to the coordinator, then the files the welcome
 * fills in. Every failure is one line.
 */
final class Joiner {
    private final CoordinatorDialer dialer;
    private final ControlCodec codec;
    private final Duration handshakeTimeout;
    private final JoinFiles files;

    Joiner(CoordinatorDialer dialer, ControlCodec codec, Duration handshakeTimeout, InstallationPaths paths) {
        this.dialer = dialer;
        this.codec = codec;
        this.handshakeTimeout = handshakeTimeout;
        this.files = new JoinFiles(paths);
    }

    /**
     * @throws IllegalArgumentException a malformed token or option (exit 2)
     * @throws JoinFailedException      unreachable, refused, or the files could not be written (exit 1)
     */
    Admission join(NodeIdentity identity, JoinOptions options, EndpointsReport local) throws JoinFailedException {
        JoinToken token = JoinToken.parse(options.token());
        List<HostPort> addresses = token.addresses().stream().map(a -> HostPort.parse(a, "coordinator address", 7443)).toList();
        files.checkWritable();
        Welcome welcome;
        try (ControlConnection connection = ControlConnection.open(dialer.dial(addresses), identity.keyPair(),
                token.coordinatorKey(), NodeHello.join(identity, token, options.name(), HostName.local(), local), codec,
                handshakeTimeout)) {
            welcome = connection.welcome();
        } catch (CoordinatorUnreachableException e) {
            throw new JoinFailedException(e.getMessage() + "; check the address and that 'tunnelmesh coordinator' runs there");
        } catch (IOException | ControlProtocolException e) {
            throw new JoinFailedException("join failed: " + firstLine(e));
        }
        if (welcome.error() != null || welcome.errorCode() != null) {
            String error = welcome.error() == null ? "refused" : firstLine(welcome.error());
            throw new JoinFailedException("join refused: " + error
                    + (welcome.errorCode() == null ? "" : " (" + welcome.errorCode() + ")"));
        }
        Admission admission = Admission.of(welcome);
        files.write(token, admission);
        return admission;
    }

    private static String firstLine(Exception e) {
        return e.getMessage() == null ? e.getClass().getSimpleName() : firstLine(e.getMessage());
    }

    private static String firstLine(String text) {
        return text.lines().findFirst().orElse(text);
    }
}
