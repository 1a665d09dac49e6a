package io.tunnelmesh.shell.internal;

import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;

/** Remembers whether the output ended a line, so a reply's control line always starts a line of its own. */
final class LineTrackingStream extends FilterOutputStream {
    private boolean atLineStart = true;

    LineTrackingStream(OutputStream out) {
        super(out);
    }

    @Override
    public void write(int b) throws IOException {
        out.write(b);
        atLineStart = b == '\n';
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
        out.write(b, off, len);
        if (len > 0) {
            atLineStart = b[off + len - 1] == '\n';
        }
    }

    /** Writes a newline unless the output already ended with one. */
    void endLine() throws IOException {
        if (!atLineStart) {
            write('\n');
        }
        flush();
    }
}
