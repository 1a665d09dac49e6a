package io.tunnelmesh.api;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Arrays;

/**
 * An IPv4 or IPv6 prefix in CIDR form ({@code 10.99.0.0/24}, {@code fd00::/64}), with host bits cleared.
 * Used for allowed IPs (cryptokey routing) and interface addresses. The address as written (host bits kept)
 * stays available through {@link #address()}, because an interface address such as {@code 10.99.0.1/24} needs
 * them; equality, hashing and matching use the network only.
 */
public final class IpPrefix {
    private final byte[] network;
    private final byte[] written;
    private final int length;

    private IpPrefix(byte[] network, byte[] written, int length) {
        this.network = network;
        this.written = written;
        this.length = length;
    }

    public static IpPrefix of(InetAddress address, int length) {
        byte[] raw = address.getAddress();
        if (length < 0 || length > raw.length * 8) {
            throw new IllegalArgumentException("prefix length " + length + " is out of range for "
                    + address.getHostAddress() + ": use 0-" + raw.length * 8);
        }
        return new IpPrefix(mask(raw, length), raw.clone(), length);
    }

    /**
     * Parses {@code ADDRESS/LENGTH}; a bare address means a single host (/32 or /128). Only numeric addresses
     * are accepted: a host name here would mean a DNS lookup in the middle of routing configuration.
     */
    public static IpPrefix parse(String text) {
        String t = text == null ? "" : text.strip();
        int slash = t.indexOf('/');
        String addr = slash < 0 ? t : t.substring(0, slash);
        if (!isNumeric(addr)) {
            throw new IllegalArgumentException("'" + t + "' is not an IP prefix: write it as ADDRESS/LENGTH, e.g. 10.99.0.0/24 or fd00::/64");
        }
        InetAddress address;
        try {
            address = InetAddress.getByName(addr);
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException("'" + t + "' is not an IP prefix: write it as ADDRESS/LENGTH, e.g. 10.99.0.0/24");
        }
        int max = address.getAddress().length * 8;
        int len;
        try {
            len = slash < 0 ? max : Integer.parseInt(t.substring(slash + 1));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("'" + t + "' has no valid prefix length: use a number 0-" + max + " after the '/'");
        }
        return of(address, len);
    }

    private static boolean isNumeric(String addr) {
        if (addr.isEmpty()) {
            return false;
        }
        if (addr.indexOf(':') >= 0) {
            return addr.chars().allMatch(c -> Character.digit(c, 16) >= 0 || c == ':' || c == '.');
        }
        return addr.chars().allMatch(c -> (c >= '0' && c <= '9') || c == '.') && addr.split("\\.", -1).length == 4;
    }

    private static byte[] mask(byte[] raw, int length) {
        byte[] out = raw.clone();
        for (int i = 0; i < out.length; i++) {
            int bits = Math.max(0, Math.min(8, length - i * 8));
            out[i] &= (byte) (0xff << (8 - bits));
        }
        return out;
    }

    /** True when {@code address} (4 or 16 raw bytes, at {@code offset} in {@code packet}) lies in this prefix. */
    public boolean contains(byte[] packet, int offset, int addressLength) {
        if (addressLength != network.length) {
            return false;
        }
        int full = length >>> 3;
        for (int i = 0; i < full; i++) {
            if (packet[offset + i] != network[i]) {
                return false;
            }
        }
        int rest = length & 7;
        if (rest == 0) {
            return true;
        }
        int m = 0xff << (8 - rest) & 0xff;
        return (packet[offset + full] & m) == (network[full] & 0xff);
    }

    public boolean contains(InetAddress address) {
        byte[] raw = address.getAddress();
        return contains(raw, 0, raw.length);
    }

    public boolean isIpv6() {
        return network.length == 16;
    }

    public int length() {
        return length;
    }

    /** A copy of the network address bytes (4 or 16). */
    public byte[] networkBytes() {
        return network.clone();
    }

    /** The address as written, host bits kept: {@code 10.99.0.1} for {@code 10.99.0.1/24}. */
    public InetAddress address() {
        try {
            return InetAddress.getByAddress(written);
        } catch (UnknownHostException e) {
            throw new IllegalStateException(e);
        }
    }

    public InetAddress network() {
        try {
            return InetAddress.getByAddress(network);
        } catch (UnknownHostException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof IpPrefix p && p.length == length && Arrays.equals(p.network, network);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(network) * 31 + length;
    }

    /** The network form, {@code 10.99.0.0/24} or {@code fd00::/64}: what allowed IPs mean. */
    @Override
    public String toString() {
        return AddressFormat.format(network()) + "/" + length;
    }

    /** The form as written, host bits kept: {@code 10.99.0.1/24}, as an interface address is shown. */
    public String toAddressString() {
        return AddressFormat.format(address()) + "/" + length;
    }
}
