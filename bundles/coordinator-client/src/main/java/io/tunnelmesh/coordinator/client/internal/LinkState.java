package io.tunnelmesh.coordinator.client.internal;

import io.tunnelmesh.support.log.ComponentLog;
import java.time.Instant;

/**
 * The link's state as {@code tm:coordinator} shows it ({@link LinkStatus}): written by the link's thread, read by the
 * command's.
 */
final class LinkState {
    static final String CONNECTING = "connecting";
    static final String CONNECTED = "connected";
    static final String NOT_A_MEMBER = "not a member";
    static final String REMOVED = "removed";
    static final String STOPPED = "stopped";

    private final String name;
    private final ComponentLog log;
    private volatile String state = CONNECTING;
    private volatile String address;
    private volatile Instant lastUpdate;
    private volatile int failures;
    private volatile String lastError;
    private volatile int peers;

    LinkState(String name, ComponentLog log) {
        this.name = name;
        this.log = log;
    }

    LinkStatus status() {
        return new LinkStatus(state, address, name, peers, lastUpdate, failures, lastError);
    }

    /** {@link #CONNECTING}, {@link #CONNECTED}, {@link #NOT_A_MEMBER}, {@link #REMOVED} or {@link #STOPPED} */
    String state() {
        return state;
    }

    void connecting() {
        state = CONNECTING;
    }

    /** The coordinator address of the current session. */
    void address(String now) {
        address = now;
    }

    void connected() {
        failures = 0;
        lastError = null;
        state = CONNECTED;
    }

    void peers(int count) {
        peers = count;
    }

    /** A map or delta arrived. */
    void updated(Instant now, int count) {
        lastUpdate = now;
        peers = count;
    }

    void notMember(String error) {
        state = NOT_A_MEMBER;
        lastError = error;
        peers = 0;
    }

    void removed(String reason) {
        peers = 0;
        lastError = reason;
        state = REMOVED;
    }

    void stopped() {
        state = STOPPED;
    }

    /** A session failed; logged once per new reason. */
    void failed(String message) {
        failures++;
        String line = message == null ? "connection failed" : message.lines().findFirst().orElse(message);
        if (!line.equals(lastError)) {
            log.warn("coordinator link: " + line + "; retrying with backoff (peers stay as they are)");
        }
        lastError = line;
    }
}
