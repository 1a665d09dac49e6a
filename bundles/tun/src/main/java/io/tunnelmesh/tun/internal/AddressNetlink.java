package io.tunnelmesh.tun.internal;

import com.sun.jna.Memory;
import com.sun.jna.Native;
import io.tunnelmesh.api.IpPrefix;
import java.io.IOException;

/**
 * Adds and deletes interface addresses with rtnetlink {@code RTM_NEWADDR} and {@code RTM_DELADDR} requests, the
 * messages {@code ip addr add} and {@code ip addr del} send.
 * One code path serves IPv4 and IPv6 (the ioctl {@code SIOCSIFADDR} knows only one IPv4 address per interface and
 * no IPv6 at all). Each request asks for an acknowledgement so a refusal surfaces as a clear error. Setup and
 * address changes only; the socket belongs to the network namespace of the thread that opened it.
 */
final class AddressNetlink implements AutoCloseable {
    private static final short RTM_NEWADDR = 20;
    private static final short RTM_DELADDR = 21;
    private static final short NLMSG_ERROR = 2;
    private static final short NLM_F_REQUEST = 0x1;
    private static final short NLM_F_ACK = 0x4;
    private static final short NLM_F_EXCL = 0x200;
    private static final short NLM_F_CREATE = 0x400;
    private static final short IFA_ADDRESS = 1;
    private static final short IFA_LOCAL = 2;
    /** No duplicate-address detection: the address is usable at once (a TUN has no link-layer neighbours). */
    private static final byte IFA_F_NODAD = 0x02;
    private static final byte IFA_F_PERMANENT = (byte) 0x80;
    private static final int HEADER = 16;
    private static final int IFADDRMSG = 8;
    private static final int ATTRIBUTE_HEADER = 4;

    private final int socket;
    private final Memory message = new Memory(128);
    private final Memory reply = new Memory(4096);
    private int sequence;

    AddressNetlink() throws IOException {
        socket = LibC.socket(LibC.AF_NETLINK, LibC.SOCK_RAW | LibC.SOCK_CLOEXEC, 0);
        if (socket < 0) {
            throw new IOException("cannot open a netlink socket to set interface addresses: "
                    + Errno.describe(Native.getLastError()));
        }
    }

    void addAddress(String interfaceName, int interfaceIndex, IpPrefix prefix) throws IOException {
        String what = "interface " + interfaceName + ": cannot add address " + text(prefix);
        int errno = request(RTM_NEWADDR, (short) (NLM_F_REQUEST | NLM_F_ACK | NLM_F_EXCL | NLM_F_CREATE),
                interfaceIndex, prefix, what);
        if (errno == Errno.EEXIST) {
            return; // already there (an existing persistent interface): the wanted state holds
        }
        if (errno != 0) {
            String advice = Errno.isPermission(errno) ? ": run as root or grant CAP_NET_ADMIN"
                    : prefix.isIpv6() ? ": is IPv6 disabled (sysctl net.ipv6.conf.all.disable_ipv6)?" : "";
            throw new IOException(what + ": " + Errno.describe(errno) + advice);
        }
    }

    void deleteAddress(String interfaceName, int interfaceIndex, IpPrefix prefix) throws IOException {
        String what = "interface " + interfaceName + ": cannot remove address " + text(prefix);
        int errno = request(RTM_DELADDR, (short) (NLM_F_REQUEST | NLM_F_ACK), interfaceIndex, prefix, what);
        if (errno == Errno.EADDRNOTAVAIL) {
            return; // gone already (someone ran `ip addr del`): the wanted state holds
        }
        if (errno != 0) {
            String advice = Errno.isPermission(errno) ? ": run as root or grant CAP_NET_ADMIN" : "";
            throw new IOException(what + ": " + Errno.describe(errno) + advice);
        }
    }

    private static String text(IpPrefix prefix) {
        return prefix.address().getHostAddress() + "/" + prefix.length();
    }

    /** Sends one address request and waits for its answer: 0 or the kernel's errno. */
    private int request(short type, short flags, int interfaceIndex, IpPrefix prefix, String what) throws IOException {
        byte[] address = prefix.address().getAddress();
        int attribute = ATTRIBUTE_HEADER + address.length;
        int length = HEADER + IFADDRMSG + 2 * attribute;
        message.clear();
        message.setInt(0, length);
        message.setShort(4, type);
        message.setShort(6, flags);
        message.setInt(8, ++sequence);
        message.setByte(HEADER, (byte) (address.length == 4 ? LibC.AF_INET : LibC.AF_INET6));
        message.setByte(HEADER + 1, (byte) prefix.length());
        message.setByte(HEADER + 2, (byte) (IFA_F_PERMANENT | (address.length == 16 ? IFA_F_NODAD : 0)));
        message.setByte(HEADER + 3, (byte) 0); // RT_SCOPE_UNIVERSE
        message.setInt(HEADER + 4, interfaceIndex);
        int offset = HEADER + IFADDRMSG;
        offset = putAttribute(offset, IFA_LOCAL, address);
        putAttribute(offset, IFA_ADDRESS, address);
        if (LibC.send(socket, message, length, 0) != length) {
            throw new IOException(what + ": " + Errno.describe(Native.getLastError()));
        }
        return awaitAcknowledgement();
    }

    private int putAttribute(int offset, short type, byte[] value) {
        message.setShort(offset, (short) (ATTRIBUTE_HEADER + value.length));
        message.setShort(offset + 2, type);
        message.write(offset + ATTRIBUTE_HEADER, value, 0, value.length);
        return offset + align(ATTRIBUTE_HEADER + value.length);
    }

    /** Reads replies until the NLMSG_ERROR answering our sequence number; its code is 0 (ack) or -errno. */
    private int awaitAcknowledgement() throws IOException {
        while (true) {
            long received = LibC.recv(socket, reply, reply.size(), 0);
            if (received < 0) {
                int errno = Native.getLastError();
                if (errno == Errno.EINTR) {
                    continue;
                }
                throw new IOException("netlink: no answer to an address request: " + Errno.describe(errno));
            }
            for (int offset = 0; offset + HEADER <= received; ) {
                int length = reply.getInt(offset);
                if (length < HEADER) {
                    break;
                }
                if (reply.getShort(offset + 4) == NLMSG_ERROR && reply.getInt(offset + 8) == sequence) {
                    return -reply.getInt(offset + HEADER);
                }
                offset += align(length);
            }
        }
    }

    private static int align(int length) {
        return (length + 3) & ~3;
    }

    @Override
    public void close() {
        LibC.close(socket);
    }
}
