package io.tunnelmesh.transport.udp.internal;

import java.net.InetSocketAddress;
import java.nio.ByteBuffer;

/**
 * Run by {@link SegmentOffloadFallbackTest} inside a namespace whose loopback MTU is smaller than the datagrams:
 * sends them in runs the kernel refuses to segment, and prints how many arrived and in which order.
 */
public final class SmallMtuPathMain {
    private SmallMtuPathMain() {
    }

    public static void main(String[] args) throws Exception {
        int count = Integer.parseInt(args[0]);
        int size = Integer.parseInt(args[1]);
        CollectingReceiver receiver = new CollectingReceiver();
        StringBuilder warnings = new StringBuilder();
        try (UdpBinding target = UdpBinding.open(0, receiver, UdpSettings.DEFAULTS, warnings::append);
             UdpBinding sender = UdpBinding.open(0, new CollectingReceiver(), UdpSettings.DEFAULTS, warnings::append)) {
            UdpEndpoint destination = new UdpEndpoint(new InetSocketAddress("127.0.0.1", target.listenPort()));
            ByteBuffer datagram = ByteBuffer.allocateDirect(size);
            for (int i = 0; i < count; i++) {
                datagram.clear();
                datagram.putInt(0, i);
                sender.send(datagram, destination);
            }
            sender.flush();
            int inOrder = 0;
            for (int i = 0; i < count; i++) {
                CollectingReceiver.Received received = receiver.next();
                if (ByteBuffer.wrap(received.data()).getInt(0) == i && received.data().length == size) {
                    inOrder++;
                }
            }
            System.out.println("received-in-order=" + inOrder + " dropped=" + sender.dropped() + " warned="
                    + warnings.toString().contains("UDP_SEGMENT"));
        }
    }
}
