package io.tunnelmesh.coordinator.client.internal;

import io.tunnelmesh.api.HostPort;
import io.tunnelmesh.api.NodeKey;
import io.tunnelmesh.api.StaticKeyPair;
import io.tunnelmesh.control.ControlCodec;
import io.tunnelmesh.control.ControlFrames;
import io.tunnelmesh.control.ControlHandshake;
import io.tunnelmesh.control.ControlMessage;
import io.tunnelmesh.control.ControlProtocolException;
import io.tunnelmesh.control.ControlSession;
import io.tunnelmesh.control.Hello;
import io.tunnelmesh.control.Welcome;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.time.Duration;

/**
 * One node-side control connection after the Noise IK handshake: the coordinator has proved its key and answered
 * the hello with {@link #welcome()}. Used by one thread at a time (join, or the link's thread).
 */
final class ControlConnection implements AutoCloseable {
    private final Socket socket;
    private final HostPort address;
    private final ControlSession session;
    private final ControlCodec codec;
    private final Welcome welcome;
    private final OutputStream out;
    private final FrameReader frames;
    private long framesRead;

    private ControlConnection(Socket socket, HostPort address, ControlSession session, ControlCodec codec,
            Welcome welcome) throws IOException {
        this.socket = socket;
        this.address = address;
        this.session = session;
        this.codec = codec;
        this.welcome = welcome;
        this.out = socket.getOutputStream();
        this.frames = new FrameReader(socket.getInputStream());
    }

    /**
     * Sends the preamble and Noise message 1 with {@code hello}, reads message 2 and its welcome. Closes the
     * socket when it fails.
     */
    static ControlConnection open(CoordinatorDialer.Dialed dialed, StaticKeyPair node, NodeKey coordinator, Hello hello,
            ControlCodec codec, Duration handshakeTimeout) throws IOException, ControlProtocolException {
        Socket socket = dialed.socket();
        try {
            socket.setSoTimeout((int) handshakeTimeout.toMillis());
            ControlHandshake.Initiation initiation = ControlHandshake.initiate(node, coordinator, codec.encode(hello));
            OutputStream out = socket.getOutputStream();
            ControlFrames.writePreamble(out);
            ControlFrames.writeFrame(out, initiation.message());
            byte[] message2;
            try {
                message2 = ControlFrames.readFrame(new DataInputStream(socket.getInputStream()));
            } catch (SocketTimeoutException e) {
                throw new IOException("coordinator at " + dialed.address() + " did not answer the handshake within "
                        + handshakeTimeout.toSeconds() + " s");
            } catch (EOFException e) {
                throw new IOException("coordinator at " + dialed.address() + " closed the connection during the handshake:"
                        + " the token's coordinator key is not this coordinator's, or it is not a TunnelMesh coordinator");
            }
            ControlHandshake.Established established = initiation.finish(message2);
            ControlMessage first = codec.decode(established.payload());
            if (!(first instanceof Welcome welcome)) {
                throw new ControlProtocolException("coordinator at " + dialed.address() + " answered the hello with a "
                        + first.getClass().getSimpleName() + " message instead of a welcome");
            }
            return new ControlConnection(socket, dialed.address(), established.session(), codec, welcome);
        } catch (IOException | ControlProtocolException | RuntimeException e) {
            socket.close();
            throw e;
        }
    }

    Welcome welcome() {
        return welcome;
    }

    HostPort address() {
        return address;
    }

    /** How long {@link #poll()} waits for a frame before it returns null. */
    void pollEvery(Duration tick) throws IOException {
        socket.setSoTimeout((int) Math.max(1, tick.toMillis()));
    }

    void send(ControlMessage message) throws IOException {
        for (byte[] frame : session.seal(codec.encode(message))) {
            ControlFrames.writeFrame(out, frame);
        }
    }

    /**
     * @return the next whole message of a known type, or null when the tick passed first (or the frame was part of
     *         a longer message, or of a type this node does not know: a newer coordinator may send those)
     * @throws ControlProtocolException on a forged or malformed message: the caller closes the connection
     */
    ControlMessage poll() throws IOException, ControlProtocolException {
        byte[] frame = frames.poll();
        if (frame == null) {
            return null;
        }
        framesRead++;
        byte[] message = session.open(frame);
        return message == null ? null : codec.decodeIfKnown(message).orElse(null);
    }

    /** Frames read since the handshake: any frame, whole message or not, shows the coordinator is alive. */
    long framesRead() {
        return framesRead;
    }

    @Override
    public void close() {
        try {
            socket.close();
        } catch (IOException e) {
            // closing anyway
        }
    }
}
