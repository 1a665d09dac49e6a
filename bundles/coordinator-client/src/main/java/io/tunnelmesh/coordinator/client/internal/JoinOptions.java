package io.tunnelmesh.coordinator.client.internal;

import java.util.List;

/** The arguments of {@code tm:join TOKEN [--name NAME]}, in any order. */
record JoinOptions(String token, String name) {
    static final String USAGE = "tm:join TOKEN [--name NAME]";

    /** @throws IllegalArgumentException one line with the usage */
    static JoinOptions parse(List<String> args) {
        String token = null;
        String name = null;
        for (int i = 0; i < args.size(); i++) {
            String a = args.get(i);
            if (a.equals("--name")) {
                if (i + 1 >= args.size() || args.get(i + 1).isBlank()) {
                    throw new IllegalArgumentException("--name needs a value: " + USAGE);
                }
                name = args.get(++i).strip();
            } else if (a.startsWith("--name=")) {
                name = a.substring("--name=".length()).strip();
            } else if (a.startsWith("--")) {
                throw new IllegalArgumentException("unknown option " + a + ": " + USAGE);
            } else if (token == null) {
                token = a;
            } else {
                throw new IllegalArgumentException("one token only, got another argument '" + a + "': " + USAGE);
            }
        }
        if (token == null || token.isBlank()) {
            throw new IllegalArgumentException("tm:join needs the token that 'tm:token-create' printed on the coordinator: " + USAGE);
        }
        return new JoinOptions(token.strip(), name == null || name.isEmpty() ? null : name);
    }
}
