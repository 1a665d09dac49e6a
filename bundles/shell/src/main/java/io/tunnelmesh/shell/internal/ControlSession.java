package io.tunnelmesh.shell.internal;

import io.tunnelmesh.api.identity.KeySourceException;
import java.io.BufferedReader;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.channels.Channels;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import org.apache.felix.service.command.CommandProcessor;
import org.apache.felix.service.command.CommandSession;
import org.apache.felix.service.command.Converter;

/**
 * One client connection: one Gogo session, one command per line. Each reply ends with a control line that
 * starts with NUL (see {@code ControlFrames} in the launcher): {@code \0ERR message} and {@code \0EXIT code}.
 * Errors are sent as one line each, never a stack trace.
 */
final class ControlSession {
    static final String ERROR = "\0ERR ";
    static final String EXIT = "\0EXIT ";

    private final CommandProcessor processor;
    private final SocketChannel channel;

    ControlSession(CommandProcessor processor, SocketChannel channel) {
        this.processor = processor;
        this.channel = channel;
    }

    void serve() {
        try (channel;
                BufferedReader in = new BufferedReader(new InputStreamReader(Channels.newInputStream(channel), StandardCharsets.UTF_8));
                LineTrackingStream raw = new LineTrackingStream(Channels.newOutputStream(channel));
                PrintStream out = new PrintStream(raw, true, StandardCharsets.UTF_8)) {
            CommandSession session = processor.createSession(new ByteArrayInputStream(new byte[0]), out, out);
            String line;
            while ((line = in.readLine()) != null) {
                int code = execute(session, line, out);
                out.flush();
                raw.endLine();
                out.print(EXIT + code + "\n");
                out.flush();
            }
            session.close();
        } catch (IOException e) {
            // client went away mid-reply: nothing to tell it
        }
    }

    private static int execute(CommandSession session, String line, PrintStream out) {
        try {
            Object result = session.execute(line);
            if (result != null) {
                out.println(session.format(result, Converter.INSPECT));
            }
            return 0;
        } catch (Exception e) {
            out.flush();
            CommandFailure failure = CommandFailure.of(e, line);
            out.print(ERROR + failure.message() + "\n");
            return failure.exitCode();
        }
    }

    /** The one line and exit code an operator sees for a failed command. */
    record CommandFailure(String message, int exitCode) {
        static CommandFailure of(Throwable e, String line) {
            Throwable t = e;
            while (t.getCause() != null && t.getCause() != t
                    && (t instanceof java.lang.reflect.InvocationTargetException || t.getMessage() == null)) {
                t = t.getCause();
            }
            if (t instanceof KeySourceException k) {
                return new CommandFailure(k.getMessage(), k.exitCode());
            }
            String name = t.getClass().getSimpleName();
            if (name.equals("CommandNotFoundException")) {
                String cmd = line.strip().split("\\s+")[0];
                return new CommandFailure("unknown command '" + cmd + "': 'help' lists the commands", 2);
            }
            String msg = t.getMessage() == null ? name : t.getMessage().lines().findFirst().orElse(name);
            if (t instanceof IllegalArgumentException) {
                return new CommandFailure(msg, 2);
            }
            return new CommandFailure(msg, 1);
        }
    }
}
