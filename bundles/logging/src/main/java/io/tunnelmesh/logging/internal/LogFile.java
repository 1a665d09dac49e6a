package io.tunnelmesh.logging.internal;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;

/** The log file, appended to and rotated once ({@code tunnelmesh.log.1}) when it grows too large. */
final class LogFile {
    private final Path path;
    private long maxBytes = 10L * 1024 * 1024;
    private Writer writer;
    private long size;

    LogFile(Path path) throws IOException {
        this.path = path;
        Files.createDirectories(path.getParent());
        open();
    }

    private void open() throws IOException {
        writer = Files.newBufferedWriter(path, StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        size = Files.size(path);
    }

    synchronized void setMaxBytes(long bytes) {
        maxBytes = bytes;
    }

    synchronized void append(String line, Throwable exception) {
        if (writer == null) {
            return;
        }
        try {
            writer.write(line);
            writer.write('\n');
            size += line.length() + 1;
            if (exception != null) {
                PrintWriter pw = new PrintWriter(writer);
                exception.printStackTrace(pw);
                pw.flush();
            }
            writer.flush();
            if (size > maxBytes) {
                rotate();
            }
        } catch (IOException e) {
            // The disk is full or gone: keep the node running; the console still shows entries.
            close();
        }
    }

    private void rotate() throws IOException {
        writer.close();
        Files.move(path, path.resolveSibling(path.getFileName() + ".1"), StandardCopyOption.REPLACE_EXISTING);
        open();
    }

    synchronized void close() {
        try {
            if (writer != null) {
                writer.close();
            }
        } catch (IOException ignored) {
            // closing a broken file: nothing more to do
        }
        writer = null;
    }
}
