package io.tunnelmesh.logging.internal;

import java.io.PrintStream;
import java.util.Locale;
import java.util.Map;
import org.osgi.service.log.LogLevel;

/** Reads typed values from a raw configuration, reporting each bad one in a line that names file key and value. */
final class ConfigCheck {
    private final String pid;
    private final Map<String, Object> raw;
    private final PrintStream report;

    ConfigCheck(String pid, Map<String, Object> raw, PrintStream report) {
        this.pid = pid;
        this.raw = raw;
        this.report = report;
    }

    boolean bool(String key, boolean fallback) {
        Object v = raw.get(key);
        if (v == null || v instanceof Boolean) {
            return v == null ? fallback : (Boolean) v;
        }
        String s = v.toString().strip();
        if (s.equalsIgnoreCase("true") || s.equalsIgnoreCase("false")) {
            return Boolean.parseBoolean(s);
        }
        bad(key, v, "true or false", String.valueOf(fallback));
        return fallback;
    }

    LogLevel level(String key, LogLevel fallback) {
        Object v = raw.get(key);
        if (v == null) {
            return fallback;
        }
        try {
            return LogLevel.valueOf(v.toString().strip().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            bad(key, v, "ERROR, WARN, INFO, DEBUG or TRACE", fallback.name());
            return fallback;
        }
    }

    int positiveInt(String key, int fallback) {
        Object v = raw.get(key);
        if (v == null) {
            return fallback;
        }
        try {
            int n = v instanceof Number num ? num.intValue() : Integer.parseInt(v.toString().strip());
            if (n > 0) {
                return n;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        bad(key, v, "a whole number above 0", String.valueOf(fallback));
        return fallback;
    }

    private void bad(String key, Object value, String expected, String used) {
        report.println("tunnelmesh: config/" + pid + ".cfg: " + key + "='" + value + "' is not " + expected
                + "; using " + used + " until it is fixed");
    }
}
