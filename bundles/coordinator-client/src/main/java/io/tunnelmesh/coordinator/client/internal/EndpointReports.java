package io.tunnelmesh.coordinator.client.internal;

import io.tunnelmesh.api.IpPrefix;
import io.tunnelmesh.control.EndpointsReport;
import io.tunnelmesh.control.Welcome;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * What this node tells the coordinator about where it listens: the local endpoints with the reflexive ones (STUN)
 * in front, in the hello and then in an {@code endpoints} message when they change, checked every
 * {@code checkEvery} and at once when STUN finds new ones. Link thread only.
 */
final class EndpointReports {
    private final LocalReport local;
    private final ReflexiveEndpoints reflexive;
    private final Duration checkEvery;
    private List<IpPrefix> meshPrefixes = List.of();
    private EndpointsReport reported;
    private List<String> reflexiveReported;
    private Instant nextCheck;

    EndpointReports(LocalReport local, ReflexiveEndpoints reflexive, Duration checkEvery) {
        this.local = local;
        this.reflexive = reflexive;
        this.checkEvery = checkEvery;
    }

    /** The report a new session's hello carries. */
    EndpointsReport forHello() {
        reported = report(reflexive.current());
        return reported;
    }

    /** The session was welcomed: its mesh prefixes are left out from now on, and STUN is asked at once. */
    void welcomed(Welcome welcome) {
        meshPrefixes = prefixes(welcome);
        reflexive.askSoon();
    }

    /** The session's exchange begins. */
    void start(Instant now) {
        nextCheck = now.plus(checkEvery);
        reflexiveReported = reflexive.current();
    }

    /** Asks STUN when due, and sends an {@code endpoints} message when the report changed. */
    void refresh(ControlConnection c, Instant now) throws IOException {
        reflexive.refresh(c.address(), now);
        List<String> reflexiveNow = reflexive.current();
        if (!now.isBefore(nextCheck) || !reflexiveNow.equals(reflexiveReported)) {
            EndpointsReport current = report(reflexiveNow);
            if (!current.equals(reported)) {
                c.send(current);
                reported = current;
            }
            reflexiveReported = reflexiveNow;
            nextCheck = now.plus(checkEvery);
        }
    }

    /** The local endpoints with the reflexive ones (STUN) in front. */
    private EndpointsReport report(List<String> reflexiveEndpoints) {
        return ReflexiveEndpoints.withReflexive(local.current(meshPrefixes), reflexiveEndpoints);
    }

    private static List<IpPrefix> prefixes(Welcome welcome) {
        List<IpPrefix> out = new ArrayList<>(2);
        for (String cidr : new String[] {welcome.ipv4Cidr(), welcome.ipv6Prefix()}) {
            try {
                if (cidr != null) {
                    out.add(IpPrefix.parse(cidr));
                }
            } catch (IllegalArgumentException e) {
                // not worth failing the session: only the endpoint filter uses it
            }
        }
        return List.copyOf(out);
    }
}
