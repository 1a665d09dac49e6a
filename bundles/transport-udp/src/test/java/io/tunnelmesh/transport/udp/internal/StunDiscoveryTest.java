package io.tunnelmesh.transport.udp.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.tunnelmesh.stun.BindingRequest;
import io.tunnelmesh.stun.BindingResponse;
import io.tunnelmesh.stun.TransactionId;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Endpoint discovery from a real binding against a tiny STUN responder on loopback. */
class StunDiscoveryTest {
    private static final Duration TIMEOUT = Duration.ofSeconds(3);

    private final CollectingReceiver receiver = new CollectingReceiver();
    private final UdpBinding binding;
    private final DatagramChannel server;
    private final InetSocketAddress serverAddress;

    StunDiscoveryTest() throws IOException {
        binding = UdpBinding.open(0, receiver, UdpSettings.DEFAULTS, System.err::println);
        server = DatagramChannel.open().bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        serverAddress = (InetSocketAddress) server.getLocalAddress();
    }

    @AfterEach
    void close() throws IOException {
        binding.close();
        server.close();
    }

    private record Request(TransactionId id, InetSocketAddress from) {
    }

    /** Waits for the binding's Binding request and reads its transaction id. */
    private Request awaitRequest() throws IOException {
        ByteBuffer in = ByteBuffer.allocate(1500);
        server.configureBlocking(true);
        server.socket().setSoTimeout(5000);
        InetSocketAddress from = (InetSocketAddress) server.receive(in);
        BindingRequest request = BindingRequest.parse(in.flip()).orElseThrow(() -> new AssertionError("not a Binding request"));
        return new Request(request.transactionId(), from);
    }

    private static ByteBuffer success(TransactionId id, InetSocketAddress mapped) {
        ByteBuffer out = ByteBuffer.allocate(128);
        BindingResponse.writeSuccess(out, id, mapped);
        return out.flip();
    }

    @Test
    void discoverReturnsTheSocketAsTheServerSawIt() throws Exception {
        CompletableFuture<List<String>> found = binding.discover(List.of(serverAddress), TIMEOUT);
        Request request = awaitRequest();
        server.send(success(request.id(), request.from()), request.from());

        assertEquals(List.of("udp:127.0.0.1:" + binding.listenPort()), found.get(5, TimeUnit.SECONDS));
        assertEquals(binding.listenPort(), request.from().getPort(), "asked from the binding's own socket");
        assertNull(receiver.datagrams.poll(200, TimeUnit.MILLISECONDS), "the answer never reaches the node");
    }

    @Test
    void answersWithAnUnknownIdOrFromAnotherAddressAreDroppedAndWireGuardStillArrives() throws Exception {
        CompletableFuture<List<String>> found = binding.discover(List.of(serverAddress), Duration.ofMillis(800));
        Request request = awaitRequest();
        InetSocketAddress forged = new InetSocketAddress("198.51.100.7", 4242);
        // the server itself, but a transaction id nobody asked for
        server.send(success(new TransactionId(1, 2), forged), request.from());
        // the right transaction id, but from another socket than the server asked
        try (DatagramChannel other = DatagramChannel.open().bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))) {
            other.send(success(request.id(), forged), request.from());
        }
        // a WireGuard handshake initiation's first bytes: type 1, three zero bytes
        byte[] wireGuard = new byte[148];
        wireGuard[0] = 1;
        server.send(ByteBuffer.wrap(wireGuard), request.from());

        assertArrayEquals(wireGuard, receiver.next().data(), "WireGuard datagrams still reach the node");
        assertNull(receiver.datagrams.poll(200, TimeUnit.MILLISECONDS), "no STUN answer reaches the node");
        assertEquals(List.of(), found.get(5, TimeUnit.SECONDS), "nothing trusted answered: empty at the timeout");
    }

    @Test
    void aLateAnswerAfterTheTimeoutIsDropped() throws Exception {
        CompletableFuture<List<String>> found = binding.discover(List.of(serverAddress), Duration.ofMillis(200));
        Request request = awaitRequest();
        assertEquals(List.of(), found.get(5, TimeUnit.SECONDS));
        server.send(success(request.id(), request.from()), request.from());
        assertNull(receiver.datagrams.poll(300, TimeUnit.MILLISECONDS), "a late answer reaches no one");
    }

    @Test
    void aClosedBindingCompletesAPendingDiscoveryEmpty() throws Exception {
        CompletableFuture<List<String>> found = binding.discover(List.of(serverAddress), Duration.ofSeconds(30));
        awaitRequest();
        binding.close();
        assertEquals(List.of(), found.get(5, TimeUnit.SECONDS));
    }

    @Test
    void transportWithoutBindingAnswersEmptyAndRejectsMalformedServers() throws Exception {
        UdpTransport transport = new UdpTransport();
        assertEquals(List.of(), transport.discover(List.of("127.0.0.1:3478"), TIMEOUT).get(1, TimeUnit.SECONDS));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> transport.discover(List.of("stun.example.org"), TIMEOUT));
        assertEquals(1, e.getMessage().lines().count());
        assertEquals(true, e.getMessage().contains("STUN server 'stun.example.org'"), e.getMessage());
    }
}
