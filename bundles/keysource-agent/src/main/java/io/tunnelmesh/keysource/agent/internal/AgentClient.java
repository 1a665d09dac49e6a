package io.tunnelmesh.keysource.agent.internal;

import io.tunnelmesh.api.identity.KeySourceException;
import io.tunnelmesh.ssh.internal.ExitCodes;
import io.tunnelmesh.ssh.internal.SshPublicKey;
import io.tunnelmesh.ssh.internal.SshWire;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** The two agent requests a key source needs (PROTOCOL.agent / RFC 9987): list identities and sign. */
final class AgentClient {
    static final int SSH_AGENT_FAILURE = 5;
    static final int SSH2_AGENTC_REQUEST_IDENTITIES = 11;
    static final int SSH2_AGENT_IDENTITIES_ANSWER = 12;
    static final int SSH2_AGENTC_SIGN_REQUEST = 13;
    static final int SSH2_AGENT_SIGN_RESPONSE = 14;

    private final Path socket;
    private final Duration timeout;

    AgentClient(Path socket, Duration timeout) {
        this.socket = socket;
        this.timeout = timeout;
    }

    Path socket() {
        return socket;
    }

    List<AgentIdentity> identities() throws KeySourceException {
        AgentConnection.Reply reply;
        try (AgentConnection c = AgentConnection.open(socket, timeout)) {
            reply = c.request(SSH2_AGENTC_REQUEST_IDENTITIES, new byte[0]);
        }
        if (reply.type() == SSH_AGENT_FAILURE) {
            throw new KeySourceException("ssh-agent at " + socket + " refused to list its keys", ExitCodes.UNAVAILABLE);
        }
        expect(reply, SSH2_AGENT_IDENTITIES_ANSWER);
        try {
            SshWire.Reader r = new SshWire.Reader(reply.body());
            long count = r.readUint32();
            List<AgentIdentity> keys = new ArrayList<>();
            for (long i = 0; i < count; i++) {
                byte[] blob = r.readString();
                String comment = r.readUtf8();
                keys.add(new AgentIdentity(SshPublicKey.of(blob), comment));
            }
            return keys;
        } catch (SshWire.MalformedException e) {
            throw malformed(e);
        }
    }

    /** @return the signature blob {@code string algorithm ‖ string signature} */
    byte[] sign(AgentIdentity identity, byte[] data, int flags) throws KeySourceException {
        byte[] request = new SshWire.Writer().string(identity.key().blob()).string(data).uint32(flags).toByteArray();
        AgentConnection.Reply reply;
        try (AgentConnection c = AgentConnection.open(socket, timeout)) {
            reply = c.request(SSH2_AGENTC_SIGN_REQUEST, request);
        }
        if (reply.type() == SSH_AGENT_FAILURE) {
            throw new KeySourceException("ssh-agent at " + socket + " refused to sign with " + identity.label()
                    + " (agent locked, confirmation denied, key removed, or added with ssh-add -h destination"
                    + " constraints): unlock with ssh-add -X or re-add the key with plain ssh-add",
                    ExitCodes.UNAVAILABLE);
        }
        expect(reply, SSH2_AGENT_SIGN_RESPONSE);
        try {
            return new SshWire.Reader(reply.body()).readString();
        } catch (SshWire.MalformedException e) {
            throw malformed(e);
        }
    }

    private void expect(AgentConnection.Reply reply, int type) throws KeySourceException {
        if (reply.type() != type) {
            throw new KeySourceException("ssh-agent at " + socket + " sent an unexpected reply (message type "
                    + reply.type() + ", expected " + type + ")", ExitCodes.UNAVAILABLE);
        }
    }

    private KeySourceException malformed(SshWire.MalformedException e) {
        return new KeySourceException("ssh-agent at " + socket + " sent a malformed reply (" + e.getMessage() + ")",
                ExitCodes.UNAVAILABLE);
    }
}
