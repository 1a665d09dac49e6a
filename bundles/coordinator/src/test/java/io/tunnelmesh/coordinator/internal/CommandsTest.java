package io.tunnelmesh.coordinator.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tunnelmesh.control.JoinToken;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The command output scripts rely on: the token alone on the last line, grep-able tables and status lines. */
class CommandsTest {
    @TempDir
    Path dir;
    private TestCoordinator c;
    private CoordinatorCommands commands;

    @BeforeEach
    void start() throws Exception {
        c = new TestCoordinator(dir);
        commands = new CoordinatorCommands(() -> c.coordinator);
    }

    @AfterEach
    void stop() throws Exception {
        c.close();
    }

    @Test
    void tokenCreatePrintsTheTokenAloneOnTheLastLine() throws Exception {
        String out = commands.tokenCreate(false, "24h", "laptop");
        List<String> lines = out.lines().toList();
        JoinToken token = JoinToken.parse(lines.getLast());
        assertEquals(c.publicKey(), token.coordinatorKey());
        assertEquals(List.of("127.0.0.1:" + c.address().getPort()), token.addresses());
        assertTrue(token.hasSecret());
        assertTrue(lines.getFirst().contains("one use") && lines.getFirst().contains("laptop"), lines.getFirst());

        String tokens = commands.tokens();
        assertTrue(tokens.lines().findFirst().orElseThrow().startsWith("ID"), tokens);
        assertTrue(tokens.contains(token.tokenId()) && tokens.contains("laptop"), tokens);
        String secret = java.util.Base64.getUrlEncoder().withoutPadding().encodeToString(token.secret());
        assertFalse(tokens.contains(secret), "never the secret");

        assertEquals("token " + token.tokenId() + " revoked", commands.tokenRevoke(token.tokenId()));
        assertThrows(IllegalArgumentException.class, () -> commands.tokenRevoke("0000000000000000"));
        assertThrows(IllegalArgumentException.class, () -> commands.tokenCreate(false, "soon", ""));
    }

    @Test
    void nodesAndStatus() throws Exception {
        TestNode a = new TestNode("alpha");
        a.join(c, commands.tokenCreate(false, "", "").lines().toList().getLast(), null);
        String nodes = commands.nodes();
        assertTrue(nodes.contains("alpha") && nodes.contains("100.64.0.1") && nodes.contains(a.publicKey().toBase64()), nodes);

        String status = commands.coordinator();
        assertTrue(status.contains("state: running"), status);
        assertTrue(status.contains("public key: " + c.publicKey()), status);
        assertTrue(status.contains("members: 1"), status);
        assertTrue(status.contains("closed bad preamble: 0"), status);
        assertTrue(status.contains("stun: off (stun.port 0)") && status.contains("stun requests: 0"), status);
        assertTrue(status.contains("relay links: 0") && status.contains("relay dropped recipient full: 0")
                && status.contains("relay queued bytes: 0"), status);

        assertTrue(commands.nodeRemove("alpha").startsWith("node alpha ("));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> commands.nodeRemove("alpha"));
        assertTrue(e.getMessage().contains("tm:nodes"), e.getMessage());
    }
}
