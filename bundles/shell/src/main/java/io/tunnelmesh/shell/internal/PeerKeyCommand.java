package io.tunnelmesh.shell.internal;

import io.tunnelmesh.support.gogo.HyphenatedCommand;
import java.util.ArrayList;
import java.util.List;
import org.apache.felix.gogo.runtime.Token;

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
     * Gogo reads {@code [fd00::2]:51820} as a list {@code [fd00::2]} followed by the word {@code :51820}, and
     * {@code udp:[fd00::2]:51820} as {@code udp:}, that list and {@code :51820}. An operator typing an IPv6
     * endpoint the way {@code wg} takes it (alone, with a transport prefix, or in a comma-separated list) means
     * the endpoint: join the pieces back. A piece is joined to the one before only where the command line had
     * nothing between them, which Gogo's tokens tell by their positions.
     */
    static List<Object> rejoinBracketedEndpoints(List<Object> arguments) {
        List<Object> out = new ArrayList<>(arguments.size());
        int previousEnd = -1; // where the last argument ended in the command line, or -1 when unknown
        for (int i = 0; i < arguments.size(); i++) {
            Object a = arguments.get(i);
            Object next = i + 1 < arguments.size() ? arguments.get(i + 1) : null;
            if (a instanceof List<?> list && list.size() == 1 && next instanceof CharSequence port && port.toString().startsWith(":")) {
                String bracketed = "[" + list.get(0) + "]";
                boolean glued = previousEnd >= 0 && next instanceof Token after && previousEnd + bracketed.length() == after.start();
                if (glued) {
                    out.set(out.size() - 1, out.get(out.size() - 1) + bracketed + port);
                } else {
                    out.add(bracketed + port);
                }
                previousEnd = end(next);
                i++;
            } else {
                out.add(a);
                previousEnd = end(a);
            }
        }
        return out;
    }

    private static int end(Object argument) {
        return argument instanceof Token t ? t.start() + t.length() : -1;
    }
}
