package io.tunnelmesh.coordinator.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tunnelmesh.stun.BindingRequest;
import io.tunnelmesh.stun.BindingResponse;
import io.tunnelmesh.stun.Stun;
import io.tunnelmesh.stun.TransactionId;
import io.tunnelmesh.support.log.ComponentLog;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The responder on a real UDP socket (wildcard address, free port), asked from 127.0.0.1 and ::1. */
class StunResponderTest {
    private final SplittableRandom random = new SplittableRandom(3478);
    private StunResponder responder;

    @BeforeEach
    void start() throws IOException {
        responder = StunResponder.start(new InetSocketAddress(0), ComponentLog.SILENT);
    }

    @AfterEach
    void stop() {
        responder.close();
    }

    @Test
    void answersEachClientWithTheAddressItCameFrom() throws Exception {
        for (InetAddress client : List.of(InetAddress.getByName("127.0.0.1"), InetAddress.getByName("::1"))) {
            try (DatagramChannel socket = DatagramChannel.open().bind(new InetSocketAddress(client, 0))) {
                TransactionId id = TransactionId.random(random);
                ByteBuffer request = ByteBuffer.allocate(64);
                BindingRequest.write(request, id);
                ByteBuffer answer = ask(socket, client, request.flip());
                assertTrue(answer.remaining() <= request.limit() + BindingResponse.MAX_GROWTH, "no amplification");
                assertEquals(new BindingResponse(id, (InetSocketAddress) socket.getLocalAddress()),
                        BindingResponse.parse(answer).orElseThrow(), "from " + client);
            }
        }
        assertCounts(new StunResponder.Counts(2, 2, 0, 0));
    }

    @Test
    void unknownComprehensionRequiredAttributeGets420() throws Exception {
        // a Binding request with CHANGE-REQUEST (RFC 5780), which this server cannot honour
        ByteBuffer request = ByteBuffer.wrap(HexFormat.of().parseHex("000100082112a442" + "11".repeat(12) + "0003000400000006"));
        try (DatagramChannel socket = DatagramChannel.open().bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))) {
            ByteBuffer answer = ask(socket, InetAddress.getLoopbackAddress(), request);
            assertEquals(Stun.BINDING_ERROR, answer.getShort(0));
            assertTrue(HexFormat.of().formatHex(answer.array(), 0, answer.limit()).contains("000a00020003"), "UNKNOWN-ATTRIBUTES lists it");
        }
    }

    @Test
    void everythingElseIsCountedAndNeverAnswered() throws Exception {
        ByteBuffer wireGuardInitiation = ByteBuffer.allocate(148).put(0, (byte) 1);
        ByteBuffer response = ByteBuffer.allocate(128);
        BindingResponse.writeSuccess(response, TransactionId.random(random), new InetSocketAddress("192.0.2.1", 1));
        List<ByteBuffer> hostile = List.of(wireGuardInitiation, response.flip(), ByteBuffer.wrap("GET / HTTP/1.1\r\n".getBytes()),
                ByteBuffer.allocate(0), ByteBuffer.allocate(1400));
        try (DatagramChannel socket = DatagramChannel.open().bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))) {
            for (ByteBuffer datagram : hostile) {
                socket.send(datagram, target(InetAddress.getLoopbackAddress()));
            }
            socket.socket().setSoTimeout(300);
            assertThrows(SocketTimeoutException.class, () -> socket.socket().receive(new java.net.DatagramPacket(new byte[2048], 2048)));
        }
        assertCounts(new StunResponder.Counts(0, 0, hostile.size(), 0));
    }

    /**
     * The responder counts an answer after sending it, so a client can hold the answer before the count moves:
     * waits up to 5 s for the counters to reach {@code expected}, then asserts them.
     */
    private void assertCounts(StunResponder.Counts expected) throws InterruptedException {
        Instant deadline = Instant.now().plus(Duration.ofSeconds(5));
        while (!responder.counts().equals(expected) && Instant.now().isBefore(deadline)) {
            Thread.sleep(10);
        }
        assertEquals(expected, responder.counts());
    }

    @Test
    void portInUseIsOneLineNamingThePortAndWhatToDo() {
        int port = responder.address().getPort();
        IOException e = assertThrows(IOException.class, () -> StunResponder.start(new InetSocketAddress(port), ComponentLog.SILENT));
        assertTrue(e.getMessage().startsWith("cannot answer STUN on UDP port " + port + ": "), e.getMessage());
        assertTrue(e.getMessage().contains("--stun-port") && !e.getMessage().contains("\n"), e.getMessage());
    }

    private ByteBuffer ask(DatagramChannel socket, InetAddress server, ByteBuffer request) throws IOException {
        socket.send(request.duplicate(), target(server));
        socket.socket().setSoTimeout(5000);
        java.net.DatagramPacket packet = new java.net.DatagramPacket(new byte[2048], 2048);
        socket.socket().receive(packet);
        return ByteBuffer.wrap(packet.getData(), 0, packet.getLength()).slice();
    }

    private InetSocketAddress target(InetAddress server) {
        return new InetSocketAddress(server, responder.address().getPort());
    }
}
