package io.tunnelmesh.coordinator.internal;

import java.util.List;
import org.apache.felix.gogo.runtime.Reflective;
import org.apache.felix.service.command.CommandSession;
import org.apache.felix.service.command.Function;

/**
 * Gogo finds a command's method by its name, and a Java method cannot be called {@code token-create}. A
 * {@link Function} service is called directly instead, and hands its arguments to the annotated method of
 * {@link CoordinatorCommands}, so options and help still come from the annotations there.
 */
abstract class HyphenatedCommand implements Function {
    private final Object target;
    private final String method;
    private final String usage;
    private final boolean needsArgument;

    HyphenatedCommand(Object target, String method, String usage, boolean needsArgument) {
        this.target = target;
        this.method = method;
        this.usage = usage;
        this.needsArgument = needsArgument;
    }

    @Override
    public Object execute(CommandSession session, List<Object> arguments) throws Exception {
        if (needsArgument && arguments.isEmpty()) {
            throw new IllegalArgumentException("usage: " + usage);
        }
        return Reflective.invoke(session, target, method, arguments);
    }
}
