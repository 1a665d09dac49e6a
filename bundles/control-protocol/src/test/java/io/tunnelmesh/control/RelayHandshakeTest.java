package io.tunnelmesh.control;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.UnpooledByteBufAllocator;
import io.tunnelmesh.api.StaticKeyPair;
import io.tunnelmesh.control.relay.RelayFrameHeader;
import io.tunnelmesh.control.relay.RelayHandshake;
import org.junit.jupiter.api.Test;

/** The relay handshake as the node and the server exchange it: whole frames, through the shared code of both sides. */
class RelayHandshakeTest {
    private final UnpooledByteBufAllocator alloc = UnpooledByteBufAllocator.DEFAULT;
    private final StaticKeyPair node = Keys.generate();
    private final StaticKeyPair server = Keys.generate();

    @Test
    void anAdmittedNodeIsKnownByItsKeyAndReadsNoRefusal() throws Exception {
        ControlHandshake.Initiation initiation = RelayHandshake.initiate(node, server.publicKey());
        ByteBuf opening = RelayHandshake.opening(alloc, initiation);
        assertArrayEquals(RelayFrames.PREAMBLE, ByteBufUtil.getBytes(opening, 0, RelayFrames.PREAMBLE.length));
        int at = RelayFrames.PREAMBLE.length;
        assertEquals(RelayFrames.HANDSHAKE, RelayFrameHeader.type(opening, at));
        assertEquals(opening.readableBytes() - at - RelayFrames.HEADER, opening.getInt(at), "the length field");

        ControlHandshake.Acceptance acceptance = RelayHandshake.accept(server, opening, at, opening.readableBytes() - at);
        assertEquals(node.publicKey(), acceptance.initiator());
        ByteBuf reply = RelayHandshake.reply(alloc, acceptance, "");
        assertEquals(RelayFrames.HANDSHAKE, RelayFrameHeader.type(reply, 0));
        assertNull(RelayHandshake.finish(initiation, reply, 0, reply.readableBytes()));
    }

    @Test
    void aRefusedNodeReadsTheFirstLineOfWhy() throws Exception {
        ControlHandshake.Initiation initiation = RelayHandshake.initiate(node, server.publicKey());
        ByteBuf opening = RelayHandshake.opening(alloc, initiation);
        int at = RelayFrames.PREAMBLE.length;
        ControlHandshake.Acceptance acceptance = RelayHandshake.accept(server, opening, at, opening.readableBytes() - at);
        ByteBuf reply = RelayHandshake.reply(alloc, acceptance, "not a member\nsecond line");
        assertEquals("not a member", RelayHandshake.finish(initiation, reply, 0, reply.readableBytes()));
    }

    @Test
    void aServerWithAnotherKeyCannotReadTheNodesMessage() throws Exception {
        ControlHandshake.Initiation initiation = RelayHandshake.initiate(node, server.publicKey());
        ByteBuf opening = RelayHandshake.opening(alloc, initiation);
        int at = RelayFrames.PREAMBLE.length;
        assertThrows(ControlProtocolException.class,
                () -> RelayHandshake.accept(Keys.generate(), opening, at, opening.readableBytes() - at));
    }

    @Test
    void aPongIsThePingWithItsTypeChanged() {
        ByteBuf ping = RelayFrameHeader.writeUnaddressed(alloc.buffer(), RelayFrames.PING, 8).writeLong(42);
        ByteBuf pong = RelayFrameHeader.pong(ping, 0, ping.readableBytes());
        assertEquals(RelayFrames.PONG, RelayFrameHeader.type(pong, 0));
        assertEquals(42, pong.getLong(RelayFrames.HEADER));
        pong.release();
    }
}
