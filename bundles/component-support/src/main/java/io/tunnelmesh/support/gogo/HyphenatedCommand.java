package io.tunnelmesh.support.gogo;

import java.util.List;
import org.apache.felix.gogo.runtime.Reflective;
import org.apache.felix.service.command.CommandSession;
import org.apache.felix.service.command.Function;

/**
 * Gogo finds a command's method by its name, and a Java method cannot be called {@code peer-add}. A service
 * implementing {@link Function} is called directly instead, so each hyphenated command is such a service that
 * hands its arguments to an annotated method of the command object: options and help still come from the
 * {@code @Parameter}/{@code @Descriptor} annotations there.
 */
public abstract class HyphenatedCommand implements Function {
    private final Object target;
    private final String method;
    private final String usage;
    private final boolean needsArgument;

    /**
     * @param usage         the command line shown when a needed argument is missing
     * @param needsArgument whether the command refuses to run without arguments
     */
    protected HyphenatedCommand(Object target, String method, String usage, boolean needsArgument) {
        this.target = target;
        this.method = method;
        this.usage = usage;
        this.needsArgument = needsArgument;
    }

    @Override
    public Object execute(CommandSession session, List<Object> arguments) throws Exception {
        if (needsArgument && arguments.isEmpty()) {
            throw missingArgument(usage);
        }
        return Reflective.invoke(session, target, method, prepare(arguments));
    }

    /** The one-line error for a call without arguments. */
    protected IllegalArgumentException missingArgument(String usage) {
        return new IllegalArgumentException("usage: " + usage);
    }

    /** Mends what Gogo's parser did to the arguments before they reach the method; unchanged by default. */
    protected List<Object> prepare(List<Object> arguments) {
        return arguments;
    }
}
