package io.tunnelmesh.control;

import io.tunnelmesh.api.HostPort;
import io.tunnelmesh.api.NodeKey;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;

/**
 * tm1_ tokens, binary layout in docs/COORDINATOR.md: version, coordinator key, flags, [token id, secret],
 * the coordinator's addresses. tokenId is 16 lowercase hex chars (8 bytes) or null; secret 32 bytes or null
 * (both or neither). A token without a secret is for admission by SSH key: it only says where the coordinator is
 * and which key it must prove.
 */
public record JoinToken(NodeKey coordinatorKey, String tokenId, byte[] secret, List<String> addresses) {
    public static final String PREFIX = "tm1_";
    static final int VERSION = 1;
    static final int FLAG_SECRET = 1;
    static final int ID_BYTES = 8;
    static final int SECRET_BYTES = 32;
    static final int MAX_ADDRESSES = 8;
    private static final String ADVICE = "; copy the whole tm1_… line from tm:token-create";
    private static final HexFormat HEX = HexFormat.of();

    /** @throws IllegalArgumentException naming the field that does not fit the token format */
    public JoinToken {
        Objects.requireNonNull(coordinatorKey, "coordinatorKey");
        if ((tokenId == null) != (secret == null)) {
            throw new IllegalArgumentException("join token: a token id and a secret come together, or neither");
        }
        if (tokenId != null && !isTokenId(tokenId)) {
            throw new IllegalArgumentException("join token: the token id must be 16 lowercase hex characters, not \"" + ControlCodec.oneLine(tokenId) + "\"");
        }
        if (secret != null) {
            if (secret.length != SECRET_BYTES) {
                throw new IllegalArgumentException("join token: the secret must be " + SECRET_BYTES + " bytes, not " + secret.length);
            }
            secret = secret.clone();
        }
        addresses = List.copyOf(addresses);
        if (addresses.isEmpty() || addresses.size() > MAX_ADDRESSES) {
            throw new IllegalArgumentException("join token: it carries 1.." + MAX_ADDRESSES + " coordinator addresses, not " + addresses.size());
        }
        for (String a : addresses) {
            String problem = addressProblem(a);
            if (problem != null) {
                throw new IllegalArgumentException("join token: " + problem);
            }
        }
    }

    /** A copy of the secret (null for a token without one). */
    @Override
    public byte[] secret() {
        return secret == null ? null : secret.clone();
    }

    /** Compares the secret by content (a record would compare the array reference). */
    @Override
    public boolean equals(Object o) {
        return o instanceof JoinToken t && coordinatorKey.equals(t.coordinatorKey) && Objects.equals(tokenId, t.tokenId)
                && Arrays.equals(secret, t.secret) && addresses.equals(t.addresses);
    }

    @Override
    public int hashCode() {
        return Objects.hash(coordinatorKey, tokenId, Arrays.hashCode(secret), addresses);
    }

    /** Never prints the secret: tokens end up in logs. */
    @Override
    public String toString() {
        return "JoinToken[coordinator " + coordinatorKey.shortForm() + ", id " + tokenId + (hasSecret() ? " with secret" : "")
                + ", " + addresses + "]";
    }

    public boolean hasSecret() {
        return secret != null;
    }

    public String encode() {
        ByteArrayOutputStream out = new ByteArrayOutputStream(128);
        out.write(VERSION);
        out.writeBytes(coordinatorKey.toBytes());
        out.write(hasSecret() ? FLAG_SECRET : 0);
        if (hasSecret()) {
            out.writeBytes(HEX.parseHex(tokenId));
            out.writeBytes(secret);
        }
        out.write(addresses.size());
        for (String a : addresses) {
            byte[] ascii = a.getBytes(StandardCharsets.US_ASCII);
            out.write(ascii.length);
            out.writeBytes(ascii);
        }
        return PREFIX + Base64.getUrlEncoder().withoutPadding().encodeToString(out.toByteArray());
    }

    /** @throws IllegalArgumentException with one line: "join token: <what is wrong>; copy the whole tm1_… line from tm:token-create" */
    public static JoinToken parse(String text) {
        if (text == null || text.isBlank()) {
            throw bad("it is empty");
        }
        String t = text.strip();
        if (!t.startsWith(PREFIX)) {
            throw bad("it does not start with " + PREFIX);
        }
        byte[] b;
        try {
            b = Base64.getUrlDecoder().decode(t.substring(PREFIX.length()));
        } catch (IllegalArgumentException e) {
            throw bad("the part after " + PREFIX + " is not base64url (cut off or mistyped?)");
        }
        Reader r = new Reader(b);
        int version = r.u8("its version");
        if (version != VERSION) {
            throw bad("it is version " + version + ", this node reads version " + VERSION);
        }
        NodeKey key = NodeKey.of(r.bytes(32, "the coordinator key"));
        int flags = r.u8("its flags");
        if ((flags & ~FLAG_SECRET) != 0) {
            throw bad("it has unknown flags 0x" + Integer.toHexString(flags));
        }
        String id = null;
        byte[] secret = null;
        if ((flags & FLAG_SECRET) != 0) {
            id = HEX.formatHex(r.bytes(ID_BYTES, "the token id"));
            secret = r.bytes(SECRET_BYTES, "the secret");
        }
        int n = r.u8("the number of addresses");
        if (n < 1 || n > MAX_ADDRESSES) {
            throw bad("it lists " + n + " coordinator addresses, not 1.." + MAX_ADDRESSES);
        }
        List<String> addresses = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            int len = r.u8("an address length");
            String a = new String(r.bytes(len, "an address"), StandardCharsets.ISO_8859_1);
            String problem = addressProblem(a);
            if (problem != null) {
                throw bad(problem);
            }
            addresses.add(a);
        }
        if (r.remaining() != 0) {
            throw bad(r.remaining() + " stray bytes follow the addresses");
        }
        try {
            return new JoinToken(key, id, secret, addresses);
        } finally {
            if (secret != null) {
                Arrays.fill(secret, (byte) 0);
            }
        }
    }

    private static boolean isTokenId(String id) {
        if (id.length() != 2 * ID_BYTES) {
            return false;
        }
        for (int i = 0; i < id.length(); i++) {
            char c = id.charAt(i);
            if (!(c >= '0' && c <= '9' || c >= 'a' && c <= 'f')) {
                return false;
            }
        }
        return true;
    }

    /** @return what is wrong with a coordinator address (printable ASCII HOST:PORT, at most 255 bytes), or null */
    static String addressProblem(String a) {
        for (int i = 0; a != null && i < a.length(); i++) {
            if (a.charAt(i) <= 0x20 || a.charAt(i) >= 0x7f) { // HostPort forgives blanks an operator typed; a token may not
                return "a coordinator address holds a character that is not printable ASCII";
            }
        }
        try {
            HostPort.parse(a, "coordinator address", 7443);
            return null;
        } catch (IllegalArgumentException e) {
            return e.getMessage();
        }
    }

    private static IllegalArgumentException bad(String what) {
        return new IllegalArgumentException("join token: " + what + ADVICE);
    }

    /** Bounds-checked reads that name the field a truncated token ends in. */
    private static final class Reader {
        private final byte[] b;
        private int pos;

        Reader(byte[] b) {
            this.b = b;
        }

        int u8(String field) {
            return bytes(1, field)[0] & 0xff;
        }

        byte[] bytes(int n, String field) {
            if (b.length - pos < n) {
                throw bad("it ends inside " + field + " (cut off when copied?)");
            }
            byte[] out = Arrays.copyOfRange(b, pos, pos + n);
            pos += n;
            return out;
        }

        int remaining() {
            return b.length - pos;
        }
    }
}
