package io.tunnelmesh.handshake.internal.noise;

/** A parsed Noise protocol name such as {@code Noise_IKpsk2_25519_ChaChaPoly_BLAKE2s}. */
public record NoiseProtocol(String name, HandshakePattern pattern, NoiseDh dh, NoiseCipher cipher, NoiseHash hash) {

    /** @throws IllegalArgumentException naming the unsupported part */
    public static NoiseProtocol parse(String name) {
        String[] parts = name.split("_");
        if (parts.length != 5 || !parts[0].equals("Noise")) {
            throw new IllegalArgumentException("not a Noise protocol name: " + name);
        }
        return new NoiseProtocol(name, HandshakePattern.parse(parts[1]), NoiseDh.named(parts[2]),
                NoiseCipher.named(parts[3]), NoiseHash.named(parts[4]));
    }
}
