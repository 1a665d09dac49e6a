package io.tunnelmesh.transport.udp.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tunnelmesh.api.Endpoint;
import io.tunnelmesh.api.transport.DatagramReceiver;
import io.tunnelmesh.api.transport.TransportBinding;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The traffic of two nodes joining a third, as the node makes it: lone small datagrams after idle, each sent and
 * flushed from a thread of the node's own (not the event loop), the answers to two peers interleaved on one thread,
 * received through UDP_GRO sockets. A handshake message lost here costs a node 5 s (WireGuard's retry), so every
 * round must arrive whole and at once.
 */
class HandshakeExchangeTest {
    private static final int ROUNDS = 40;
    private static final int INITIATION = 148;
    private static final int RESPONSE = 92;
    private static final int KEEPALIVE = 32;
    private final List<AutoCloseable> open = new ArrayList<>();

    @AfterEach
    void closeAll() throws Exception {
        for (AutoCloseable c : open) {
            c.close();
        }
    }

    @Test
    void loneHandshakeMessagesFromWorkerThreadsToTwoPeersAllArriveAtOnce() throws Exception {
        Node joined = node();
        Node alpha = node();
        Node bravo = node();
        // the joined node's handshake worker answers each initiation to its source, flushing when it has no more
        Worker responder = new Worker(joined, RESPONSE);
        // the initiators' workers confirm each response with a keepalive
        Worker alphaConfirms = new Worker(alpha, KEEPALIVE);
        Worker bravoConfirms = new Worker(bravo, KEEPALIVE);
        open.add(responder);
        open.add(alphaConfirms);
        open.add(bravoConfirms);
        UdpEndpoint toJoined = joined.endpoint();
        for (int round = 0; round < ROUNDS; round++) {
            Thread.sleep(3); // idle for longer than DatagramBatcher.IDLE_NANOS: the lone-datagram path
            long start = System.nanoTime();
            Thread a = Thread.ofPlatform().start(() -> alpha.sendAndFlush(INITIATION, toJoined));
            Thread b = Thread.ofPlatform().start(() -> bravo.sendAndFlush(INITIATION, toJoined));
            a.join();
            b.join();
            // at the joined node: two initiations, then two keepalives (one per initiator)
            List<Integer> sizes = new ArrayList<>();
            for (int i = 0; i < 4; i++) {
                Arrival arrival = joined.arrivals.poll(1, TimeUnit.SECONDS);
                assertTrue(arrival != null, "round " + round + ": only " + sizes + " arrived at the joined node");
                sizes.add(arrival.size);
            }
            long millis = (System.nanoTime() - start) / 1_000_000;
            sizes.sort(null);
            assertEquals(List.of(KEEPALIVE, KEEPALIVE, INITIATION, INITIATION), sizes, "round " + round);
            assertTrue(millis < 500, "round " + round + " took " + millis + " ms");
            assertEquals(1, alpha.responses(), "round " + round + ": alpha's response");
            assertEquals(1, bravo.responses(), "round " + round + ": bravo's response");
        }
        assertEquals(0, joined.binding.dropped() + alpha.binding.dropped() + bravo.binding.dropped());
    }

    private Node node() throws IOException {
        Node n = new Node();
        open.add(n.binding);
        return n;
    }

    private record Arrival(int size, Endpoint source, TransportBinding via) {
    }

    /** A binding whose receiver copies nothing but the size and hands each arrival to a worker, as the node does. */
    private static final class Node implements DatagramReceiver {
        final BlockingQueue<Arrival> arrivals = new LinkedBlockingQueue<>();
        final BlockingQueue<Arrival> forWorker = new LinkedBlockingQueue<>();
        final UdpBinding binding;

        Node() throws IOException {
            binding = UdpBinding.open(0, this, UdpSettings.DEFAULTS, System.err::println);
        }

        UdpEndpoint endpoint() {
            return new UdpEndpoint(new InetSocketAddress("127.0.0.1", binding.listenPort()));
        }

        @Override
        public void received(ByteBuffer datagram, Endpoint source, TransportBinding via) {
            Arrival arrival = new Arrival(datagram.remaining(), source, via);
            arrivals.add(arrival);
            forWorker.add(arrival);
        }

        @Override
        public void batchComplete(TransportBinding via) {
        }

        void sendAndFlush(int size, Endpoint to) {
            binding.send(ByteBuffer.allocateDirect(size), to);
            binding.flush();
        }

        /** Responses that arrived since the last call (waits up to 1 s for the first). */
        int responses() throws InterruptedException {
            Arrival response = arrivals.poll(1, TimeUnit.SECONDS);
            int n = 0;
            while (response != null) {
                assertEquals(RESPONSE, response.size);
                n++;
                response = arrivals.poll();
            }
            return n;
        }
    }

    /** Answers what a node received with {@code answerSize} bytes to its source; only initiations and responses. */
    private static final class Worker implements AutoCloseable {
        private final Thread thread;

        Worker(Node node, int answerSize) {
            thread = Thread.ofPlatform().daemon().start(() -> {
                ByteBuffer answer = ByteBuffer.allocateDirect(answerSize);
                try {
                    while (true) {
                        Arrival m = node.forWorker.take();
                        if (m.size != KEEPALIVE) {
                            answer.clear();
                            m.via.send(answer, m.source);
                        }
                        if (node.forWorker.isEmpty()) { // as the node's handshake worker: after any message
                            m.via.flush();
                        }
                    }
                } catch (InterruptedException e) {
                    // closed
                }
            });
        }

        @Override
        public void close() {
            thread.interrupt();
        }
    }
}
