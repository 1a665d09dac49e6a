package io.tunnelmesh.shell.internal;

import io.tunnelmesh.support.gogo.HyphenatedCommand;
import java.util.List;

/** A hyphenated peer command ({@code tm:peer-add}, {@code tm:peer-remove}): its first argument is a public key. */
abstract class PeerKeyCommand extends HyphenatedCommand {
    PeerKeyCommand(Object target, String method, String usage) {
        super(target, method, usage, true);
    }

    /** Also what an unquoted key starting with "//" leads to: Gogo takes it for a comment. */
    @Override
    protected IllegalArgumentException missingArgument(String usage) {
        String name = usage.substring(0, usage.indexOf(' '));
        return new IllegalArgumentException(name + " needs the peer's public key: " + usage
                + " (put a key that starts with // in quotes, '//…=', or the shell reads it as a comment)");
    }

    @Override
    protected List<Object> prepare(List<Object> arguments) {
        return rejoinBracketedEndpoints(arguments);
    }

    /**
     * Gogo reads {@code [fd00::2]:51820} as a list {@code [fd00::2]} followed by the word {@code :51820}. An
     * operator typing an IPv6 endpoint the way {@code wg} takes it means the endpoint: join the two back.
     */
    static List<Object> rejoinBracketedEndpoints(List<Object> arguments) {
        List<Object> out = new java.util.ArrayList<>(arguments.size());
        for (int i = 0; i < arguments.size(); i++) {
            Object a = arguments.get(i);
            Object next = i + 1 < arguments.size() ? arguments.get(i + 1) : null;
            if (a instanceof List<?> list && list.size() == 1 && next instanceof CharSequence port && port.toString().startsWith(":")) {
                out.add("[" + list.get(0) + "]" + port);
                i++;
            } else {
                out.add(a);
            }
        }
        return out;
    }
}
