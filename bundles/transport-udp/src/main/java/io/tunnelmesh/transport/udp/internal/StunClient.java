package io.tunnelmesh.transport.udp.internal;

import io.netty.channel.EventLoop;
import io.tunnelmesh.api.HostPort;
import io.tunnelmesh.stun.BindingRequest;
import io.tunnelmesh.stun.BindingResponse;
import io.tunnelmesh.stun.TransactionId;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;

/**
 * STUN Binding requests sent from one binding's socket, and the answers the {@link ReceiveHandler} hands back.
 * An answer counts only when its transaction id is pending and it came from the server that id was sent to;
 * anything else is dropped. Answers never reach the node and never touch a peer's endpoint.
 */
final class StunClient {
    /** A request with SOFTWARE and FINGERPRINT is 44 bytes. */
    private static final int REQUEST_BYTES = 64;

    private final UdpBinding binding;
    private final EventLoop loop;
    private final SecureRandom random = new SecureRandom();
    private final Map<TransactionId, Asked> pending = new ConcurrentHashMap<>();

    /** One request in flight: the server it went to and the discovery it belongs to. */
    private record Asked(InetSocketAddress server, Discovery discovery) {
    }

    StunClient(UdpBinding binding, EventLoop loop) {
        this.binding = binding;
        this.loop = loop;
    }

    /** Asks every resolved server; completes with the distinct mapped endpoints once all answered or at the timeout. */
    CompletableFuture<List<String>> discover(List<InetSocketAddress> servers, Duration timeout) {
        Discovery discovery = new Discovery(servers.size());
        if (servers.isEmpty()) {
            discovery.finish();
            return discovery.result;
        }
        for (int i = 0; i < servers.size(); i++) {
            discovery.ids.add(TransactionId.random(random)); // all ids first: an early answer or close may finish it
        }
        ByteBuffer request = ByteBuffer.allocate(REQUEST_BYTES);
        for (int i = 0; i < servers.size(); i++) {
            pending.put(discovery.ids.get(i), new Asked(servers.get(i), discovery));
            BindingRequest.write(request.clear(), discovery.ids.get(i));
            binding.send(request.flip(), new UdpEndpoint(servers.get(i)));
        }
        binding.flush();
        try {
            loop.schedule(discovery::finish, timeout.toNanos(), TimeUnit.NANOSECONDS);
        } catch (RejectedExecutionException e) {
            discovery.finish(); // the binding is closing: nothing will answer
        }
        return discovery.result;
    }

    /** A STUN message from {@code sender}, on the event loop; dropped unless it answers a pending request of that server. */
    void received(ByteBuffer datagram, InetSocketAddress sender) {
        BindingResponse response = BindingResponse.parse(datagram).orElse(null);
        if (response == null) {
            return;
        }
        Asked asked = pending.get(response.transactionId());
        if (asked == null || !asked.server().equals(sender) || !pending.remove(response.transactionId(), asked)) {
            return;
        }
        asked.discovery().answered(response.mapped());
    }

    /** Completes every discovery still waiting: the socket is gone. */
    void close() {
        for (Asked asked : List.copyOf(pending.values())) {
            asked.discovery().finish();
        }
    }

    /** Turns {@code HOST:PORT} texts into addresses; a name that does not resolve is left out. */
    static List<InetSocketAddress> resolve(List<String> servers) {
        List<HostPort> parsed = new ArrayList<>(servers.size());
        for (String text : servers) {
            parsed.add(HostPort.parse(text, "STUN server", 3478));
        }
        List<InetSocketAddress> out = new ArrayList<>(parsed.size());
        for (HostPort server : parsed) {
            InetSocketAddress address = server.resolve();
            if (!address.isUnresolved()) {
                out.add(address);
            }
        }
        return out;
    }

    /** One discover call: what its servers answered so far. */
    private final class Discovery {
        final CompletableFuture<List<String>> result = new CompletableFuture<>();
        final List<TransactionId> ids = new ArrayList<>();
        private final Set<String> seen = new LinkedHashSet<>();
        private int waiting;

        Discovery(int asked) {
            this.waiting = asked;
        }

        synchronized void answered(InetSocketAddress mapped) {
            seen.add(new UdpEndpoint(mapped).toString());
            if (--waiting == 0) {
                finish();
            }
        }

        synchronized void finish() {
            ids.forEach(pending::remove);
            result.complete(List.copyOf(seen));
        }
    }
}
