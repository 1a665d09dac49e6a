package io.tunnelmesh.coordinator.internal;

import io.tunnelmesh.api.NodeKey;
import io.tunnelmesh.api.StaticKeyPair;
import io.tunnelmesh.control.ControlHandshake;
import io.tunnelmesh.control.RelayFrames;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;

/**
 * The relay protocol over a blocking socket, byte for byte as docs/COORDINATOR.md describes it, so tests can also
 * send what a well-behaved client never would.
 */
final class RawRelayClient implements AutoCloseable {
    /** A frame as read: its type, key and payload. */
    record Frame(byte type, NodeKey key, byte[] payload) {
    }

    final Socket socket;
    private final DataInputStream in;
    private final OutputStream out;

    RawRelayClient(TestCoordinator c) throws IOException {
        this(c, 0);
    }

    /** @param receiveBuffer the socket's receive buffer (0: the default): small for a client that never reads */
    RawRelayClient(TestCoordinator c, int receiveBuffer) throws IOException {
        socket = new Socket();
        if (receiveBuffer > 0) {
            socket.setReceiveBufferSize(receiveBuffer);
        }
        socket.connect(c.address(), 2000);
        socket.setSoTimeout(2000);
        in = new DataInputStream(socket.getInputStream());
        out = socket.getOutputStream();
        out.write(RelayFrames.PREAMBLE);
    }

    /** Runs the handshake with {@code identity} (which may lie about its public key). @return the refusal, "" if admitted */
    String handshake(StaticKeyPair identity, NodeKey server) throws Exception {
        ControlHandshake.Initiation initiation = ControlHandshake.initiate(RelayFrames.PROLOGUE, identity, server, new byte[0]);
        send(RelayFrames.HANDSHAKE, new byte[32], initiation.message());
        Frame reply = read();
        return new String(initiation.finish(reply.payload()).payload(), java.nio.charset.StandardCharsets.UTF_8);
    }

    void send(byte type, byte[] key, byte[] payload) throws IOException {
        out.write(frame(type, key, payload));
    }

    static byte[] frame(byte type, byte[] key, byte[] payload) {
        return ByteBuffer.allocate(RelayFrames.HEADER + payload.length).putInt(payload.length).put(type).put(key)
                .put(payload).array();
    }

    void write(byte[] bytes) throws IOException {
        out.write(bytes);
    }

    Frame read() throws IOException {
        int length = in.readInt();
        byte type = in.readByte();
        byte[] key = new byte[RelayFrames.KEY_LENGTH];
        in.readFully(key);
        byte[] payload = new byte[length];
        in.readFully(payload);
        return new Frame(type, NodeKey.of(key), payload);
    }

    /** @return whether the server closed the connection within the socket's timeout */
    boolean closedByServer() throws IOException {
        try {
            while (in.read() >= 0) {
                // what was on its way
            }
            return true;
        } catch (SocketTimeoutException e) {
            return false;
        } catch (IOException e) {
            return true; // reset
        }
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
