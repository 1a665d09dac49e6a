package io.tunnelmesh.launcher;

import java.util.List;

/** Turns command-line words into one Gogo command line without letting the shell reinterpret them. */
final class GogoQuoting {
    private GogoQuoting() {
    }

    /** Each word in single quotes (Gogo expands nothing there), each preceded by a space. */
    static String quoteAll(List<String> words) throws CliFailure {
        StringBuilder sb = new StringBuilder();
        for (String w : words) {
            if (w.indexOf('\'') >= 0 || w.indexOf('\n') >= 0) {
                throw new CliFailure("argument " + w + " contains a quote or line break, which the node's shell cannot take; rename the file or use a path without it", 2);
            }
            sb.append(" '").append(w).append('\'');
        }
        return sb.toString();
    }
}
