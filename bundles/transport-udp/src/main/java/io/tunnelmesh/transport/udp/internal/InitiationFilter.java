package io.tunnelmesh.transport.udp.internal;

import io.netty.channel.Channel;
import io.netty.channel.unix.IntegerUnixChannelOption;
import io.netty.channel.unix.RawUnixChannelOption;
import io.netty.util.internal.PlatformDependent;
import java.net.Inet4Address;
import java.lang.ref.Reference;
import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.List;

/**
 * A classic BPF socket filter that drops handshake initiations from a list of hosts in the kernel, before they are
 * queued on the socket (see {@code TransportBinding#shedInitiationsFrom}). The program sees the UDP header at
 * offset 0, so the WireGuard message type is the byte at 8; the sender's address is read from the IP header
 * (SKF_NET_OFF), IPv4 or IPv6 by its version nibble. Each comparison is followed by its own {@code ret 0}, so the
 * program needs no jump longer than cBPF's 8-bit offsets allow, whatever the number of hosts.
 */
final class InitiationFilter {
    /** Hosts per address family in one program: 64 IPv4 and 64 IPv6 hosts make 717 of the kernel's 4,096 instructions. */
    static final int MAX_HOSTS = 64;

    private static final int SOL_SOCKET = 1;
    private static final int SO_ATTACH_FILTER = 26;
    private static final int SO_DETACH_FILTER = 27;
    /** struct sock_fprog on a 64-bit kernel: a u16 length, padding, a pointer to the instructions. */
    private static final RawUnixChannelOption ATTACH = new RawUnixChannelOption("SO_ATTACH_FILTER", SOL_SOCKET, SO_ATTACH_FILTER, 16);
    private static final IntegerUnixChannelOption DETACH = new IntegerUnixChannelOption("SO_DETACH_FILTER", SOL_SOCKET, SO_DETACH_FILTER);

    private static final int LD_W_ABS = 0x20;
    private static final int LD_B_ABS = 0x30;
    private static final int RSH_K = 0x74;
    private static final int JEQ_K = 0x15;
    private static final int JA = 0x05;
    private static final int RET_K = 0x06;
    /** Negative offsets from here address the network (IP) header. */
    private static final int NET = -0x100000;
    private static final int HANDSHAKE_INITIATION = 1;
    private static final int ACCEPT = -1;
    private static final int DROP = 0;

    private final Channel channel;
    private boolean attached;

    InitiationFilter(Channel channel) {
        this.channel = channel;
    }

    /**
     * Replaces the filter with one that drops initiations from {@code hosts} (the first {@link #MAX_HOSTS} of each
     * family); an empty list removes it.
     *
     * @return false when the socket refused it (closed, or the kernel has no socket filters)
     */
    synchronized boolean dropInitiationsFrom(List<InetAddress> hosts) {
        try {
            if (hosts.isEmpty()) {
                if (attached) {
                    channel.config().setOption(DETACH, 0);
                    attached = false;
                }
                return true;
            }
            ByteBuffer program = program(hosts);
            ByteBuffer fprog = ByteBuffer.allocateDirect(16).order(ByteOrder.nativeOrder());
            fprog.putShort(0, (short) (program.capacity() / 8));
            fprog.putLong(8, PlatformDependent.directBufferAddress(program));
            boolean set = channel.config().setOption(ATTACH, fprog);
            attached |= set;
            Reference.reachabilityFence(program); // the kernel copies it during the call
            return set;
        } catch (RuntimeException refused) {
            return false;
        }
    }

    /** The instructions, 8 bytes each (struct sock_filter: u16 code, u8 jt, u8 jf, u32 k). */
    static ByteBuffer program(List<InetAddress> hosts) {
        List<InetAddress> v4 = hosts.stream().filter(h -> h instanceof Inet4Address).limit(MAX_HOSTS).toList();
        List<InetAddress> v6 = hosts.stream().filter(h -> !(h instanceof Inet4Address)).limit(MAX_HOSTS).toList();
        int v4Length = 2 + 2 * v4.size();
        int length = 7 + v4Length + 9 * v6.size() + 1;
        ByteBuffer p = ByteBuffer.allocateDirect(8 * length).order(ByteOrder.nativeOrder());
        put(p, LD_B_ABS, 0, 0, 8); // the WireGuard message type
        put(p, JEQ_K, 1, 0, HANDSHAKE_INITIATION);
        put(p, RET_K, 0, 0, ACCEPT);
        put(p, LD_B_ABS, 0, 0, NET); // IP version
        put(p, RSH_K, 0, 0, 4);
        put(p, JEQ_K, 1, 0, 4);
        put(p, JA, 0, 0, v4Length); // to the IPv6 hosts
        put(p, LD_W_ABS, 0, 0, NET + 12); // IPv4 source address
        for (InetAddress h : v4) {
            put(p, JEQ_K, 0, 1, word(h.getAddress(), 0));
            put(p, RET_K, 0, 0, DROP);
        }
        put(p, RET_K, 0, 0, ACCEPT);
        for (InetAddress h : v6) { // IPv6 source address, four words at 8
            byte[] a = h.getAddress();
            for (int w = 0; w < 4; w++) {
                put(p, LD_W_ABS, 0, 0, NET + 8 + 4 * w);
                put(p, JEQ_K, 0, 7 - 2 * w, word(a, 4 * w));
            }
            put(p, RET_K, 0, 0, DROP);
        }
        put(p, RET_K, 0, 0, ACCEPT);
        return p.flip();
    }

    private static void put(ByteBuffer p, int code, int jt, int jf, int k) {
        p.putShort((short) code).put((byte) jt).put((byte) jf).putInt(k);
    }

    /** Four address bytes as the big-endian word a BPF load gives. */
    private static int word(byte[] a, int at) {
        return (a[at] & 0xff) << 24 | (a[at + 1] & 0xff) << 16 | (a[at + 2] & 0xff) << 8 | (a[at + 3] & 0xff);
    }
}
