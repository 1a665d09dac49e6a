package io.tunnelmesh.bench.coordinator;

import io.tunnelmesh.api.NodeKey;
import io.tunnelmesh.api.StaticKeyPair;
import io.tunnelmesh.control.Bye;
import io.tunnelmesh.control.ControlCodec;
import io.tunnelmesh.control.ControlFrames;
import io.tunnelmesh.control.ControlHandshake;
import io.tunnelmesh.control.ControlMessage;
import io.tunnelmesh.control.ControlProtocolException;
import io.tunnelmesh.control.ControlSession;
import io.tunnelmesh.control.EndpointsReport;
import io.tunnelmesh.control.Hello;
import io.tunnelmesh.control.JoinToken;
import io.tunnelmesh.control.NodeEntry;
import io.tunnelmesh.control.PeerDelta;
import io.tunnelmesh.control.PeerMap;
import io.tunnelmesh.control.Ping;
import io.tunnelmesh.control.Pong;
import io.tunnelmesh.control.Welcome;
import io.tunnelmesh.handshake.internal.noise.NoiseDh;
import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.List;
import java.util.Optional;

/**
 * One simulated mesh member: its own X25519 key, a {@code join} with the bench's token, then a {@code connect}
 * session kept open on a blocking socket read by one virtual thread, which answers pings and reports to the
 * {@link FanoutProbe} when a delta carries the change being traced.
 *
 * <p>Every frame is read and decrypted, as a real node must. Messages up to {@link #PARSE_LIMIT} bytes are
 * decoded with the protocol's {@link ControlCodec}; bigger ones (the full map, and deltas while thousands of
 * nodes come online at once) have their type read from the start and are searched for the traced endpoint
 * instead of parsed: a connect storm sends every node O(N) entries, O(N²) bytes in all, and parsing them in the
 * same two cores would measure the harness, not the coordinator.
 */
final class SimulatedNode {
    static final int PARSE_LIMIT = 16 << 10;
    static final int LISTEN_PORT = 51820;
    private static final byte[] TYPE_MAP = "{\"type\":\"map\"".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] TYPE_DELTA = "{\"type\":\"delta\"".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] PUBLIC_KEY = "\"publicKey\":".getBytes(StandardCharsets.US_ASCII);

    final int index;
    private final StaticKeyPair key;
    private final ControlCodec codec;
    private final String name;
    private Socket socket;
    private DataInputStream in;
    private OutputStream out;
    private ControlSession session;
    private volatile boolean closing;
    volatile int mapPeers = -1;
    volatile String ipv4;
    volatile String endOfSession;

    SimulatedNode(int index, SecureRandom random, ControlCodec codec) {
        this.index = index;
        byte[] priv = NoiseDh.DH25519.generatePrivateKey(random);
        this.key = new StaticKeyPair(priv, NodeKey.of(NoiseDh.DH25519.publicKey(priv)));
        this.codec = codec;
        this.name = String.format("bench-%05d", index);
    }

    /** The {@code join} exchange on its own connection, which the coordinator closes after its welcome. */
    void join(InetSocketAddress coordinator, JoinToken token) throws IOException, ControlProtocolException {
        String secret = Base64.getUrlEncoder().withoutPadding().encodeToString(token.secret());
        try (Socket s = open(coordinator)) {
            DataInputStream in = new DataInputStream(new BufferedInputStream(s.getInputStream(), 1024));
            Welcome welcome = handshake(s.getOutputStream(), in, token.coordinatorKey(),
                    hello(Hello.JOIN, token.tokenId(), secret)).welcome;
            ipv4 = welcome.self().ipv4();
            while (in.read() >= 0) {
                // the coordinator closes a join connection once the welcome is out
            }
        }
    }

    /**
     * Opens the long-lived {@code connect} session and reads up to and including the full map.
     *
     * @return the map's size in bytes
     */
    long connect(InetSocketAddress coordinator, NodeKey coordinatorKey) throws IOException, ControlProtocolException {
        socket = open(coordinator);
        in = new DataInputStream(new BufferedInputStream(socket.getInputStream(), 8192));
        out = socket.getOutputStream();
        Handshaken h = handshake(out, in, coordinatorKey, hello(Hello.CONNECT, null, null));
        session = h.session;
        socket.setSoTimeout(0);
        while (true) {
            byte[] message = nextMessage();
            if (startsWith(message, TYPE_MAP)) {
                mapPeers = message.length <= PARSE_LIMIT ? ((PeerMap) codec.decode(message)).peers().size()
                        : count(message, PUBLIC_KEY);
                return message.length;
            }
            handle(message, System.nanoTime(), null); // a ping before the map, in theory
        }
    }

    /** Reads the session until it ends; {@link #endOfSession} says why, unless the benchmark closed it. */
    void readUntilClosed(FanoutProbe probe) {
        try {
            while (true) {
                byte[] message = nextMessage();
                handle(message, System.nanoTime(), probe);
            }
        } catch (IOException | ControlProtocolException | RuntimeException e) {
            if (!closing) {
                endOfSession = e instanceof EOFException ? "closed by the coordinator" : e.toString();
            }
        }
    }

    /** Reports a new endpoint list, as a node does when its addresses change. */
    void reportEndpoint(String endpoint) throws IOException {
        send(new EndpointsReport(LISTEN_PORT, List.of(endpoint)));
    }

    void close() {
        closing = true;
        try {
            if (socket != null) {
                socket.close();
            }
        } catch (IOException e) {
            // closing anyway
        }
    }

    private void handle(byte[] message, long now, FanoutProbe probe) throws IOException, ControlProtocolException {
        if (message.length > PARSE_LIMIT) {
            byte[] marker = probe == null ? null : probe.markerBytes();
            if (marker != null && startsWith(message, TYPE_DELTA) && indexOf(message, marker, 0) >= 0) {
                probe.seen(index, now);
            }
            return;
        }
        Optional<ControlMessage> decoded = codec.decodeIfKnown(message);
        switch (decoded.orElse(null)) {
            case PeerDelta delta -> {
                String marker = probe == null ? null : probe.marker();
                if (marker != null) {
                    for (NodeEntry e : delta.changed()) {
                        if (e.endpoints().contains(marker)) {
                            probe.seen(index, now);
                        }
                    }
                }
            }
            case Ping ping -> send(new Pong(ping.nonce()));
            case Bye bye -> endOfSession = "bye: " + bye.reason();
            case null, default -> { } // pong, a later full map: nothing to trace
        }
    }

    private void send(ControlMessage message) throws IOException {
        synchronized (this) { // the reader (pongs) and the benchmark (endpoints) write; nonces go out in order
            for (byte[] frame : session.seal(codec.encode(message))) {
                ControlFrames.writeFrame(out, frame);
            }
        }
    }

    private byte[] nextMessage() throws IOException, ControlProtocolException {
        while (true) {
            byte[] whole = session.open(ControlFrames.readFrame(in));
            if (whole != null) {
                return whole;
            }
        }
    }

    private Hello hello(String mode, String tokenId, String secret) {
        return new Hello(1, mode, tokenId, secret, name, name, null, null, null, LISTEN_PORT,
                List.of("192.0.2." + (index % 250 + 1) + ":" + LISTEN_PORT));
    }

    private record Handshaken(Welcome welcome, ControlSession session) {
    }

    private Handshaken handshake(OutputStream o, DataInputStream in, NodeKey coordinatorKey, Hello hello)
            throws IOException, ControlProtocolException {
        ControlHandshake.Initiation init = ControlHandshake.initiate(key, coordinatorKey, codec.encode(hello));
        byte[] m1 = init.message();
        byte[] first = new byte[ControlFrames.PREAMBLE.length + 2 + m1.length]; // preamble and message 1 in one write
        System.arraycopy(ControlFrames.PREAMBLE, 0, first, 0, ControlFrames.PREAMBLE.length);
        first[4] = (byte) (m1.length >>> 8);
        first[5] = (byte) m1.length;
        System.arraycopy(m1, 0, first, 6, m1.length);
        o.write(first);
        ControlHandshake.Established est = init.finish(ControlFrames.readFrame(in));
        Welcome welcome = (Welcome) codec.decode(est.payload());
        if (welcome.error() != null) {
            throw new ControlProtocolException(name + " refused: " + welcome.errorCode() + " " + welcome.error());
        }
        return new Handshaken(welcome, est.session());
    }

    private static Socket open(InetSocketAddress coordinator) throws IOException {
        Socket s = new Socket();
        s.setTcpNoDelay(true);
        s.connect(coordinator, 20_000);
        s.setSoTimeout(60_000);
        return s;
    }

    private static boolean startsWith(byte[] message, byte[] prefix) {
        if (message.length < prefix.length) {
            return false;
        }
        for (int i = 0; i < prefix.length; i++) {
            if (message[i] != prefix[i]) {
                return false;
            }
        }
        return true;
    }

    private static int count(byte[] haystack, byte[] needle) {
        int n = 0;
        for (int at = indexOf(haystack, needle, 0); at >= 0; at = indexOf(haystack, needle, at + needle.length)) {
            n++;
        }
        return n;
    }

    private static int indexOf(byte[] haystack, byte[] needle, int from) {
        byte first = needle[0];
        int last = haystack.length - needle.length;
        outer:
        for (int i = from; i <= last; i++) {
            if (haystack[i] != first) {
                continue;
            }
            for (int j = 1; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }
}
