package io.tunnelmesh.shell.internal;

import io.tunnelmesh.api.identity.KeySourceException;
import java.nio.file.Path;
import java.util.List;

/**
 * Parsed arguments of {@code tm:init}: exactly one of {@code --ssh-key PATH}, {@code --agent [--key
 * FINGERPRINT|COMMENT] [--socket PATH]}, {@code --generate}; plus {@code --force}. There is deliberately no
 * passphrase option: command lines are visible to other users.
 */
record InitOptions(Mode mode, Path keyFile, String agentKey, String agentSocket, boolean force) {
    enum Mode { SSH_KEY, AGENT, GENERATE }

    static final String USAGE = "usage: init --ssh-key PATH | --agent [--key FINGERPRINT|COMMENT] [--socket PATH]"
            + " | --generate  [--force]";

    static InitOptions parse(List<String> args) throws KeySourceException {
        Mode mode = null;
        Path keyFile = null;
        String agentKey = null;
        String socket = null;
        boolean force = false;
        for (int i = 0; i < args.size(); i++) {
            String a = args.get(i);
            switch (a) {
                case "--ssh-key" -> {
                    mode = only(mode, Mode.SSH_KEY);
                    keyFile = Path.of(value(args, ++i, a)).toAbsolutePath().normalize();
                }
                case "--agent" -> mode = only(mode, Mode.AGENT);
                case "--generate" -> mode = only(mode, Mode.GENERATE);
                case "--key" -> agentKey = value(args, ++i, a);
                case "--socket" -> socket = value(args, ++i, a);
                case "--force" -> force = true;
                case "--passphrase", "-N", "-P" -> throw usage("a passphrase is never taken on the command line: set"
                        + " TUNNELMESH_SSH_PASSPHRASE or answer the prompt");
                default -> throw usage("unknown option '" + a + "'");
            }
        }
        if (mode == null) {
            throw usage("choose where the identity comes from");
        }
        if (mode != Mode.AGENT && (agentKey != null || socket != null)) {
            throw usage("--key and --socket go with --agent");
        }
        return new InitOptions(mode, keyFile, agentKey, socket, force);
    }

    private static Mode only(Mode current, Mode next) throws KeySourceException {
        if (current != null) {
            throw usage("give only one of --ssh-key, --agent, --generate");
        }
        return next;
    }

    private static String value(List<String> args, int i, String option) throws KeySourceException {
        if (i >= args.size() || args.get(i).startsWith("--")) {
            throw usage(option + " needs a value");
        }
        return args.get(i);
    }

    private static KeySourceException usage(String problem) {
        return new KeySourceException(problem + "; " + USAGE, IdentityCommands.EXIT_USAGE);
    }
}
