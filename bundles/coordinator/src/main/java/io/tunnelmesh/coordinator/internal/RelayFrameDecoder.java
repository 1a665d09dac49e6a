package io.tunnelmesh.coordinator.internal;

import io.netty.handler.codec.LengthFieldBasedFrameDecoder;
import io.tunnelmesh.control.RelayFrames;

/**
 * Splits a relay link's stream into whole frames, header included, as slices of the read buffer (no copy). A length
 * above {@link RelayFrames#MAX_PAYLOAD} fails at once ({@link io.netty.handler.codec.TooLongFrameException}), and
 * {@link RelayLink} closes the link.
 */
final class RelayFrameDecoder extends LengthFieldBasedFrameDecoder {
    RelayFrameDecoder() {
        super(RelayFrames.HEADER + RelayFrames.MAX_PAYLOAD, 0, RelayFrames.LENGTH_FIELD,
                RelayFrames.HEADER - RelayFrames.LENGTH_FIELD, 0, true);
    }
}
