package io.tunnelmesh.launcher;

import java.util.ArrayList;
import java.util.List;

/**
 * Arguments of {@code tunnelmesh join TOKEN [--name NAME]}. Only their shape is checked here; the token and
 * the name are judged by {@code tm:join}, which answers in one line whether a node runs or not.
 */
record JoinOptions(String token, String name) {
    static JoinOptions parse(List<String> args) throws UsageException {
        String token = null;
        String name = null;
        for (int i = 0; i < args.size(); i++) {
            String arg = args.get(i);
            if (arg.equals("--name")) {
                if (i + 1 >= args.size()) {
                    throw new UsageException("join: --name needs a value");
                }
                name = args.get(++i);
            } else if (arg.startsWith("-")) {
                throw new UsageException("join: unknown option '" + arg + "'");
            } else if (token == null) {
                token = arg;
            } else {
                throw new UsageException("join takes one token, got '" + token + "' and '" + arg + "'");
            }
        }
        if (token == null) {
            throw new UsageException("join needs a token: 'tunnelmesh join TOKEN', with a token from the coordinator's 'tm:token-create'");
        }
        return new JoinOptions(token, name);
    }

    /** {@code tm:join 'TOKEN' ['--name' 'NAME']}, each word quoted as {@code init}'s are. */
    String gogoCommand() throws CliFailure {
        List<String> words = new ArrayList<>(List.of(token));
        if (name != null) {
            words.add("--name");
            words.add(name);
        }
        return "tm:join" + GogoQuoting.quoteAll(words);
    }
}
