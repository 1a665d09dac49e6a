package io.tunnelmesh.e2e.tools;

import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.SplittableRandom;

/**
 * Run inside a namespace: connects, sends N pseudo-random bytes, closes, and prints {@code sent N bytes sha256 HEX}.
 * Args: address, port, byte count, timeout in ms.
 */
public final class TcpSource {
    private TcpSource() {
    }

    public static void main(String[] args) throws Exception {
        int total = Integer.parseInt(args[2]);
        int timeout = Integer.parseInt(args[3]);
        MessageDigest sha = MessageDigest.getInstance("SHA-256");
        SplittableRandom random = new SplittableRandom(System.nanoTime());
        byte[] chunk = new byte[64 * 1024];
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(args[0], Integer.parseInt(args[1])), timeout);
            socket.setSoTimeout(timeout);
            OutputStream out = socket.getOutputStream();
            for (int left = total; left > 0; ) {
                int n = Math.min(left, chunk.length);
                random.nextBytes(chunk);
                sha.update(chunk, 0, n);
                out.write(chunk, 0, n);
                left -= n;
            }
            socket.shutdownOutput();
            // Wait for the sink to close, so "sent" means the bytes left this host.
            socket.getInputStream().read();
        }
        System.out.println("sent " + total + " bytes sha256 " + HexFormat.of().formatHex(sha.digest()));
    }
}
