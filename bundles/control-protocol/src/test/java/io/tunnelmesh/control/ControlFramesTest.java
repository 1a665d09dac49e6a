package io.tunnelmesh.control;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.tunnelmesh.api.StaticKeyPair;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class ControlFramesTest {

    @Test
    void framesRoundTripWithTheirBigEndianLength() throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ControlFrames.writePreamble(out);
        ControlFrames.writeFrame(out, new byte[] {42});
        ControlFrames.writeFrame(out, new byte[ControlFrames.MAX_FRAME]);
        byte[] wire = out.toByteArray();
        assertArrayEquals(new byte[] {0x54, 0x4D, 0x43, 0x31, 0, 1, 42, (byte) 0xff, (byte) 0xff}, java.util.Arrays.copyOf(wire, 9));

        DataInputStream in = new DataInputStream(new ByteArrayInputStream(wire));
        ControlFrames.readPreamble(in);
        assertArrayEquals(new byte[] {42}, ControlFrames.readFrame(in));
        assertEquals(ControlFrames.MAX_FRAME, ControlFrames.readFrame(in).length);
        assertThrows(EOFException.class, () -> ControlFrames.readFrame(in));
    }

    @Test
    void aWrongPreambleAZeroLengthAndACutFrameAreRefused() {
        assertThrows(ControlProtocolException.class, () -> ControlFrames.readPreamble(stream("GET / HTTP/1.1".getBytes(UTF_8))));
        assertThrows(EOFException.class, () -> ControlFrames.readPreamble(stream(new byte[] {'T', 'M'})));
        assertThrows(ControlProtocolException.class, () -> ControlFrames.readFrame(stream(new byte[] {0, 0, 1})));
        assertThrows(EOFException.class, () -> ControlFrames.readFrame(stream(new byte[] {0, 5, 1, 2})));
    }

    @Test
    void writeFrameRefusesEmptyAndOversizeFrames() {
        OutputStream sink = OutputStream.nullOutputStream();
        assertThrows(IllegalArgumentException.class, () -> ControlFrames.writeFrame(sink, new byte[0]));
        assertThrows(IllegalArgumentException.class, () -> ControlFrames.writeFrame(sink, new byte[ControlFrames.MAX_FRAME + 1]));
    }

    /** The whole v1 exchange over a real loopback socket: preamble, Noise IK, a welcome, a chunked map. */
    @Test
    void aNodeAndACoordinatorTalkOverLoopback() throws Exception {
        StaticKeyPair node = Keys.generate();
        StaticKeyPair coordinator = Keys.generate();
        ControlCodec codec = new ControlCodec();
        List<NodeEntry> peers = java.util.stream.IntStream.range(0, 2000)
                .mapToObj(i -> new NodeEntry("key" + i, "peer-" + i, "100.64.0." + (i % 250), null, List.of("192.0.2.1:51820"), null, true))
                .toList();
        try (ServerSocket server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            server.setSoTimeout(10_000);
            CompletableFuture<Hello> coordinatorSaw = CompletableFuture.supplyAsync(() -> {
                try (Socket s = server.accept()) {
                    s.setSoTimeout(10_000);
                    DataInputStream in = new DataInputStream(s.getInputStream());
                    ControlFrames.readPreamble(in);
                    ControlHandshake.Acceptance a = ControlHandshake.accept(coordinator, ControlFrames.readFrame(in));
                    Hello hello = (Hello) codec.decode(a.payload());
                    ControlHandshake.Reply reply = a.reply(codec.encode(new Welcome(null, null, null, "psk", "100.64.0.0/16", null)));
                    ControlFrames.writeFrame(s.getOutputStream(), reply.message());
                    for (byte[] f : reply.session().seal(codec.encode(new PeerMap(peers)))) {
                        ControlFrames.writeFrame(s.getOutputStream(), f);
                    }
                    return hello;
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
            try (Socket s = new Socket(server.getInetAddress(), server.getLocalPort())) {
                s.setSoTimeout(10_000);
                DataInputStream in = new DataInputStream(s.getInputStream());
                ControlFrames.writePreamble(s.getOutputStream());
                Hello hello = new Hello(1, Hello.CONNECT, null, null, "laptop", "laptop.local", null, null, null, 51820, List.of("10.0.0.2:51820"));
                ControlHandshake.Initiation init = ControlHandshake.initiate(node, coordinator.publicKey(), codec.encode(hello));
                ControlFrames.writeFrame(s.getOutputStream(), init.message());
                ControlHandshake.Established e = init.finish(ControlFrames.readFrame(in));
                assertEquals("psk", ((Welcome) codec.decode(e.payload())).meshPsk());
                byte[] message = null;
                for (int i = 0; i < 1000 && message == null; i++) {
                    message = e.session().open(ControlFrames.readFrame(in));
                }
                assertEquals(new PeerMap(peers), codec.decode(message));
                assertEquals(hello, coordinatorSaw.get(10, TimeUnit.SECONDS));
            }
        }
    }

    private static DataInputStream stream(byte[] b) {
        return new DataInputStream(new ByteArrayInputStream(b));
    }
}
