package io.tunnelmesh.launcher;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Flags of {@code tunnelmesh up}. They override {@code config/io.tunnelmesh.node.cfg}: the launcher hands them
 * to the node as framework properties {@code tm.up.*}, so the configuration file is never rewritten.
 */
record UpOptions(Map<String, String> frameworkProperties) {
    static UpOptions parse(List<String> args) throws UsageException, CliFailure {
        Map<String, String> props = new LinkedHashMap<>();
        for (int i = 0; i < args.size(); i++) {
            String flag = args.get(i);
            String key = switch (flag) {
                case "--interface" -> "tm.up.interface";
                case "--address" -> "tm.up.address";
                case "--listen-port" -> "tm.up.listen-port";
                case "--psk-file" -> "tm.up.psk-file";
                default -> throw new UsageException("up: unknown option '" + flag + "'");
            };
            if (i + 1 >= args.size()) {
                throw new UsageException("up: " + flag + " needs a value");
            }
            String value = args.get(++i);
            check(flag, value);
            props.put(key, flag.equals("--psk-file") ? Path.of(value).toAbsolutePath().toString() : value);
        }
        return new UpOptions(props);
    }

    private static void check(String flag, String value) throws CliFailure {
        switch (flag) {
            case "--listen-port" -> {
                int port;
                try {
                    port = Integer.parseInt(value);
                } catch (NumberFormatException e) {
                    port = -1;
                }
                if (port < 0 || port > 65535) {
                    throw new CliFailure("--listen-port '" + value + "' is not a port: use 1-65535 (0 picks a free one)", 2);
                }
            }
            case "--psk-file" -> {
                if (!Files.isReadable(Path.of(value))) {
                    throw new CliFailure("--psk-file " + value + " cannot be read: create it with 'wg genpsk > FILE' (mode 600) or fix the path", 2);
                }
            }
            case "--interface" -> {
                if (value.isEmpty() || value.length() > 15 || !value.matches("[A-Za-z0-9_.-]+")) {
                    throw new CliFailure("--interface '" + value + "' is not a valid interface name: use 1-15 letters, digits, '-', '_' or '.'", 2);
                }
            }
            case "--address" -> {
                if (!value.matches("[0-9A-Fa-f:.]+/\\d{1,3}(,[0-9A-Fa-f:.]+/\\d{1,3})*")) {
                    throw new CliFailure("--address '" + value + "' is not CIDR: write it as ADDRESS/LENGTH, e.g. 10.99.0.1/24", 2);
                }
            }
            default -> {
                // no check
            }
        }
    }
}
