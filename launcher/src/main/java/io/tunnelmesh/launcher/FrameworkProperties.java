package io.tunnelmesh.launcher;

import java.io.IOException;
import java.io.InputStream;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Framework properties: built-in defaults, then {@code config/framework.properties}, then {@code -D} system
 * properties with a known prefix. {@code ${name}} is replaced from these, system properties or the environment.
 */
final class FrameworkProperties {
    private static final Pattern VARIABLE = Pattern.compile("\\$\\{([^}]+)}");
    private static final String[] OVERRIDE_PREFIXES = {"org.osgi.", "felix.", "gosh.", "tm.", "obr."};

    private FrameworkProperties() {
    }

    static Map<String, String> load(Installation installation, Map<String, String> extra) throws CliFailure {
        Properties raw = new Properties();
        try (InputStream in = FrameworkProperties.class.getResourceAsStream("framework-defaults.properties")) {
            raw.load(in);
        } catch (IOException | NullPointerException e) {
            throw new CliFailure("the launcher jar is damaged (framework-defaults.properties missing): reinstall the distribution", 1);
        }
        Path file = installation.config().resolve("framework.properties");
        if (Files.isRegularFile(file)) {
            try (Reader r = Files.newBufferedReader(file, StandardCharsets.ISO_8859_1)) {
                raw.load(r);
            } catch (IOException | IllegalArgumentException e) {
                throw new CliFailure(file + " cannot be read (" + e.getMessage() + "): fix or delete it to use the defaults", 1);
            }
        }
        for (String name : System.getProperties().stringPropertyNames()) {
            for (String prefix : OVERRIDE_PREFIXES) {
                if (name.startsWith(prefix)) {
                    raw.setProperty(name, System.getProperty(name));
                }
            }
        }
        raw.setProperty("tm.home", installation.home().toString());
        raw.setProperty("tm.config", installation.config().toString());
        raw.setProperty("tm.data", installation.data().toString());
        extra.forEach(raw::setProperty);

        Map<String, String> resolved = new HashMap<>();
        for (String name : raw.stringPropertyNames()) {
            resolved.put(name, substitute(raw.getProperty(name), raw, 0));
        }
        return resolved;
    }

    /**
     * Where the node listens: {@code tm.control.socket} as the framework will see it (default
     * {@code data/tm.sock}, changeable in {@code config/framework.properties}), so the commands that connect
     * and the node that binds always agree.
     */
    static Path controlSocket(Installation installation) throws CliFailure {
        return controlSocket(load(installation, Map.of()));
    }

    static Path controlSocket(Map<String, String> properties) throws CliFailure {
        return Installation.checkSocketPath(Path.of(properties.get("tm.control.socket")).toAbsolutePath());
    }

    /** A comma-separated list of bundle symbolic names, such as {@code tm.oneshot.skip}; empty when unset. */
    static Set<String> bundleNames(Map<String, String> properties, String name) {
        Set<String> names = new LinkedHashSet<>();
        for (String n : properties.getOrDefault(name, "").split(",")) {
            if (!n.isBlank()) {
                names.add(n.strip());
            }
        }
        return names;
    }

    private static String substitute(String value, Properties props, int depth) {
        if (depth > 8 || value.indexOf("${") < 0) {
            return value;
        }
        Matcher m = VARIABLE.matcher(value);
        StringBuilder sb = new StringBuilder();
        while (m.find()) {
            String name = m.group(1);
            String v = props.getProperty(name, System.getProperty(name, System.getenv(name)));
            m.appendReplacement(sb, Matcher.quoteReplacement(v == null ? "" : substitute(v, props, depth + 1)));
        }
        m.appendTail(sb);
        return sb.toString();
    }
}
