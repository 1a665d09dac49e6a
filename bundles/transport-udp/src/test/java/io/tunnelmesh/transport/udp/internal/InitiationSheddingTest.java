package io.tunnelmesh.transport.udp.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.tunnelmesh.api.Endpoint;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A binding asked to shed a host's initiations has the kernel drop them (a socket filter on the real socket): the
 * host's data still arrives, and so do other hosts' initiations, over IPv4 and IPv6; an empty list lets them in again.
 * Senders are real sockets on loopback addresses (127.0.0.2 and 127.0.0.3 are loopback hosts of their own on Linux).
 */
class InitiationSheddingTest {
    private static final byte INITIATION = 1;
    private static final byte DATA = 4;

    private final CollectingReceiver receiver = new CollectingReceiver();
    private UdpBinding binding;
    private InetSocketAddress to;

    @BeforeEach
    void open() throws Exception {
        binding = UdpBinding.open(0, receiver, UdpSettings.DEFAULTS, System.err::println);
        assumeTrue(binding.describeSocket().startsWith(IoFlavour.EPOLL + " "),
                "skipped: socket filters need Netty's native epoll socket");
        to = new InetSocketAddress("127.0.0.1", binding.listenPort());
    }

    @AfterEach
    void close() {
        binding.close();
    }

    @Test
    void shedHostsInitiationsAreDroppedByTheKernelAndNothingElseIs() throws Exception {
        try (DatagramChannel flooder = sender("127.0.0.2");
             DatagramChannel neighbour = sender("127.0.0.3")) {
            flooder.send(message(INITIATION, 1), to);
            Endpoint flooderSource = receiver.next().source();

            assertTrue(binding.shedInitiationsFrom(List.of(flooderSource)), "the UDP binding sheds");
            flooder.send(message(INITIATION, 2), to);
            flooder.send(message(DATA, 3), to);
            neighbour.send(message(INITIATION, 4), to);
            assertArrayEquals(message(DATA, 3).array(), receiver.next().data(), "the flooder's data still arrives");
            assertArrayEquals(message(INITIATION, 4).array(), receiver.next().data(), "and another host's initiation");

            assertTrue(binding.shedInitiationsFrom(List.of()), "an empty list ends it");
            flooder.send(message(INITIATION, 5), to);
            assertArrayEquals(message(INITIATION, 5).array(), receiver.next().data(), "the flooder is heard again");
            assertEquals(0, receiver.datagrams.size(), "nothing else arrived: " + receiver.datagrams);
        }
    }

    @Test
    void anIpv6HostIsShedWhileIpv4HostsAreNot() throws Exception {
        try (DatagramChannel v6 = sender("::1");
             DatagramChannel v4 = sender("127.0.0.2")) {
            InetSocketAddress toV6 = new InetSocketAddress("::1", binding.listenPort());
            v6.send(message(INITIATION, 1), toV6);
            CollectingReceiver.Received first = receiver.next();
            assertTrue(first.address().getAddress() instanceof Inet6Address, "an IPv6 source: " + first.address());

            assertTrue(binding.shedInitiationsFrom(List.of(first.source())));
            v6.send(message(INITIATION, 2), toV6);
            v6.send(message(DATA, 3), toV6);
            v4.send(message(INITIATION, 4), to);
            assertArrayEquals(message(DATA, 3).array(), receiver.next().data(), "the IPv6 host's data still arrives");
            assertArrayEquals(message(INITIATION, 4).array(), receiver.next().data(), "an IPv4 host's initiation");
            assertEquals(0, receiver.datagrams.size(), "nothing else arrived: " + receiver.datagrams);
        }
    }

    @Test
    void theLongestProgramIsTakenByTheKernelAndHostsBeyondTheLimitAreLeftToTheNode() throws Exception {
        try (DatagramChannel flooder = sender("127.0.0.2");
             DatagramChannel neighbour = sender("127.0.0.3")) {
            flooder.send(message(INITIATION, 1), to);
            Endpoint flooderSource = receiver.next().source();
            List<Endpoint> others = new ArrayList<>();
            for (int i = 0; i < InitiationFilter.MAX_HOSTS; i++) {
                others.add(endpoint("10.9.0." + (i + 1)));
                others.add(endpoint("fd00::" + Integer.toHexString(i + 1)));
            }

            List<Endpoint> flooderLast = new ArrayList<>(others);
            flooderLast.add(flooderSource);
            assertTrue(binding.shedInitiationsFrom(flooderLast), "the kernel takes the longest program");
            flooder.send(message(INITIATION, 2), to);
            assertArrayEquals(message(INITIATION, 2).array(), receiver.next().data(),
                    "a host beyond the limit still reaches the node, which goes on dropping it itself");

            List<Endpoint> flooderLastWithin = new ArrayList<>(others.subList(2, others.size()));
            flooderLastWithin.add(flooderSource);
            assertTrue(binding.shedInitiationsFrom(flooderLastWithin));
            flooder.send(message(INITIATION, 3), to);
            neighbour.send(message(INITIATION, 4), to);
            assertArrayEquals(message(INITIATION, 4).array(), receiver.next().data(),
                    "the 64th IPv4 host is shed, the others are not");
            assertEquals(0, receiver.datagrams.size(), "nothing else arrived: " + receiver.datagrams);
        }
    }

    private static Endpoint endpoint(String host) throws Exception {
        return new UdpEndpoint(new InetSocketAddress(InetAddress.getByName(host), 51820));
    }

    private static DatagramChannel sender(String host) throws Exception {
        return DatagramChannel.open().bind(new InetSocketAddress(host, 0));
    }

    /** A datagram of a WireGuard message's size whose first byte is its type; {@code n} tells them apart. */
    private static ByteBuffer message(byte type, int n) {
        byte[] b = new byte[148];
        b[0] = type;
        b[4] = (byte) n;
        return ByteBuffer.wrap(b);
    }
}
