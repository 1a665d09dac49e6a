package io.tunnelmesh.control;

import java.io.DataInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.util.Arrays;

/** Framing: preamble "TMC1", then frames of a 2-byte big-endian length (1..65535) + bytes. */
public final class ControlFrames {
    public static final byte[] PREAMBLE = {'T', 'M', 'C', '1'};
    public static final int MAX_FRAME = 65535;
    public static final int MAX_MESSAGE = 16 << 20;

    private ControlFrames() {
    }

    public static void writePreamble(OutputStream out) throws IOException {
        out.write(PREAMBLE);
    }

    /** @throws ControlProtocolException when the 4 bytes are not the preamble */
    public static void readPreamble(DataInputStream in) throws IOException, ControlProtocolException {
        byte[] got = new byte[PREAMBLE.length];
        in.readFully(got);
        if (!Arrays.equals(got, PREAMBLE)) {
            throw new ControlProtocolException("not a TunnelMesh control connection (the first bytes are not TMC1)");
        }
    }

    /** Writes the length and the bytes in one call, so an unbuffered socket sends one segment. */
    public static void writeFrame(OutputStream out, byte[] frame) throws IOException {
        if (frame.length < 1 || frame.length > MAX_FRAME) {
            throw new IllegalArgumentException("a control frame holds 1.." + MAX_FRAME + " bytes, not " + frame.length);
        }
        byte[] buf = new byte[2 + frame.length];
        buf[0] = (byte) (frame.length >>> 8);
        buf[1] = (byte) frame.length;
        System.arraycopy(frame, 0, buf, 2, frame.length);
        out.write(buf);
    }

    /** @throws java.io.EOFException at end of stream; ControlProtocolException on a zero length */
    public static byte[] readFrame(DataInputStream in) throws IOException, ControlProtocolException {
        int length = in.readUnsignedShort();
        if (length == 0) {
            throw new ControlProtocolException("the peer closed the control connection (zero-length frame)");
        }
        byte[] frame = new byte[length];
        in.readFully(frame);
        return frame;
    }
}
