package io.tunnelmesh.shell.internal;

import java.util.List;
import org.apache.felix.gogo.runtime.Reflective;
import org.apache.felix.service.command.CommandSession;
import org.apache.felix.service.command.Function;

/**
 * Gogo finds a command's method by its name, and a Java method cannot be called {@code peer-add}. A service
 * implementing {@link Function} is called directly instead, so each hyphenated command is such a service that
 * hands its arguments to the annotated method of {@link PeerCommands}: options and help still come from the
 * {@code @Parameter}/{@code @Descriptor} annotations there.
 */
abstract class HyphenatedCommand implements Function {
    private final Object target;
    private final String method;
    private final String usage;

    /** @param usage the command line to show when the command gets no arguments */
    HyphenatedCommand(Object target, String method, String usage) {
        this.target = target;
        this.method = method;
        this.usage = usage;
    }

    @Override
    public Object execute(CommandSession session, List<Object> arguments) throws Exception {
        if (arguments.isEmpty()) {
            // Also what an unquoted key starting with "//" leads to: Gogo takes it for a comment.
            String name = usage.substring(0, usage.indexOf(' '));
            throw new IllegalArgumentException(name + " needs the peer's public key: " + usage
                    + " (put a key that starts with // in quotes, '//…=', or the shell reads it as a comment)");
        }
        return Reflective.invoke(session, target, method, rejoinBracketedEndpoints(arguments));
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
