package io.tunnelmesh.e2e.tools;

import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.security.MessageDigest;
import java.util.HexFormat;

/**
 * Run inside a namespace: accepts one TCP connection, reads it to the end and prints
 * {@code received N bytes sha256 HEX}. Args: bind address, port, timeout in ms.
 */
public final class TcpSink {
    private TcpSink() {
    }

    public static void main(String[] args) throws Exception {
        int timeout = Integer.parseInt(args[2]);
        try (ServerSocket server = new ServerSocket()) {
            server.setReuseAddress(true);
            server.bind(new InetSocketAddress(InetAddress.getByName(args[0]), Integer.parseInt(args[1])));
            server.setSoTimeout(timeout);
            System.out.println("listening on " + server.getLocalSocketAddress());
            try (Socket socket = server.accept(); InputStream in = socket.getInputStream()) {
                socket.setSoTimeout(timeout);
                MessageDigest sha = MessageDigest.getInstance("SHA-256");
                byte[] buffer = new byte[64 * 1024];
                long total = 0;
                for (int n; (n = in.read(buffer)) >= 0; ) {
                    sha.update(buffer, 0, n);
                    total += n;
                }
                System.out.println("received " + total + " bytes sha256 " + HexFormat.of().formatHex(sha.digest()));
            }
        }
    }
}
