package io.tunnelmesh.ssh.internal;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * SSH wire encoding (RFC 4251 §5): {@code uint32} big-endian and {@code string} = uint32 length ‖ bytes. Used for
 * public-key blobs, signature blobs, SSHSIG and agent messages.
 */
public final class SshWire {
    private SshWire() {
    }

    /** Thrown when input ends early or a length is impossible; callers turn it into a one-line message. */
    public static final class MalformedException extends Exception {
        private static final long serialVersionUID = 1L;

        public MalformedException(String message) {
            super(message);
        }
    }

    /** Reads SSH wire values from a byte array; every read checks the remaining length. */
    public static final class Reader {
        private final byte[] buf;
        private int pos;
        private final int end;

        public Reader(byte[] buf) {
            this(buf, 0, buf.length);
        }

        public Reader(byte[] buf, int offset, int length) {
            this.buf = buf;
            this.pos = offset;
            this.end = offset + length;
        }

        public int remaining() {
            return end - pos;
        }

        public int readByte() throws MalformedException {
            need(1);
            return buf[pos++] & 0xff;
        }

        public long readUint32() throws MalformedException {
            need(4);
            long v = ((buf[pos] & 0xffL) << 24) | ((buf[pos + 1] & 0xffL) << 16) | ((buf[pos + 2] & 0xffL) << 8)
                    | (buf[pos + 3] & 0xffL);
            pos += 4;
            return v;
        }

        public byte[] readString() throws MalformedException {
            long len = readUint32();
            if (len > remaining()) {
                throw new MalformedException("length " + len + " exceeds the " + remaining() + " bytes left");
            }
            byte[] out = Arrays.copyOfRange(buf, pos, pos + (int) len);
            pos += (int) len;
            return out;
        }

        public String readUtf8() throws MalformedException {
            return new String(readString(), StandardCharsets.UTF_8);
        }

        public byte[] readRaw(int n) throws MalformedException {
            need(n);
            byte[] out = Arrays.copyOfRange(buf, pos, pos + n);
            pos += n;
            return out;
        }

        private void need(int n) throws MalformedException {
            if (n > remaining()) {
                throw new MalformedException("input ends early (needed " + n + " bytes, " + remaining() + " left)");
            }
        }
    }

    /** Builds SSH wire values. */
    public static final class Writer {
        private final ByteArrayOutputStream out = new ByteArrayOutputStream();

        public Writer raw(byte[] bytes) {
            out.writeBytes(bytes);
            return this;
        }

        public Writer byteValue(int b) {
            out.write(b);
            return this;
        }

        public Writer uint32(long v) {
            out.write((int) (v >>> 24));
            out.write((int) (v >>> 16));
            out.write((int) (v >>> 8));
            out.write((int) v);
            return this;
        }

        public Writer string(byte[] bytes) {
            uint32(bytes.length);
            return raw(bytes);
        }

        public Writer string(String ascii) {
            return string(ascii.getBytes(StandardCharsets.UTF_8));
        }

        public byte[] toByteArray() {
            return out.toByteArray();
        }
    }
}
