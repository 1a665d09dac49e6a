package io.tunnelmesh.launcher;

/**
 * The control socket's wire format, seen from the client. The node's ControlSocket (bundles/shell) speaks
 * the same: the client sends one command per line (UTF-8); the node streams the command's output and ends
 * each reply with a control line that starts with a NUL byte, which command output never contains:
 * {@code \0ERR message} (print on stderr) and finally {@code \0EXIT code}.
 */
final class ControlFrames {
    static final char MARK = '\0';
    static final String ERROR = MARK + "ERR ";
    static final String EXIT = MARK + "EXIT ";

    private ControlFrames() {
    }
}
