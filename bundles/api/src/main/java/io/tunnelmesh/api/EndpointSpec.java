package io.tunnelmesh.api;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * An endpoint as configuration gives it, before a transport has read it: {@code TRANSPORT:ADDRESS}, e.g.
 * {@code udp:[fd00::2]:51820} or {@code relay:eu-1}, or a bare {@code HOST:PORT} / {@code [IPV6]:PORT}, which is
 * UDP. The node hands {@link #address()} to the bound transport named {@link #transport()}
 * ({@code Transport.parseEndpoint}) to get the {@link Endpoint} datagrams go to; a spec naming a transport that
 * is not installed is kept and waits for it.
 *
 * @param transport a transport name: a lower-case letter, then lower-case letters, digits or {@code -}
 * @param address   what that transport reads, printable ASCII without blanks or commas; for {@code udp} a valid
 *                  {@code HOST:PORT} (a host name is resolved by the transport, not here)
 */
public record EndpointSpec(String transport, String address) {
    /** The transport of a bare {@code HOST:PORT}. */
    public static final String UDP = "udp";

    private static final Pattern NAME = Pattern.compile("[a-z][a-z0-9-]*");
    private static final String EXAMPLES = "e.g. 192.0.2.1:51820, [fd00::2]:51820 or udp:[fd00::2]:51820";

    public EndpointSpec {
        if (transport == null || !NAME.matcher(transport).matches()) {
            throw new IllegalArgumentException("transport name '" + transport
                    + "' is not valid: use a lower-case letter, then lower-case letters, digits or '-', e.g. udp");
        }
        String text = transport + ":" + address;
        if (address == null || address.isEmpty()) {
            throw new IllegalArgumentException("endpoint '" + text + "' has no address after '" + transport
                    + ":': write TRANSPORT:ADDRESS, " + EXAMPLES);
        }
        if (!address.chars().allMatch(c -> c > 0x20 && c < 0x7f && c != ',')) {
            throw new IllegalArgumentException("endpoint of transport " + transport + " holds a blank, a comma or a"
                    + " character that is not printable ASCII: write TRANSPORT:ADDRESS, " + EXAMPLES);
        }
        if (UDP.equals(transport)) {
            address = canonicalUdp(HostPort.parse(address, "udp endpoint", 51820));
        }
    }

    /** An IP literal in the form operators write ({@code fd00::7}, not {@code fd00:0::7}); a name as given. */
    private static String canonicalUdp(HostPort hp) {
        if (!hp.isIpLiteral()) {
            return hp.toString();
        }
        try {
            return HostPort.format(InetAddress.getByName(hp.host()), hp.port()); // a literal: no DNS lookup
        } catch (UnknownHostException e) {
            return hp.toString();
        }
    }

    /**
     * Reads {@code NAME:REST} as an endpoint of transport NAME when NAME is a transport name and REST is not a
     * port number; anything else, e.g. {@code host:51820}, {@code 192.0.2.1:51820} or {@code [fd00::2]:51820},
     * is a UDP {@code HOST:PORT}.
     *
     * @throws IllegalArgumentException one line naming the text and what to write instead
     */
    public static EndpointSpec parse(String text) {
        String t = text == null ? "" : text.strip();
        if (t.isEmpty()) {
            throw new IllegalArgumentException("endpoint is empty: write HOST:PORT or TRANSPORT:ADDRESS, " + EXAMPLES);
        }
        int colon = t.indexOf(':');
        if (colon > 0 && !unbracketedIpv6(t)) {
            String name = t.substring(0, colon);
            String rest = t.substring(colon + 1);
            if (NAME.matcher(name).matches() && !(rest.length() > 0 && rest.chars().allMatch(c -> c >= '0' && c <= '9'))) {
                return new EndpointSpec(name, rest);
            }
        }
        return new EndpointSpec(UDP, HostPort.parse(t, "endpoint", 51820).toString());
    }

    /** An IPv6 literal (with a port) written without brackets is read as UDP, so its error says to add them. */
    private static boolean unbracketedIpv6(String t) {
        boolean hexAndColons = t.chars().allMatch(c -> Character.digit(c, 16) >= 0 || c == ':' || c == '.');
        return hexAndColons && (t.contains("::") || t.chars().filter(c -> c == ':').count() >= 3);
    }

    /**
     * Several endpoints separated by commas, in order of preference; blanks around them and empty entries are
     * ignored, and so is a repeated one.
     */
    public static List<EndpointSpec> parseList(String text) {
        Set<EndpointSpec> specs = new LinkedHashSet<>();
        for (String part : (text == null ? "" : text).split(",")) {
            if (!part.isBlank()) {
                specs.add(parse(part));
            }
        }
        return List.copyOf(specs);
    }

    /** The canonical text, always with the transport's name: {@code udp:192.0.2.1:51820}. */
    @Override
    public String toString() {
        return transport + ":" + address;
    }
}
