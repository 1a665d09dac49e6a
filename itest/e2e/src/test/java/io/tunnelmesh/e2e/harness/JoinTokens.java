package io.tunnelmesh.e2e.harness;

import java.io.ByteArrayOutputStream;
import java.util.Base64;
import java.util.List;

/**
 * Join tokens as an operator handles them: the one {@code tm:token-create} prints alone on its last line, and the
 * secret-less form an SSH-key-admitted node joins with (docs/COORDINATOR.md, "Join tokens": version, coordinator
 * key, flags, [id, secret], addresses). Written from the documented layout, so a test also notices if the product
 * drifts from it.
 */
public final class JoinTokens {
    private static final String PREFIX = "tm1_";
    private static final int VERSION = 1;
    private static final int KEY_BYTES = 32;
    private static final int SECRET_FLAG = 1;
    private static final int ID_AND_SECRET_BYTES = 8 + 32;

    private JoinTokens() {
    }

    /** The token on the last non-blank line of {@code tm:token-create}'s output; fails unless it stands there alone. */
    public static String fromLastLine(String output) {
        List<String> lines = output.lines().map(String::strip).filter(l -> !l.isEmpty()).toList();
        String last = lines.isEmpty() ? "" : lines.getLast();
        if (!last.matches(PREFIX + "[A-Za-z0-9_-]+")) {
            throw new AssertionError("token-create's last line is not a token alone (tm1_ + base64url): '" + last
                    + "'\n--- output ---\n" + output);
        }
        return last;
    }

    /** The same coordinator key and addresses with flag bit 0 cleared and no id or secret. */
    public static String withoutSecret(String token) {
        byte[] raw = Base64.getUrlDecoder().decode(token.substring(PREFIX.length()));
        int flags = 1 + KEY_BYTES;
        if (raw[0] != VERSION || raw.length <= flags) {
            throw new IllegalArgumentException("not a version-1 token: " + token);
        }
        boolean hasSecret = (raw[flags] & SECRET_FLAG) != 0;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(raw, 0, flags);
        out.write(raw[flags] & ~SECRET_FLAG);
        int addresses = flags + 1 + (hasSecret ? ID_AND_SECRET_BYTES : 0);
        out.write(raw, addresses, raw.length - addresses);
        return PREFIX + Base64.getUrlEncoder().withoutPadding().encodeToString(out.toByteArray());
    }
}
