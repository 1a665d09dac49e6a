package io.tunnelmesh.e2e.tools;

import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;

/**
 * A UDP hole punch as two peers behind NATs do it, without any product code: from one local port, send a datagram
 * to the other side's public address every 50 ms for a while and listen in between. Prints
 * {@code received N from ADDRESS} (the first sender heard; N = 0 and {@code from nobody} when none came) and exits
 * 0 when something came, 1 otherwise. Args: local port, target host, target port, milliseconds.
 */
public final class UdpPunch {
    private UdpPunch() {
    }

    public static void main(String[] args) throws Exception {
        SocketAddress target = new InetSocketAddress(args[1], Integer.parseInt(args[2]));
        long end = System.nanoTime() + Long.parseLong(args[3]) * 1_000_000L;
        byte[] punch = "punch".getBytes(StandardCharsets.US_ASCII);
        int received = 0;
        SocketAddress heard = null;
        try (DatagramSocket socket = new DatagramSocket(Integer.parseInt(args[0]))) {
            socket.setSoTimeout(50);
            DatagramPacket in = new DatagramPacket(new byte[1500], 1500);
            while (System.nanoTime() < end) {
                socket.send(new DatagramPacket(punch, punch.length, target));
                try {
                    in.setLength(1500);
                    socket.receive(in);
                    received++;
                    heard = heard == null ? in.getSocketAddress() : heard;
                } catch (SocketTimeoutException e) {
                    // nothing this round; send again
                }
            }
        }
        System.out.println("received " + received + " from " + (heard == null ? "nobody" : heard));
        System.exit(received > 0 ? 0 : 1);
    }
}
