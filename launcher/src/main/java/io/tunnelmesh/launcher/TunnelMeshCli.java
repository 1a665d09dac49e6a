package io.tunnelmesh.launcher;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Properties;

/**
 * {@code bin/tunnelmesh}: one entry point for operators. {@code up} runs a node in the foreground and
 * {@code coordinator} a coordinator; the other commands talk to it over its control socket, the way
 * {@code tailscale} talks to {@code tailscaled}.
 */
public final class TunnelMeshCli {
    static final String USAGE = """
            usage: tunnelmesh <command> [options]

              up [--interface NAME] [--address CIDR] [--listen-port N] [--psk-file FILE]
                                  run a node in the foreground (Ctrl-C or SIGTERM stops it)
              shell [-c COMMAND]  Gogo shell attached to the running node or coordinator; -c runs one command
              status              the running node: identity, interface, listen port, transports
              peers               the running node's peers, as 'wg show' lists them, with path, RTT, why relayed
              ping PEER [-c COUNT]
                                  ping a peer (name, mesh address or public key start) through the tunnel,
                                  one a second (default 5): path and round trip per reply; exit 1 if none
              init --ssh-key PATH | --agent [--key FINGERPRINT|COMMENT] | --generate [--force]
                                  choose the SSH key the node's identity derives from
              pubkey              print the node's public key (base64, as wg uses it)
              join TOKEN [--name NAME]
                                  join the mesh of the coordinator that made TOKEN (needs 'init' first)
              coordinator [--listen HOST:PORT] [--mesh-cidr CIDR] [--stun-port N]
                                  run a coordinator in the foreground (Ctrl-C or SIGTERM stops it);
                                  --stun-port: UDP port of its STUN responder (default 3478, 0 = off)
              version             print the version
            """;

    private final Installation installation;
    private final PrintStream out;
    private final PrintStream err;
    private final InputStream in;

    TunnelMeshCli(Installation installation, InputStream in, PrintStream out, PrintStream err) {
        this.installation = installation;
        this.in = in;
        this.out = out;
        this.err = err;
    }

    public static void main(String[] args) {
        TunnelMeshCli cli = new TunnelMeshCli(Installation.fromSystemProperties(), System.in, System.out, System.err);
        System.exit(cli.run(args));
    }

    int run(String[] args) {
        try {
            return dispatch(args);
        } catch (UsageException e) {
            err.println("tunnelmesh: " + e.getMessage());
            err.print(USAGE);
            return 2;
        } catch (CliFailure e) {
            err.println("tunnelmesh: " + e.getMessage());
            return e.exitCode();
        } catch (RuntimeException e) {
            // Last resort: one line, never a stack trace, and a hint where the details went.
            err.println("tunnelmesh: internal error: " + FrameworkLauncher.oneLine(e) + " (see data/log/tunnelmesh.log)");
            return 1;
        }
    }

    private int dispatch(String[] args) throws UsageException, CliFailure {
        if (args.length == 0) {
            throw new UsageException("no command given");
        }
        List<String> rest = Arrays.asList(args).subList(1, args.length);
        return switch (args[0]) {
            case "version", "--version" -> {
                out.println("tunnelmesh " + version());
                yield 0;
            }
            case "help", "--help", "-h" -> {
                out.print(USAGE);
                yield 0;
            }
            case "up" -> new NodeRunner(installation, out, err).run(UpOptions.parse(rest));
            case "shell" -> shell(rest);
            case "status" -> remote(noArgs("status", rest, "tm:status"));
            case "peers" -> remote(noArgs("peers", rest, "tm:peers"));
            case "ping" -> remote(pingCommand(rest));
            // Always in a runtime of its own, even beside a running node: a passphrase prompt must reach the
            // operator's terminal, not the node's console. The node picks the new config up from config/.
            case "init" -> new OneShotRunner(installation, err).run("tm:init" + GogoQuoting.quoteAll(absolutePaths(rest)), out, err);
            case "pubkey" -> localOrRemote(noArgs("pubkey", rest, "tm:pubkey"));
            case "coordinator" -> new CoordinatorRunner(installation, out, err).run(CoordinatorOptions.parse(rest));
            // Through the running node, so the membership takes effect live; else the one-shot runtime writes it
            // into config/ and data/ for the next 'up'.
            case "join" -> localOrRemote(JoinOptions.parse(rest).gogoCommand());
            default -> throw new UsageException("unknown command '" + args[0] + "'");
        };
    }

    /**
     * A running node resolves paths against its own working folder, not the operator's: make the values of
     * path options absolute before they travel.
     */
    static List<String> absolutePaths(List<String> args) {
        List<String> out = new java.util.ArrayList<>(args);
        for (int i = 0; i + 1 < out.size(); i++) {
            if (out.get(i).equals("--ssh-key") || out.get(i).equals("--socket")) {
                out.set(i + 1, java.nio.file.Path.of(out.get(i + 1)).toAbsolutePath().normalize().toString());
            }
        }
        return out;
    }

    /** {@code ping PEER [-c COUNT]}, options before or after the peer; the node checks the values. */
    static String pingCommand(List<String> rest) throws UsageException, CliFailure {
        List<String> words = new java.util.ArrayList<>();
        String peer = null;
        for (int i = 0; i < rest.size(); i++) {
            String w = rest.get(i);
            if (w.equals("-c") || w.equals("--count")) {
                if (i + 1 == rest.size()) {
                    throw new UsageException("ping: -c needs a count");
                }
                words.add("-c");
                words.add(rest.get(++i));
            } else if (peer == null && !w.startsWith("-")) {
                peer = w;
            } else {
                throw new UsageException("ping takes PEER [-c COUNT], got '" + String.join(" ", rest) + "'");
            }
        }
        if (peer == null) {
            throw new UsageException("ping needs the peer: its name, mesh address or public key");
        }
        words.add(peer);
        return "tm:ping" + GogoQuoting.quoteAll(words);
    }

    private static String noArgs(String name, List<String> rest, String gogo) throws UsageException {
        if (!rest.isEmpty()) {
            throw new UsageException("'" + name + "' takes no arguments, got '" + String.join(" ", rest) + "'");
        }
        return gogo;
    }

    private int shell(List<String> rest) throws UsageException, CliFailure {
        if (rest.isEmpty()) {
            return interactive();
        }
        if (rest.size() == 2 && rest.get(0).equals("-c")) {
            return remote(rest.get(1));
        }
        throw new UsageException("shell takes no arguments, or -c 'COMMAND'");
    }

    private int remote(String command) throws CliFailure {
        try (ControlClient client = ControlClient.connect(FrameworkProperties.controlSocket(installation))) {
            return client.run(command, out, err);
        }
    }

    /** Commands that work with or without a running node: through it when it runs, else in a one-shot runtime. */
    private int localOrRemote(String command) throws CliFailure {
        if (ControlClient.isNodeRunning(FrameworkProperties.controlSocket(installation))) {
            return remote(command);
        }
        return new OneShotRunner(installation, err).run(command, out, err);
    }

    private int interactive() throws CliFailure {
        try (ControlClient client = ControlClient.connect(FrameworkProperties.controlSocket(installation))) {
            boolean tty = System.console() != null;
            BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
            if (tty) {
                out.println("TunnelMesh/J shell on " + installation.home() + " — 'help' lists commands, 'exit' or Ctrl-D leaves (the node keeps running)");
            }
            int last = 0;
            while (true) {
                if (tty) {
                    out.print("tm> ");
                    out.flush();
                }
                String line = reader.readLine();
                if (line == null || line.strip().equals("exit") || line.strip().equals("quit")) {
                    return last;
                }
                if (!line.isBlank()) {
                    last = client.run(line, out, err);
                }
            }
        } catch (IOException e) {
            throw new CliFailure("cannot read the terminal: " + e.getMessage(), 1);
        }
    }

    static String version() {
        Properties p = new Properties();
        try (InputStream s = TunnelMeshCli.class.getResourceAsStream("version.properties")) {
            p.load(s);
        } catch (IOException | NullPointerException e) {
            return "unknown";
        }
        return p.getProperty("version", "unknown");
    }
}
