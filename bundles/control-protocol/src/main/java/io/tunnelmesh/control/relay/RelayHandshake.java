package io.tunnelmesh.control.relay;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.tunnelmesh.api.NodeKey;
import io.tunnelmesh.api.StaticKeyPair;
import io.tunnelmesh.control.ControlHandshake;
import io.tunnelmesh.control.ControlProtocolException;
import io.tunnelmesh.control.RelayFrames;
import java.nio.charset.StandardCharsets;

/**
 * The relay link's handshake as frames, for the node and the server: Noise IK with {@link RelayFrames#PROLOGUE}, each
 * message the payload of a {@link RelayFrames#HANDSHAKE} frame; message 2 carries nothing when the node is admitted,
 * else why not. The node's first bytes are the preamble {@code TMR1}.
 */
public final class RelayHandshake {
    private static final byte[] NONE = new byte[0];

    private RelayHandshake() {
    }

    /** Node side: message 1, proving {@code node} to the server, which must prove it holds {@code server}. */
    public static ControlHandshake.Initiation initiate(StaticKeyPair node, NodeKey server) throws ControlProtocolException {
        return ControlHandshake.initiate(RelayFrames.PROLOGUE, node, server, NONE);
    }

    /** Node side: what it sends first, the preamble and the frame of message 1. */
    public static ByteBuf opening(ByteBufAllocator alloc, ControlHandshake.Initiation initiation) {
        return frame(alloc, RelayFrames.PREAMBLE, initiation.message());
    }

    /**
     * Node side: reads message 2 from its frame.
     *
     * @return the first line of the server's refusal, or null when the node is admitted
     * @throws ControlProtocolException the server did not prove its key
     */
    public static String finish(ControlHandshake.Initiation initiation, ByteBuf frame, int at, int size)
            throws ControlProtocolException {
        byte[] refusal = initiation.finish(RelayFrameHeader.copyPayload(frame, at, size)).payload();
        return refusal.length == 0 ? null : new String(refusal, StandardCharsets.UTF_8).lines().findFirst().orElse("");
    }

    /** Server side: reads message 1 from its frame, which authenticates the node's key. */
    public static ControlHandshake.Acceptance accept(StaticKeyPair server, ByteBuf frame, int at, int size)
            throws ControlProtocolException {
        return ControlHandshake.accept(RelayFrames.PROLOGUE, server, RelayFrameHeader.copyPayload(frame, at, size));
    }

    /** Server side: the frame of message 2 carrying {@code refusal} (empty: admitted). */
    public static ByteBuf reply(ByteBufAllocator alloc, ControlHandshake.Acceptance acceptance, String refusal)
            throws ControlProtocolException {
        return frame(alloc, NONE, acceptance.reply(refusal.getBytes(StandardCharsets.UTF_8)).message());
    }

    private static ByteBuf frame(ByteBufAllocator alloc, byte[] before, byte[] message) {
        ByteBuf out = alloc.ioBuffer(before.length + RelayFrames.HEADER + message.length);
        RelayFrameHeader.writeUnaddressed(out.writeBytes(before), RelayFrames.HANDSHAKE, message.length);
        return out.writeBytes(message);
    }
}
