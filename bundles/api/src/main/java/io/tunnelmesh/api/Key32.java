package io.tunnelmesh.api;

import java.util.Arrays;
import java.util.Base64;

/** Parsing and checks shared by the 32-byte key types; keeps their error messages identical. */
final class Key32 {
    static final int LENGTH = 32;

    private Key32() {
    }

    static byte[] fromBase64(String text, String what) {
        if (text == null || text.isBlank()) {
            throw new IllegalArgumentException(what + " is empty: expected 44 characters of base64, as `wg genkey | wg pubkey` prints");
        }
        byte[] bytes;
        try {
            bytes = Base64.getDecoder().decode(text.strip());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(what + " '" + abbreviate(text) + "' is not base64: expected 44 characters as `wg` prints them");
        }
        return check(bytes, what);
    }

    static byte[] check(byte[] bytes, String what) {
        if (bytes == null || bytes.length != LENGTH) {
            throw new IllegalArgumentException(what + " must be 32 bytes, got " + (bytes == null ? 0 : bytes.length));
        }
        return bytes.clone();
    }

    static String abbreviate(String text) {
        String t = text.strip();
        return t.length() <= 12 ? t : t.substring(0, 12) + "…";
    }

    static boolean isZero(byte[] bytes) {
        int acc = 0;
        for (byte b : bytes) {
            acc |= b;
        }
        return acc == 0;
    }

    static int hash(byte[] bytes) {
        return Arrays.hashCode(bytes);
    }
}
