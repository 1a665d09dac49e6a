package io.tunnelmesh.coordinator.internal;

import io.tunnelmesh.api.NodeKey;
import io.tunnelmesh.api.coordinator.NodeRecord;
import io.tunnelmesh.control.ControlCodec;
import io.tunnelmesh.control.NodeEntry;
import io.tunnelmesh.control.PeerDelta;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * Members and their open sessions, owned by one thread so no lock is needed. Changes are coalesced for a
 * batch delay and go out as one delta, encoded once and sealed per session: a change costs O(sessions). A
 * removal goes out at once. A change of the online flag alone waits for the longer presence batch: in a
 * reconnect storm every node coming online is a delta to everyone (N² messages), and nothing but the flag
 * changed (docs/COORDINATOR.md: informational). The map a new session gets is spliced from each member's
 * cached entry JSON.
 *
 * <p>Why a new session's map and the deltas agree: the map is encoded from the state after the last flush
 * at the latest, and every change since then is still pending, so the session gets it in the next delta.
 * Deltas carry whole node entries, so receiving a change twice is harmless.
 */
final class PeerRegistry implements AutoCloseable {
    private final ControlCodec codec;
    private final InstantSource clock;
    private final EndpointRecorder recorder;
    private final ScheduledExecutorService thread;
    private final Map<NodeKey, Member> members = new HashMap<>();
    private final Set<NodeKey> changed = new LinkedHashSet<>();
    /** Members whose online flag alone changed; an entry in {@link #changed} carries the flag as well. */
    private final Set<NodeKey> presence = new LinkedHashSet<>();
    /** Written on the registry thread only; concurrent so commands can read who is online. */
    private final Map<NodeKey, MemberSession> sessions = new ConcurrentHashMap<>();
    /** The members' keys, readable from any thread (the relay admits members only). */
    private final Set<NodeKey> memberKeys = ConcurrentHashMap.newKeySet();
    private final Consumer<NodeKey> onRemoved;
    private volatile int memberCount;
    private byte[] encodedMap;
    private volatile long deltasSent;

    /** @param onRemoved told on the registry thread after a member was removed (the relay closes its link) */
    PeerRegistry(ControlCodec codec, InstantSource clock, EndpointRecorder recorder, long batchDelayMillis,
            long presenceDelayMillis, Consumer<NodeKey> onRemoved) {
        this.onRemoved = onRemoved;
        this.codec = codec;
        this.clock = clock;
        this.recorder = recorder;
        ScheduledThreadPoolExecutor executor = new ScheduledThreadPoolExecutor(1, r -> {
            Thread t = new Thread(r, "tm-coordinator-fanout");
            t.setDaemon(true);
            return t;
        });
        executor.setRemoveOnCancelPolicy(true);
        thread = executor;
        thread.scheduleWithFixedDelay(() -> guarded(() -> flush(changed)), batchDelayMillis, batchDelayMillis, TimeUnit.MILLISECONDS);
        thread.scheduleWithFixedDelay(() -> guarded(() -> flush(presence)), presenceDelayMillis, presenceDelayMillis,
                TimeUnit.MILLISECONDS);
    }

    /** The members the store holds at start. */
    void load(List<NodeRecord> records) {
        run(() -> {
            for (NodeRecord record : records) {
                members.put(record.publicKey(), new Member(record));
                memberKeys.add(record.publicKey());
            }
            memberCount = members.size();
            encodedMap = null;
        });
    }

    /** A node was admitted (new, or a known key joining again). */
    void joined(NodeRecord record) {
        run(() -> {
            Member old = members.get(record.publicKey());
            Member now = new Member(record);
            if (old != null) {
                now.online(old.online(), clock.instant());
            }
            members.put(record.publicKey(), now);
            memberKeys.add(record.publicKey());
            memberCount = members.size();
            changed.add(record.publicKey());
        });
    }

    /** A {@code connect} hello: admits the session when its key is a member, else refuses it. */
    void connect(MemberSession session, List<String> endpoints) {
        run(() -> {
            Member member = members.get(session.key());
            if (member == null) {
                session.notMember();
                return;
            }
            MemberSession old = sessions.put(session.key(), session);
            if (old != null) {
                old.bye("replaced by a newer connection from the same node");
            }
            boolean endpointsChanged = member.endpoints(endpoints);
            boolean cameOnline = member.online(true, clock.instant());
            if (endpointsChanged) {
                changed.add(session.key());
            } else if (cameOnline) {
                presence.add(session.key());
            }
            if (endpointsChanged) {
                recorder.record(session.key(), member.endpoints(), member.lastSeen());
            }
            session.admitted(member.entry(), map());
        });
    }

    /** An {@code endpoints} report (already merged with what the coordinator saw). */
    void endpoints(MemberSession session, List<String> endpoints) {
        run(() -> {
            Member member = members.get(session.key());
            if (member != null && sessions.get(session.key()) == session && member.endpoints(endpoints)) {
                changed.add(session.key());
                recorder.record(session.key(), member.endpoints(), clock.instant());
            }
        });
    }

    void disconnected(MemberSession session) {
        run(() -> {
            if (sessions.remove(session.key(), session)) {
                Member member = members.get(session.key());
                if (member != null && member.online(false, clock.instant())) {
                    presence.add(session.key());
                    recorder.record(session.key(), member.endpoints(), member.lastSeen());
                }
            }
        });
    }

    /** Removed by the operator: everyone hears it now (not at the next batch), the node itself gets bye. */
    void removed(NodeKey key) {
        run(() -> {
            members.remove(key);
            memberKeys.remove(key);
            onRemoved.accept(key);
            recorder.forget(key);
            memberCount = members.size();
            changed.remove(key);
            presence.remove(key);
            encodedMap = null;
            MemberSession gone = sessions.remove(key);
            if (gone != null) {
                gone.bye("removed from the mesh by the coordinator's operator");
            }
            byte[] delta = codec.encode(new PeerDelta(List.of(), List.of(key.toBase64())));
            sessions.values().forEach(s -> s.deliver(delta));
            deltasSent++;
        });
    }

    boolean isMember(NodeKey key) {
        return memberKeys.contains(key);
    }

    boolean isOnline(NodeKey key) {
        return sessions.containsKey(key);
    }

    int members() {
        return memberCount;
    }

    int online() {
        return sessions.size();
    }

    long deltasSent() {
        return deltasSent;
    }

    /** Spliced from the members' cached entries, and kept until the next change. */
    private byte[] map() {
        if (encodedMap == null) {
            List<byte[]> all = new ArrayList<>(members.size());
            for (Member m : members.values()) {
                all.add(m.encodedEntry(codec));
            }
            encodedMap = SplicedMap.of(all);
        }
        return encodedMap;
    }

    /** Sends one delta with every member in {@code pending} (the batch or the presence set) to every session. */
    private void flush(Set<NodeKey> pending) {
        if (pending.isEmpty()) {
            return;
        }
        List<NodeEntry> entries = new ArrayList<>(pending.size());
        for (NodeKey key : pending) {
            Member m = members.get(key);
            if (m != null) {
                entries.add(m.entry());
            }
            if (pending == changed) {
                presence.remove(key); // the whole entry, flag included, goes now
            }
        }
        pending.clear();
        encodedMap = null;
        byte[] delta = codec.encode(new PeerDelta(entries, List.of()));
        sessions.values().forEach(s -> s.deliver(delta));
        deltasSent++;
    }

    private void run(Runnable task) {
        try {
            thread.execute(() -> guarded(task));
        } catch (java.util.concurrent.RejectedExecutionException e) {
            // stopping: sessions are being closed anyway
        }
    }

    /** A bug in one update must neither stop the fan-out thread nor cancel the batch timer. */
    private static void guarded(Runnable task) {
        try {
            task.run();
        } catch (RuntimeException e) {
            Thread.currentThread().getUncaughtExceptionHandler().uncaughtException(Thread.currentThread(), e);
        }
    }

    @Override
    public void close() {
        thread.shutdownNow();
    }
}
