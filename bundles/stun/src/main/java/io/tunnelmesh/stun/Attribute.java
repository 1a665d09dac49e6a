package io.tunnelmesh.stun;

/** The attribute types this codec reads or writes, and the ones a Binding server understands (RFC 8489 §18.3). */
final class Attribute {
    static final int MAPPED_ADDRESS = 0x0001;
    static final int USERNAME = 0x0006;
    static final int MESSAGE_INTEGRITY = 0x0008;
    static final int ERROR_CODE = 0x0009;
    static final int UNKNOWN_ATTRIBUTES = 0x000A;
    static final int REALM = 0x0014;
    static final int NONCE = 0x0015;
    static final int MESSAGE_INTEGRITY_SHA256 = 0x001C;
    static final int PASSWORD_ALGORITHM = 0x001D;
    static final int USERHASH = 0x001E;
    static final int XOR_MAPPED_ADDRESS = 0x0020;
    static final int PRIORITY = 0x0024; // ICE (RFC 8445): a connectivity check is a Binding request too
    static final int USE_CANDIDATE = 0x0025;
    static final int SOFTWARE = 0x8022;
    static final int FINGERPRINT = 0x8028;

    private Attribute() {
    }

    /** 0x0000-0x7FFF must be understood or the request refused with 420 (RFC 8489 §15). */
    static boolean comprehensionRequired(int type) {
        return type < 0x8000;
    }

    /**
     * Comprehension-required types a server without authentication still understands: it ignores them and
     * answers. RFC 5780's CHANGE-REQUEST, RESPONSE-PORT and PADDING are not here: this server cannot honour
     * them, and 420 tells a NAT-behaviour client so.
     */
    static boolean understoodInRequest(int type) {
        return switch (type) {
            case MAPPED_ADDRESS, USERNAME, MESSAGE_INTEGRITY, ERROR_CODE, UNKNOWN_ATTRIBUTES, REALM, NONCE,
                    MESSAGE_INTEGRITY_SHA256, PASSWORD_ALGORITHM, USERHASH, XOR_MAPPED_ADDRESS, PRIORITY,
                    USE_CANDIDATE -> true;
            default -> false;
        };
    }
}
