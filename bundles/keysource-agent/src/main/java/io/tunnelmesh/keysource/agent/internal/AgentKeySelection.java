package io.tunnelmesh.keysource.agent.internal;

import io.tunnelmesh.api.identity.KeySourceException;
import io.tunnelmesh.ssh.internal.ExitCodes;
import io.tunnelmesh.ssh.internal.SshKeyType;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;

/**
 * Picks the agent key that carries the identity: the one named by fingerprint ({@code SHA256:…}) or comment, or,
 * when none is named, the only key of a usable type.
 */
final class AgentKeySelection {
    private AgentKeySelection() {
    }

    static AgentIdentity select(List<AgentIdentity> keys, String wanted, Path socket) throws KeySourceException {
        if (keys.isEmpty()) {
            throw new KeySourceException("ssh-agent at " + socket + " holds no keys (or is locked): add yours with"
                    + " ssh-add ~/.ssh/id_ed25519, or unlock the agent with ssh-add -X", ExitCodes.UNAVAILABLE);
        }
        if (wanted != null && !wanted.isBlank()) {
            String w = wanted.trim();
            List<AgentIdentity> matches = keys.stream()
                    .filter(k -> k.key().fingerprint().equals(w) || k.comment().equals(w)).toList();
            if (matches.isEmpty()) {
                throw new KeySourceException("key " + w + " is not loaded in the ssh-agent at " + socket
                        + " (it holds " + labels(keys) + "): ssh-add that key", ExitCodes.UNAVAILABLE);
            }
            if (matches.size() > 1) {
                throw new KeySourceException("several keys in the ssh-agent at " + socket + " match " + w + " ("
                        + labels(matches) + "): choose one by its SHA256 fingerprint", ExitCodes.CONFIG);
            }
            AgentIdentity chosen = matches.get(0);
            SshKeyType.require(chosen.key().type(), "ssh-agent key " + chosen.label());
            return chosen;
        }
        List<AgentIdentity> usable = keys.stream().filter(k -> SshKeyType.isSupported(k.key().type())).toList();
        if (usable.isEmpty()) {
            AgentIdentity first = keys.get(0);
            SshKeyType.require(first.key().type(), "ssh-agent key " + first.label()); // throws with the reason
        }
        if (usable.size() > 1) {
            throw new KeySourceException("ssh-agent at " + socket + " holds " + usable.size() + " usable keys ("
                    + labels(usable) + "): choose one with --key FINGERPRINT|COMMENT (config agent.key)",
                    ExitCodes.CONFIG);
        }
        return usable.get(0);
    }

    private static String labels(List<AgentIdentity> keys) {
        return keys.stream().map(AgentIdentity::label).collect(Collectors.joining(", "));
    }
}
