package io.tunnelmesh.coordinator.client.internal;

import io.tunnelmesh.control.ControlProtocolException;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.net.SocketTimeoutException;

/**
 * Reads control frames (2-byte length + bytes, docs/COORDINATOR.md) from a socket with a read timeout, keeping a
 * partly read frame across timeouts. The link's one thread wakes up every tick to ping and report endpoints;
 * {@code ControlFrames.readFrame} would lose the bytes of a frame cut by such a timeout.
 */
final class FrameReader {
    private final InputStream in;
    private final byte[] header = new byte[2];
    private int headerRead;
    private byte[] body;
    private int bodyRead;

    FrameReader(InputStream in) {
        this.in = in;
    }

    /**
     * @return the next frame, or null when the socket's read timeout passed first
     * @throws EOFException at the end of the stream; ControlProtocolException on a zero length (the peer closes)
     */
    byte[] poll() throws IOException, ControlProtocolException {
        try {
            while (headerRead < header.length) {
                headerRead += readSome(header, headerRead, header.length - headerRead);
            }
            if (body == null) {
                int length = (header[0] & 0xff) << 8 | header[1] & 0xff;
                if (length == 0) {
                    throw new ControlProtocolException("the coordinator closed the control connection (zero-length frame)");
                }
                body = new byte[length];
                bodyRead = 0;
            }
            while (bodyRead < body.length) {
                bodyRead += readSome(body, bodyRead, body.length - bodyRead);
            }
        } catch (SocketTimeoutException e) {
            return null;
        }
        byte[] frame = body;
        body = null;
        headerRead = 0;
        return frame;
    }

    private int readSome(byte[] b, int off, int len) throws IOException {
        int n = in.read(b, off, len);
        if (n < 0) {
            throw new EOFException("the coordinator closed the connection");
        }
        return n;
    }
}
