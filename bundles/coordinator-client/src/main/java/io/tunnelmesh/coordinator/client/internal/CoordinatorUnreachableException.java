package io.tunnelmesh.coordinator.client.internal;

import java.io.IOException;

/** No address of the coordinator accepted a TCP connection; the message names every address tried. */
final class CoordinatorUnreachableException extends IOException {
    private static final long serialVersionUID = 1L;

    CoordinatorUnreachableException(String message) {
        super(message);
    }
}
