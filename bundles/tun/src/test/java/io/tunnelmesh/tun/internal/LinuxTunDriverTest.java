package io.tunnelmesh.tun.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tunnelmesh.api.IpPrefix;
import io.tunnelmesh.api.tun.TunConfig;
import io.tunnelmesh.api.tun.TunDevice;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.StandardProtocolFamily;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.IntFunction;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The driver against the real kernel, each test inside its own network namespace. */
class LinuxTunDriverTest {
    private static final String TUN = "tmt0";
    private static final InetAddress LOCAL4 = address("10.213.0.1");
    private static final InetAddress PEER4 = address("10.213.0.2");
    private static final InetAddress PEER6 = address("fd00:213::2");
    private static final InetAddress LOCAL6 = address("fd00:213::1");
    private static final TunConfig CONFIG = new TunConfig(TUN,
            List.of(IpPrefix.parse("10.213.0.1/24"), IpPrefix.parse("fd00:213::1/64")), 1420, 10_000);

    private TestNamespace namespace;
    private TunDevice device;

    @BeforeEach
    void enterNamespace() throws Exception {
        TestNamespace.assumeRootWithTun();
        namespace = new TestNamespace();
    }

    @AfterEach
    void cleanUp() throws Exception {
        if (device != null) {
            device.close();
        }
        if (namespace != null) {
            namespace.close();
        }
    }

    private TunDevice open(TunConfig config) throws Exception {
        device = namespace.call(() -> new LinuxTunDriver(Map.of()).open(config));
        return device;
    }

    @Test
    void interfaceComesUpWithAddressesMtuAndQueueLength() throws Exception {
        open(CONFIG);
        String link = namespace.ip("link", "show", "dev", TUN);
        assertTrue(link.contains("mtu 1420"), link);
        assertTrue(link.contains("qlen 10000"), link);
        assertTrue(link.matches("(?s).*<[^>]*\\bUP\\b[^>]*>.*"), link);
        String addresses = namespace.ip("addr", "show", "dev", TUN);
        assertTrue(addresses.contains("inet 10.213.0.1/24"), addresses);
        assertTrue(addresses.contains("inet6 fd00:213::1/64"), addresses);
        assertEquals(TUN, device.name());
        assertEquals(1420, device.mtu());
    }

    @Test
    void addressesChangeInPlaceOnTheSameInterface() throws Exception {
        open(CONFIG);
        String indexBefore = namespace.ip("-o", "link", "show", "dev", TUN).split(":")[0];
        namespace.call(() -> {
            device.setAddresses(List.of(IpPrefix.parse("10.214.0.1/16"), IpPrefix.parse("fd00:213::1/48")));
            return null;
        });
        String addresses = namespace.ip("addr", "show", "dev", TUN);
        assertTrue(addresses.contains("inet 10.214.0.1/16"), addresses);
        assertTrue(!addresses.contains("10.213.0.1"), "the old address is gone: " + addresses);
        assertTrue(addresses.contains("inet6 fd00:213::1/48"), addresses);
        assertTrue(!addresses.contains("fd00:213::1/64"), addresses);
        assertEquals(indexBefore, namespace.ip("-o", "link", "show", "dev", TUN).split(":")[0], "same interface index");
        assertEquals(indexBefore, addresses.split(":")[0]);
    }

    @Test
    void datagramSentIntoTheSubnetIsReadAsOneIpPacket() throws Exception {
        open(CONFIG);
        byte[] hello4 = "hello over IPv4".getBytes(StandardCharsets.US_ASCII);
        byte[] hello6 = "hello over IPv6".getBytes(StandardCharsets.US_ASCII);
        namespace.call(() -> {
            try (DatagramChannel socket = DatagramChannel.open(StandardProtocolFamily.INET6)) {
                socket.send(ByteBuffer.wrap(hello4), new InetSocketAddress(PEER4, 9999));
                socket.send(ByteBuffer.wrap(hello6), new InetSocketAddress(PEER6, 9999));
            }
            return null;
        });
        ByteBuffer packet = readUntil(p -> Packets.version(p) == 4 && Packets.protocol(p) == Packets.UDP);
        assertEquals(PEER4, Packets.destination(packet));
        assertArrayEquals(hello4, Packets.udpPayload(packet));
        packet = readUntil(p -> Packets.version(p) == 6 && Packets.protocol(p) == Packets.UDP);
        assertEquals(PEER6, Packets.destination(packet));
        assertArrayEquals(hello6, Packets.udpPayload(packet));
    }

    @Test
    void oneReadTakesEveryPacketThatIsReadyWithOffload() throws Exception {
        assertOneReadTakesEveryReadyPacket(Map.of());
    }

    @Test
    void oneReadTakesEveryPacketThatIsReadyWithoutOffload() throws Exception {
        assertOneReadTakesEveryReadyPacket(Map.of(LinuxTunDriver.OFFLOAD, "false"));
    }

    /** The batch read waits for the first packet only, then takes what else the kernel has queued. */
    private void assertOneReadTakesEveryReadyPacket(Map<String, Object> properties) throws Exception {
        device = namespace.call(() -> new LinuxTunDriver(properties).open(CONFIG));
        int sent = 5;
        namespace.call(() -> {
            try (DatagramChannel socket = DatagramChannel.open(StandardProtocolFamily.INET)) {
                for (int i = 0; i < sent; i++) {
                    socket.send(ByteBuffer.wrap(new byte[] {(byte) i}), new InetSocketAddress(PEER4, 9999));
                }
            }
            return null;
        });
        ByteBuffer[] slots = new ByteBuffer[16];
        for (int i = 0; i < slots.length; i++) {
            slots[i] = ByteBuffer.allocateDirect(2048);
        }
        int udp = 0;
        while (udp == 0) { // the kernel's own IPv6 chatter may come in a read of its own first
            int n = device.read(slots);
            for (int i = 0; i < n; i++) {
                udp += Packets.version(slots[i]) == 4 && Packets.protocol(slots[i]) == Packets.UDP ? 1 : 0;
            }
        }
        assertEquals(sent, udp, "datagrams taken by the first read that found any, " + device);
    }

    @Test
    void packetWrittenToTheInterfaceReachesASocketBehindIt() throws Exception {
        open(CONFIG);
        byte[] payload = "from the tunnel".getBytes(StandardCharsets.US_ASCII);
        assertWrittenPacketArrives(LOCAL4, PEER4, payload,
                port -> Packets.ipv4Udp(PEER4, 4000, LOCAL4, port, payload));
    }

    @Test
    void ipv6PacketWrittenToTheInterfaceReachesASocketBehindIt() throws Exception {
        open(CONFIG);
        byte[] payload = "from the tunnel, IPv6".getBytes(StandardCharsets.US_ASCII);
        assertWrittenPacketArrives(LOCAL6, PEER6, payload,
                port -> Packets.ipv6Udp(PEER6, 4000, LOCAL6, port, payload));
    }

    private void assertWrittenPacketArrives(InetAddress local, InetAddress peer, byte[] payload,
            IntFunction<ByteBuffer> packetToPort) throws Exception {
        try (DatagramChannel socket = namespace.call(() -> DatagramChannel.open(StandardProtocolFamily.INET6)
                .bind(new InetSocketAddress(local, 0)))) {
            int port = ((InetSocketAddress) socket.getLocalAddress()).getPort();
            ByteBuffer packet = packetToPort.apply(port);
            OnePacket.write(device, packet);
            ByteBuffer received = ByteBuffer.allocate(100);
            Future<Object> from = namespace.submit(() -> socket.receive(received));
            assertEquals(new InetSocketAddress(peer, 4000), from.get(5, TimeUnit.SECONDS));
            assertArrayEquals(payload, Arrays.copyOf(received.array(), received.position()));
        }
    }

    @Test
    void closeWakesABlockedReaderAndRemovesTheInterface() throws Exception {
        open(CONFIG);
        Future<Integer> reader = namespace.submit(() -> {
            ByteBuffer buffer = ByteBuffer.allocateDirect(2048);
            int n;
            do {
                n = OnePacket.read(device, buffer); // the kernel's own IPv6 chatter may arrive first
            } while (n >= 0);
            return n;
        });
        Thread.sleep(300);
        long start = System.nanoTime();
        device.close();
        assertEquals(-1, reader.get(2, TimeUnit.SECONDS));
        System.out.printf("close woke the blocked reader after %.1f ms%n", (System.nanoTime() - start) / 1e6);
        IOException gone = assertThrows(IOException.class, () -> namespace.ip("link", "show", "dev", TUN));
        assertTrue(gone.getMessage().contains("does not exist"), gone.getMessage());
        assertEquals(-1, OnePacket.read(device, ByteBuffer.allocateDirect(2048)));
        assertThrows(IOException.class, () -> OnePacket.write(device, ByteBuffer.allocateDirect(20)));
    }

    @Test
    void closeWhileWritersAndAReaderAreBusyEndsThemCleanly() throws Exception {
        open(CONFIG);
        // To a closed port: the kernel answers some with ICMP port unreachable, which the reader reads.
        ByteBuffer template = Packets.ipv4Udp(PEER4, 4000, LOCAL4, 9, new byte[1000]);
        Future<Integer> reader = namespace.submit(() -> {
            ByteBuffer buffer = ByteBuffer.allocateDirect(2048);
            int n;
            do {
                n = OnePacket.read(device, buffer);
            } while (n >= 0);
            return n;
        });
        List<Thread> writers = new ArrayList<>();
        Queue<String> endings = new ConcurrentLinkedQueue<>();
        for (int w = 0; w < 3; w++) {
            writers.add(Thread.ofPlatform().start(() -> {
                ByteBuffer packet = template.duplicate();
                try {
                    while (true) {
                        OnePacket.write(device, packet.rewind());
                    }
                } catch (IOException e) {
                    endings.add(e.getMessage());
                } catch (RuntimeException e) {
                    endings.add("unexpected " + e);
                }
            }));
        }
        Thread.sleep(200);
        device.close();
        assertEquals(-1, reader.get(2, TimeUnit.SECONDS));
        for (Thread writer : writers) {
            writer.join(2_000);
            assertTrue(!writer.isAlive(), "a writer is still running after close");
        }
        assertEquals(3, endings.size());
        for (String ending : endings) {
            assertEquals("interface tmt0 is closed", ending);
        }
    }

    @Test
    void offloadPropertySwitchesOffloadOffAndAValueNeitherTrueNorFalseIsShown() throws Exception {
        device = namespace.call(() -> new LinuxTunDriver(Map.of(LinuxTunDriver.OFFLOAD, "False")).open(CONFIG));
        assertEquals("TUN tmt0 (MTU 1420, offload off (offload=false in io.tunnelmesh.tun))", device.toString());
        device.close();
        device = namespace.call(() -> new LinuxTunDriver(Map.of(LinuxTunDriver.OFFLOAD, false)).open(CONFIG));
        assertTrue(device.toString().startsWith("TUN tmt0 (MTU 1420, offload off"), device.toString());
        device.close();
        device = namespace.call(() -> new LinuxTunDriver(Map.of(LinuxTunDriver.OFFLOAD, "off")).open(CONFIG));
        assertTrue(device.toString().startsWith("TUN tmt0 (MTU 1420, TCP segmentation and checksum offload on;"
                + " offload='off' in io.tunnelmesh.tun is neither true nor false, so offload stays on; 0 super-packets read"),
                device.toString());
    }

    @Test
    void nameInUseIsOneClearLine() throws Exception {
        open(CONFIG);
        Exception e = assertThrows(Exception.class, () -> namespace.call(() -> new LinuxTunDriver(Map.of()).open(CONFIG)));
        String message = e.getCause().getMessage();
        assertEquals(IOException.class, e.getCause().getClass());
        assertTrue(message.startsWith("interface tmt0 is already in use"), message);
        assertTrue(namespace.ip("link", "show", "dev", TUN).contains("UP"), "the first interface survives");
    }

    @Test
    void nameOfAnotherKindOfDeviceIsOneClearLine() throws Exception {
        Exception e = assertThrows(Exception.class,
                () -> namespace.call(() -> new LinuxTunDriver(Map.of()).open(new TunConfig("lo", List.of(), 1420, 0))));
        assertTrue(e.getCause().getMessage().contains("not a TUN"), e.getCause().getMessage());
    }

    @Test
    void invalidNameIsOneClearLine() throws Exception {
        Exception e = assertThrows(Exception.class,
                () -> namespace.call(() -> new LinuxTunDriver(Map.of()).open(new TunConfig("tm/0", List.of(), 1420, 0))));
        assertEquals("interface name 'tm/0' contains '/', which Linux does not allow: use letters, digits, '-' or '_'",
                e.getCause().getMessage());
    }

    @Test
    void defaultQueueLengthIsLarge() throws Exception {
        open(new TunConfig(TUN, List.of(IpPrefix.parse("10.213.0.1/24")), 1280, 0));
        String link = namespace.ip("link", "show", "dev", TUN);
        assertTrue(link.contains("mtu 1280") && link.contains("qlen 10000"), link);
    }

    private ByteBuffer readUntil(Predicate<ByteBuffer> wanted) throws Exception {
        Future<ByteBuffer> reader = namespace.submit(() -> {
            ByteBuffer buffer = ByteBuffer.allocateDirect(2048);
            while (true) {
                if (OnePacket.read(device, buffer) < 0) {
                    throw new IOException("device closed");
                }
                if (wanted.test(buffer)) {
                    return buffer;
                }
            }
        });
        return reader.get(5, TimeUnit.SECONDS);
    }

    private static InetAddress address(String text) {
        try {
            return InetAddress.getByName(text);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
