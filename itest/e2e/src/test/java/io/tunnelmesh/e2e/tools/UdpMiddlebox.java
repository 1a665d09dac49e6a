package io.tunnelmesh.e2e.tools;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Run inside a namespace as the endpoint one node uses for its peer: forwards datagrams both ways between that node
 * (the "client", whoever sends first) and the target, keeping copies of the client's first datagrams (handshake
 * initiation and data). On the stdin line {@code spray SECONDS MAX} it sprays the target with random bytes,
 * truncated copies and exact replays of those datagrams, from the forwarding socket (the address the target knows)
 * and from a second one, then prints {@code sprayed random=… truncated=… replayed=…}.
 * Args: listen port, target host, target port.
 */
public final class UdpMiddlebox {
    private static final int KEEP = 256;

    private final DatagramSocket forward;
    private final SocketAddress target;
    private final List<byte[]> recorded = new ArrayList<>();
    private volatile SocketAddress client;

    private UdpMiddlebox(int port, SocketAddress target) throws SocketException {
        this.forward = new DatagramSocket(port);
        this.target = target;
    }

    public static void main(String[] args) throws Exception {
        UdpMiddlebox box = new UdpMiddlebox(Integer.parseInt(args[0]),
                new InetSocketAddress(args[1], Integer.parseInt(args[2])));
        Thread.ofPlatform().daemon().name("forward").start(box::forwardForever);
        System.out.println("forwarding");
        BufferedReader stdin = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        for (String line; (line = stdin.readLine()) != null; ) {
            String[] words = line.strip().split("\\s+");
            if (words[0].equals("spray")) {
                box.spray(Long.parseLong(words[1]) * 1000, Integer.parseInt(words[2]));
            }
        }
    }

    private void forwardForever() {
        byte[] buffer = new byte[65536];
        DatagramPacket packet = new DatagramPacket(buffer, buffer.length);
        try {
            while (true) {
                packet.setLength(buffer.length);
                forward.receive(packet);
                SocketAddress from = packet.getSocketAddress();
                if (from.equals(target)) {
                    if (client != null) {
                        forward.send(new DatagramPacket(buffer, packet.getLength(), client));
                    }
                    continue;
                }
                client = from;
                synchronized (recorded) {
                    if (recorded.size() < KEEP) {
                        recorded.add(Arrays.copyOf(buffer, packet.getLength()));
                    }
                }
                forward.send(new DatagramPacket(buffer, packet.getLength(), target));
            }
        } catch (Exception e) {
            System.out.println("forwarding stopped: " + e);
        }
    }

    private void spray(long millis, int max) throws Exception {
        List<byte[]> samples;
        synchronized (recorded) {
            samples = List.copyOf(recorded);
        }
        SplittableRandom random = new SplittableRandom();
        int randomCount = 0;
        int truncated = 0;
        int replayed = 0;
        long end = System.nanoTime() + millis * 1_000_000;
        try (DatagramSocket stranger = new DatagramSocket()) {
            for (int i = 0; i < max && System.nanoTime() < end; i++) {
                DatagramSocket from = (i & 1) == 0 ? forward : stranger;
                byte[] datagram;
                int kind = samples.isEmpty() ? 0 : i % 3;
                if (kind == 0) {
                    datagram = new byte[1 + random.nextInt(1500)];
                    random.nextBytes(datagram);
                    if (random.nextBoolean()) {
                        datagram[0] = (byte) (1 + random.nextInt(4)); // looks like a WireGuard message type
                        if (datagram.length > 3) {
                            datagram[1] = datagram[2] = datagram[3] = 0;
                        }
                    }
                    randomCount++;
                } else {
                    byte[] sample = samples.get(random.nextInt(samples.size()));
                    datagram = kind == 1 ? Arrays.copyOf(sample, random.nextInt(Math.max(1, sample.length))) : sample;
                    if (kind == 1) {
                        truncated++;
                    } else {
                        replayed++;
                    }
                }
                from.send(new DatagramPacket(datagram, datagram.length, target));
                if ((i & 63) == 63) {
                    Thread.sleep(5); // bounded rate: about 12k datagrams per second
                }
            }
        }
        System.out.println("sprayed random=" + randomCount + " truncated=" + truncated + " replayed=" + replayed
                + " (from " + samples.size() + " recorded datagrams)");
    }
}
