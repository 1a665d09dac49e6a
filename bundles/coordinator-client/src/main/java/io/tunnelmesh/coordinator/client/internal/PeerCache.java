package io.tunnelmesh.coordinator.client.internal;

import io.tunnelmesh.control.ControlCodec;
import io.tunnelmesh.control.ControlMessage;
import io.tunnelmesh.control.ControlProtocolException;
import io.tunnelmesh.control.NodeEntry;
import io.tunnelmesh.control.PeerMap;
import io.tunnelmesh.support.log.ComponentLog;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.List;

/**
 * The last peer map, in {@code data/coordinator-peers.json} as the coordinator's own {@code map} message: a node
 * restarted while the coordinator is down still reaches its peers. Writes are atomic and coalesced to at most one
 * per interval, since a busy mesh sends many deltas. Synchronized: the link's thread writes it, and stopping the link flushes it.
 */
final class PeerCache {
    private final Path file;
    private final ControlCodec codec;
    private final InstantSource clock;
    private final Duration interval;
    private final ComponentLog log;
    private List<NodeEntry> pending;
    private Instant lastWrite = Instant.MIN;
    private String lastError;

    PeerCache(Path file, ControlCodec codec, InstantSource clock, Duration interval, ComponentLog log) {
        this.file = file;
        this.codec = codec;
        this.clock = clock;
        this.interval = interval;
        this.log = log;
    }

    /** @return the cached entries; empty (and one log line) when the file is missing or not a map */
    synchronized List<NodeEntry> load() {
        byte[] json;
        try {
            json = Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            return List.of();
        } catch (IOException e) {
            log.warn("cannot read the cached peer map " + file + ": " + e.getMessage() + "; waiting for the coordinator");
            return List.of();
        }
        try {
            ControlMessage message = codec.decode(json);
            if (message instanceof PeerMap map) {
                return map.peers();
            }
            log.warn("the cached peer map " + file + " holds a " + message.getClass().getSimpleName()
                    + " message, not a map: ignored, waiting for the coordinator");
        } catch (ControlProtocolException | RuntimeException e) {
            log.warn("the cached peer map " + file + " is corrupt (" + e.getMessage() + "): ignored, waiting for the coordinator");
        }
        return List.of();
    }

    /** Remembers {@code peers} and writes them now, or at the next {@link #flushIfDue} within the interval. */
    synchronized void save(List<NodeEntry> peers) {
        pending = List.copyOf(peers);
        flushIfDue();
    }

    synchronized void flushIfDue() {
        if (pending != null && !clock.instant().isBefore(lastWrite.plus(interval))) {
            flush();
        }
    }

    /** Writes a pending map now. */
    synchronized void flush() {
        if (pending == null) {
            return;
        }
        List<NodeEntry> peers = pending;
        pending = null;
        lastWrite = clock.instant();
        try {
            AtomicFiles.write(file, codec.encode(new PeerMap(peers)), true);
            lastError = null;
        } catch (IOException e) {
            String error = "cannot write the peer map cache " + file + ": " + e.getMessage();
            if (!error.equals(lastError)) {
                log.warn(error + "; a restart while the coordinator is down starts without peers");
                lastError = error;
            }
        }
    }

    /** Forgets the map (the node was removed from the mesh): nothing to restore on the next start. */
    synchronized void delete() {
        pending = null;
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            log.warn("cannot delete the peer map cache " + file + ": " + e.getMessage());
        }
    }
}
