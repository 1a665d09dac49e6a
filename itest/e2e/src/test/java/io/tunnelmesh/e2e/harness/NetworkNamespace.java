package io.tunnelmesh.e2e.harness;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** One Linux network namespace standing in for a host; deleting it removes its veth ends and TUN devices. */
public final class NetworkNamespace implements AutoCloseable {
    private static final Duration IP_TIMEOUT = Duration.ofSeconds(10);

    private final String name;
    private final ProcessRunner runner;

    private NetworkNamespace(String name, ProcessRunner runner) {
        this.name = name;
        this.runner = runner;
    }

    /** Creates a fresh namespace with a unique name and its loopback up. */
    public static NetworkNamespace create(ProcessRunner runner) {
        NetworkNamespace ns = new NetworkNamespace(UniqueNames.namespace(), runner);
        require(runner.run(IP_TIMEOUT, "ip", "netns", "add", ns.name));
        ns.ip("link", "set", "lo", "up");
        return ns;
    }

    public String name() {
        return name;
    }

    /** {@code ip -n <ns> args…}, failing on a non-zero exit. */
    public String ip(String... args) {
        List<String> command = new ArrayList<>(List.of("ip", "-n", name));
        command.addAll(List.of(args));
        return require(runner.run(IP_TIMEOUT, null, command)).stdout();
    }

    /** Runs a command inside the namespace and returns what it produced, whatever its exit code. */
    public ProcessResult exec(Duration timeout, String... command) {
        return runner.run(timeout, null, inside(List.of(command)));
    }

    /** Starts a background command inside the namespace. */
    public StartedProcess start(String logName, List<String> command) {
        return runner.start(logName, inside(command));
    }

    /** The interface holding IPv4 {@code address}, e.g. the end of a wire {@link VethLink} or {@link Lan} made. */
    public String interfaceWith(String address) {
        return ip("-o", "-4", "addr", "show").lines().map(l -> l.split("\\s+"))
                .filter(f -> f.length > 3 && f[3].startsWith(address + "/")).map(f -> f[1].replaceAll("@.*", ""))
                .findFirst().orElseThrow(() -> new IllegalStateException(name + " has no interface with " + address));
    }

    public boolean hasLink(String iface) {
        return runner.run(IP_TIMEOUT, "ip", "-n", name, "link", "show", iface).succeeded();
    }

    public List<String> inside(List<String> command) {
        List<String> full = new ArrayList<>(List.of("ip", "netns", "exec", name));
        full.addAll(command);
        return full;
    }

    @Override
    public void close() {
        runner.run(IP_TIMEOUT, "ip", "netns", "del", name);
    }

    static ProcessResult require(ProcessResult result) {
        if (!result.succeeded()) {
            throw new IllegalStateException(result.describe());
        }
        return result;
    }
}
