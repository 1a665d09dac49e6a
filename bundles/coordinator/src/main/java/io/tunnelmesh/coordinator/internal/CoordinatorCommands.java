package io.tunnelmesh.coordinator.internal;

import io.tunnelmesh.api.AddressFormat;
import io.tunnelmesh.api.HostPort;
import io.tunnelmesh.api.coordinator.NodeRecord;
import io.tunnelmesh.api.coordinator.TokenRecord;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.felix.service.command.Descriptor;
import org.apache.felix.service.command.Parameter;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/**
 * The coordinator's commands (scope {@code tm}): {@code tokens}, {@code nodes}, {@code coordinator} here, and
 * the implementations of {@code token-create}, {@code token-revoke} and {@code node-remove}, which the
 * {@link HyphenatedCommand}s register under their hyphenated names. Output is a table or {@code label: value}
 * lines so scripts can grep it; a token is alone on the last line.
 */
@Component(service = CoordinatorCommands.class, property = {"osgi.command.scope=tm", "osgi.command.function=tokens",
        "osgi.command.function=nodes", "osgi.command.function=coordinator"})
public final class CoordinatorCommands {
    private final Running service;

    /** Where the commands find the coordinator; throws one line when it is not running. */
    interface Running {
        Coordinator coordinator();
    }

    @Activate
    public CoordinatorCommands(@Reference CoordinatorService service) {
        this(service::coordinator);
    }

    CoordinatorCommands(Running service) {
        this.service = service;
    }

    @Descriptor("create a join token; the token is alone on the last line")
    public String tokenCreate(
            @Descriptor("the token admits any number of nodes (default: one)")
            @Parameter(names = "--reusable", presentValue = "true", absentValue = "false") boolean reusable,
            @Descriptor("how long the token is valid, e.g. 30m, 24h, 7d (default: forever)")
            @Parameter(names = "--expires", absentValue = "") String expires,
            @Descriptor("a label for the token, shown by tm:tokens")
            @Parameter(names = "--name", absentValue = "") String name) {
        Duration valid = expires.isBlank() ? null : Durations.parse(expires);
        if (name.length() > 64 || name.chars().anyMatch(Character::isISOControl)) {
            throw new IllegalArgumentException("--name must be at most 64 printable characters");
        }
        Coordinator coordinator = service.coordinator();
        TokenIssuer.Issued issued = coordinator.createToken(reusable, valid, name);
        TokenRecord r = issued.record();
        return "token " + r.id() + (name.isEmpty() ? "" : " (" + name + ")") + ": " + (reusable ? "reusable" : "one use")
                + ", " + (r.expiresAt() == null ? "never expires" : "expires " + time(r.expiresAt()))
                + ", coordinator " + String.join(",", coordinator.advertised()) + "\n"
                + issued.token();
    }

    @Descriptor("list the join tokens (never their secrets)")
    public String tokens() {
        Table table = new Table("ID", "NAME", "REUSABLE", "USES", "EXPIRES", "REVOKED");
        for (TokenRecord t : service.coordinator().tokens()) {
            table.row(t.id(), dash(t.name()), t.reusable() ? "yes" : "no", Integer.toString(t.uses()),
                    t.expiresAt() == null ? "never" : time(t.expiresAt()),
                    t.revokedAt() == null ? "no" : time(t.revokedAt()));
        }
        return table.toString();
    }

    @Descriptor("revoke a join token by its id (tm:tokens lists them)")
    public String tokenRevoke(@Descriptor("the token's id") String id) {
        if (!service.coordinator().revokeToken(id)) {
            throw new IllegalArgumentException("no token has the id '" + NodeNames.oneLine(id) + "': tm:tokens lists them");
        }
        return "token " + id + " revoked";
    }

    @Descriptor("list the mesh's nodes: name, addresses, keys, endpoints, online or last seen")
    public String nodes() {
        Table table = new Table("NAME", "IPV4", "IPV6", "PUBLIC-KEY", "SSH-FINGERPRINT", "ENDPOINTS", "SEEN");
        for (Coordinator.NodeView n : service.coordinator().nodes()) {
            NodeRecord r = n.record();
            table.row(r.name(), AddressFormat.format(r.ipv4()), AddressFormat.format(r.ipv6()), r.publicKey().toBase64(),
                    dash(r.sshFingerprint()), r.endpoints().isEmpty() ? "-" : String.join(",", r.endpoints()),
                    n.online() ? "online" : time(r.lastSeen()));
        }
        return table.toString();
    }

    @Descriptor("remove a node from the mesh: every peer drops it, and its token cannot bring it back")
    public String nodeRemove(@Descriptor("the node's name or public key") String nameOrKey) {
        NodeRecord r = service.coordinator().removeNode(nameOrKey);
        return "node " + r.name() + " (" + r.publicKey() + ") removed";
    }

    @Descriptor("show the coordinator: listen address, public key, mesh, members, online, connection and STUN counters")
    public String coordinator() {
        Coordinator coordinator;
        try {
            coordinator = service.coordinator();
        } catch (IllegalStateException e) {
            return "state: not running\nerror: " + e.getMessage();
        }
        Coordinator.Status s = coordinator.status();
        List<String> lines = new ArrayList<>(List.of(
                "state: running",
                "listen: " + HostPort.format(s.listen().getAddress(), s.listen().getPort()),
                "advertised: " + String.join(",", coordinator.advertised()),
                "public key: " + s.publicKey(),
                "mesh ipv4: " + s.mesh().ipv4Cidr(),
                "mesh ipv6: " + s.mesh().ipv6Prefix(),
                "members: " + s.members(),
                "online: " + s.online(),
                "connections: " + s.connections(),
                "unauthenticated: " + s.unauthenticated(),
                "deltas sent: " + s.deltasSent(),
                "stun: " + s.stun(),
                "stun requests: " + s.stunCounts().requests(),
                "stun answered: " + s.stunCounts().answered(),
                "stun ignored: " + s.stunCounts().ignored(),
                "stun send failures: " + s.stunCounts().sendFailures(),
                "relay links: " + s.relay().links(),
                "relay queued bytes: " + s.relay().queuedBytes(),
                "relay frames: " + s.relay().frames(),
                "relay bytes: " + s.relay().bytes(),
                "relay dropped unknown recipient: " + s.relay().unknownRecipient(),
                "relay dropped recipient full: " + s.relay().recipientFull(),
                "relay closed oversized: " + s.relay().oversized(),
                "relay refused: " + s.relay().refused(),
                "relay bad handshakes: " + s.relay().badHandshake()));
        for (Map.Entry<Counters.Kind, Long> c : s.counters().entrySet()) {
            lines.add("closed " + c.getKey().label() + ": " + c.getValue());
        }
        return String.join("\n", lines);
    }

    private static String time(Instant t) {
        return t == null ? "-" : t.truncatedTo(ChronoUnit.SECONDS).toString();
    }

    private static String dash(String s) {
        return s == null || s.isEmpty() ? "-" : s;
    }

    /** Left-aligned columns, two spaces apart. */
    private static final class Table {
        private final List<String[]> rows = new ArrayList<>();

        Table(String... header) {
            rows.add(header);
        }

        void row(String... cells) {
            rows.add(cells);
        }

        @Override
        public String toString() {
            int[] width = new int[rows.get(0).length];
            for (String[] row : rows) {
                for (int i = 0; i < row.length; i++) {
                    width[i] = Math.max(width[i], row[i].length());
                }
            }
            StringBuilder b = new StringBuilder();
            for (String[] row : rows) {
                StringBuilder line = new StringBuilder();
                for (int i = 0; i < row.length; i++) {
                    line.append(i + 1 < row.length ? String.format("%-" + width[i] + "s  ", row[i]) : row[i]);
                }
                b.append(line.toString().stripTrailing()).append('\n');
            }
            return b.toString().stripTrailing();
        }
    }
}
