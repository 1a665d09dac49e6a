package io.tunnelmesh.bench.coordinator;

import java.io.BufferedReader;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * The anchor for the fan-out time, measured in the same run: the same number of loopback TCP connections, each
 * read by a virtual thread of this JVM as the simulated nodes are, and another JVM ({@link RawFanoutWriter})
 * writing a frame of the delta's size to every one of them from one thread with plain blocking writes: no Noise,
 * no JSON, no Netty, no registry, no batching delay. It is the floor this machine and this harness put under
 * "all N have it".
 */
final class RawFanout implements AutoCloseable {
    private final Process writer;
    private final Writer commands;
    private final BufferedReader replies;
    private final List<Socket> clients = new ArrayList<>();
    private final long[] arrivals;
    private final int frameBytes;
    private volatile int round = -1;
    private volatile CountDownLatch all;

    RawFanout(int n, int frameBytes, List<String> javaOptions) throws IOException {
        this.frameBytes = frameBytes;
        this.arrivals = new long[n];
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(javaOptions);
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), RawFanoutWriter.class.getName(),
                Integer.toString(n), Integer.toString(frameBytes)));
        writer = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        commands = new OutputStreamWriter(writer.getOutputStream(), StandardCharsets.US_ASCII);
        replies = new BufferedReader(new InputStreamReader(writer.getInputStream(), StandardCharsets.US_ASCII));
        String ready = replies.readLine();
        if (ready == null || !ready.startsWith("READY ")) {
            writer.destroyForcibly();
            throw new IOException("the raw fan-out writer JVM did not start (said: " + ready + ")");
        }
        int port = Integer.parseInt(ready.substring(6));
        for (int i = 0; i < n; i++) {
            Socket c = new Socket(InetAddress.getLoopbackAddress(), port);
            c.setTcpNoDelay(true);
            clients.add(c);
            int index = i;
            Thread.ofVirtual().start(() -> read(index, c));
        }
        String accepted = replies.readLine();
        if (!"ACCEPTED".equals(accepted)) {
            throw new IOException("the raw fan-out writer did not accept all connections (said: " + accepted + ")");
        }
    }

    private void read(int index, Socket c) {
        try {
            DataInputStream in = new DataInputStream(c.getInputStream());
            byte[] frame = new byte[frameBytes];
            while (true) {
                in.readFully(frame);
                long now = System.nanoTime();
                int r = (frame[0] & 0xff) << 24 | (frame[1] & 0xff) << 16 | (frame[2] & 0xff) << 8 | frame[3] & 0xff;
                if (r == round && arrivals[index] == 0) {
                    arrivals[index] = now;
                    all.countDown();
                }
            }
        } catch (IOException e) {
            // closed at the end
        }
    }

    /**
     * One frame to every connection.
     *
     * @return per-connection delays in nanoseconds from the moment the command left, or null when not all
     *         arrived within 30 s
     */
    long[] fanOut(int roundNumber) throws IOException, InterruptedException {
        Arrays.fill(arrivals, 0);
        all = new CountDownLatch(arrivals.length);
        round = roundNumber;
        long t0 = System.nanoTime();
        commands.write("send " + roundNumber + "\n");
        commands.flush();
        if (!all.await(30, TimeUnit.SECONDS)) {
            return null;
        }
        long[] delays = new long[arrivals.length];
        for (int i = 0; i < delays.length; i++) {
            delays[i] = arrivals[i] - t0;
        }
        return delays;
    }

    /** The writer JVM's CPU time so far, in nanoseconds. */
    long writerCpuNanos() throws IOException {
        commands.write("cpu\n");
        commands.flush();
        String line = replies.readLine();
        if (line == null || !line.startsWith("CPU ")) {
            throw new IOException("the raw fan-out writer did not answer cpu (said: " + line + ")");
        }
        return Long.parseLong(line.substring(4));
    }

    @Override
    public void close() throws Exception {
        try {
            commands.write("quit\n");
            commands.flush();
        } catch (IOException e) {
            // already gone
        }
        if (!writer.waitFor(10, TimeUnit.SECONDS)) {
            writer.destroyForcibly();
        }
        for (Socket s : clients) {
            s.close();
        }
    }
}
