package io.tunnelmesh.handshake.internal.wireguard;

import java.util.Arrays;

/** The two transport keys one side derives from a completed handshake. */
public record SessionKeys(byte[] sendKey, byte[] receiveKey) {
    public void wipe() {
        Arrays.fill(sendKey, (byte) 0);
        Arrays.fill(receiveKey, (byte) 0);
    }
}
