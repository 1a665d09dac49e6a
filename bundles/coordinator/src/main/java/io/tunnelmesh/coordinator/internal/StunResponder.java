package io.tunnelmesh.coordinator.internal;

import io.tunnelmesh.stun.BindingRequest;
import io.tunnelmesh.stun.BindingResponse;
import io.tunnelmesh.support.log.ComponentLog;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.DatagramChannel;
import java.util.Optional;
import java.util.concurrent.atomic.LongAdder;

/**
 * Answers STUN Binding requests (RFC 8489) on one UDP socket with the address each came from, so a node behind
 * a NAT learns its reflexive address; everything else gets no answer. One blocking thread: a request costs a
 * parse and a 68-byte write, far below what the control channel does per member.
 */
final class StunResponder implements AutoCloseable {
    /** What {@code tm:coordinator} prints. */
    record Counts(long requests, long answered, long ignored, long sendFailures) {
    }

    /** Larger datagrams are cut here, so their length no longer matches and they are ignored. */
    private static final int MAX_DATAGRAM = 1500;

    private final DatagramChannel channel;
    private final InetSocketAddress address;
    private final ComponentLog log;
    private final LongAdder requests = new LongAdder();
    private final LongAdder answered = new LongAdder();
    private final LongAdder ignored = new LongAdder();
    private final LongAdder sendFailures = new LongAdder();
    private final Thread thread;

    private StunResponder(DatagramChannel channel, ComponentLog log) throws IOException {
        this.channel = channel;
        this.address = (InetSocketAddress) channel.getLocalAddress();
        this.log = log;
        this.thread = Thread.ofPlatform().name("tm-coordinator-stun").daemon().unstarted(this::serve);
    }

    /**
     * Binds UDP {@code address} (a wildcard address means IPv4 and IPv6 where the system has both) and starts
     * answering.
     *
     * @throws IOException one line naming the port and what to do when it cannot be bound
     */
    static StunResponder start(InetSocketAddress address, ComponentLog log) throws IOException {
        DatagramChannel channel = DatagramChannel.open();
        try {
            channel.bind(address);
        } catch (IOException e) {
            channel.close();
            throw new IOException("cannot answer STUN on UDP port " + address.getPort() + ": " + e.getMessage()
                    + " (another STUN server such as coturn running? choose another port with --stun-port N, or 0 to turn STUN off)");
        }
        StunResponder responder = new StunResponder(channel, log);
        responder.thread.start();
        return responder;
    }

    InetSocketAddress address() {
        return address;
    }

    Counts counts() {
        return new Counts(requests.sum(), answered.sum(), ignored.sum(), sendFailures.sum());
    }

    private void serve() {
        ByteBuffer in = ByteBuffer.allocate(MAX_DATAGRAM);
        ByteBuffer out = ByteBuffer.allocate(MAX_DATAGRAM + BindingResponse.MAX_GROWTH);
        while (channel.isOpen()) {
            try {
                in.clear();
                SocketAddress from = channel.receive(in);
                in.flip();
                if (answer(in, (InetSocketAddress) from, out.clear())) {
                    channel.send(out.flip(), from);
                    answered.increment();
                }
            } catch (ClosedChannelException e) {
                return; // close() ends the thread this way
            } catch (IOException e) {
                // a send that fails (no route back) costs that one answer; counted, not logged, as it is per datagram
                sendFailures.increment();
            }
        }
    }

    /** @return whether {@code out} holds an answer to send back to {@code from} */
    private boolean answer(ByteBuffer datagram, InetSocketAddress from, ByteBuffer out) {
        Optional<BindingRequest> request = BindingRequest.parse(datagram);
        if (request.isEmpty() || from.getPort() == 0) {
            ignored.increment();
            return false;
        }
        requests.increment();
        BindingRequest r = request.get();
        if (r.unknownAttributes().isEmpty()) {
            BindingResponse.writeSuccess(out, r.transactionId(), from);
        } else {
            BindingResponse.writeUnknownAttributes(out, r.transactionId(), r.unknownAttributes());
        }
        return true;
    }

    @Override
    public void close() {
        try {
            channel.close();
            thread.join(2000);
        } catch (IOException e) {
            log.warn("closing the STUN responder: " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
