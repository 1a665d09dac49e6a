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

    HyphenatedCommand(Object target, String method) {
        this.target = target;
        this.method = method;
    }

    @Override
    public Object execute(CommandSession session, List<Object> arguments) throws Exception {
        return Reflective.invoke(session, target, method, arguments);
    }
}
