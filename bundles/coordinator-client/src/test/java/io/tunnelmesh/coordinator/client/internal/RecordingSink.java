package io.tunnelmesh.coordinator.client.internal;

import io.tunnelmesh.api.NodeKey;
import io.tunnelmesh.api.PeerConfig;
import io.tunnelmesh.api.node.NodeStatus;
import io.tunnelmesh.api.node.PeerSink;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/** A PeerSink that records each call, for tests to take in order with a bounded wait. */
class RecordingSink implements PeerSink {
    sealed interface Call permits Replace, Update {
    }

    record Replace(List<PeerConfig> peers) implements Call {
    }

    record Update(List<PeerConfig> upserts, List<NodeKey> removed) implements Call {
    }

    final BlockingQueue<Call> calls = new LinkedBlockingQueue<>();

    @Override
    public void replaceAll(Collection<PeerConfig> peers) {
        calls.add(new Replace(List.copyOf(peers)));
    }

    @Override
    public void update(Collection<PeerConfig> upserts, Collection<NodeKey> removed) {
        calls.add(new Update(List.copyOf(upserts), List.copyOf(removed)));
    }

    @Override
    public NodeStatus nodeStatus() {
        return null; // no node: the link reports from the configuration file
    }

    <T extends Call> T next(Class<T> type, Duration timeout) throws InterruptedException {
        Call c = calls.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
        if (c == null) {
            throw new AssertionError("no " + type.getSimpleName() + " call within " + timeout);
        }
        if (!type.isInstance(c)) {
            throw new AssertionError("expected " + type.getSimpleName() + ", got " + c);
        }
        return type.cast(c);
    }

    /** Skips calls until a replaceAll with {@code size} peers, waiting at most {@code timeout} in all. */
    Replace nextReplaceOf(int size, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            Call c = calls.poll(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            if (c == null) {
                throw new AssertionError("no replaceAll of " + size + " peers within " + timeout);
            }
            if (c instanceof Replace r && r.peers().size() == size) {
                return r;
            }
        }
    }
}
