package io.tunnelmesh.coordinator.client.internal;

import java.time.Duration;
import java.time.Instant;

/**
 * What {@code tm:coordinator} shows.
 *
 * @param state      {@code connected}, {@code connecting}, {@code removed}, {@code not a member}, {@code stopped} or {@code error}
 * @param address    the coordinator address of the current or last session, or null
 * @param lastUpdate when the last map or delta arrived, or null
 * @param attempts   failed connection attempts since the last session
 * @param detail     the last error, or null
 */
record LinkStatus(String state, String address, String name, int peers, Instant lastUpdate, int attempts, String detail) {
    String text(Instant now) {
        StringBuilder b = new StringBuilder();
        b.append("state: ").append(state).append('\n');
        b.append("coordinator: ").append(address == null ? "(none yet)" : address).append('\n');
        b.append("name: ").append(name == null ? "(from the host name)" : name).append('\n');
        b.append("peers: ").append(peers).append('\n');
        b.append("last update: ").append(lastUpdate == null ? "never" : lastUpdate + " (" + ago(lastUpdate, now) + ")").append('\n');
        b.append("reconnect attempts: ").append(attempts);
        if (detail != null) {
            b.append('\n').append("last error: ").append(detail);
        }
        return b.toString();
    }

    private static String ago(Instant then, Instant now) {
        long s = Math.max(0, Duration.between(then, now).toSeconds());
        return s < 120 ? s + " s ago" : s < 7200 ? s / 60 + " min ago" : s / 3600 + " h ago";
    }
}
