package io.tunnelmesh.bench.coordinator;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The writing side of the raw fan-out anchor ({@link RawFanout}), in its own JVM as the coordinator is (and so
 * that neither JVM needs two descriptors per node). Listens on 127.0.0.1, prints {@code READY port}, accepts N
 * connections, prints {@code ACCEPTED}; then for each stdin line {@code send ROUND} writes one frame of
 * {@code frameBytes} (the round number in its first 4 bytes) to every connection, one plain blocking write each,
 * from this one thread; {@code cpu} prints {@code CPU nanoseconds} (this JVM's CPU time so far). Ends at
 * {@code quit} or end of input.
 *
 * <p>Arguments: {@code N frameBytes}
 */
public final class RawFanoutWriter {
    private RawFanoutWriter() {
    }

    public static void main(String[] args) throws Exception {
        int n = Integer.parseInt(args[0]);
        int frameBytes = Integer.parseInt(args[1]);
        List<Socket> sockets = new ArrayList<>(n);
        List<OutputStream> outs = new ArrayList<>(n);
        try (ServerSocket server = new ServerSocket(0, 4096, InetAddress.getLoopbackAddress())) {
            System.out.println("READY " + server.getLocalPort());
            System.out.flush();
            for (int i = 0; i < n; i++) {
                Socket s = server.accept();
                s.setTcpNoDelay(true);
                sockets.add(s);
                outs.add(s.getOutputStream());
            }
            System.out.println("ACCEPTED");
            System.out.flush();
            BufferedReader commands = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.US_ASCII));
            byte[] frame = new byte[frameBytes];
            for (String line; (line = commands.readLine()) != null && !line.equals("quit"); ) {
                if (line.equals("cpu")) {
                    System.out.println("CPU " + ((com.sun.management.OperatingSystemMXBean)
                            java.lang.management.ManagementFactory.getOperatingSystemMXBean()).getProcessCpuTime());
                    System.out.flush();
                    continue;
                }
                int round = Integer.parseInt(line.substring(5));
                frame[0] = (byte) (round >>> 24);
                frame[1] = (byte) (round >>> 16);
                frame[2] = (byte) (round >>> 8);
                frame[3] = (byte) round;
                for (OutputStream o : outs) {
                    o.write(frame);
                }
            }
        } finally {
            for (Socket s : sockets) {
                s.close();
            }
        }
    }
}
