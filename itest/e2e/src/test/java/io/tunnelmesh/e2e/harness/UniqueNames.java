package io.tunnelmesh.e2e.harness;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * Names for namespaces and interfaces that cannot collide with another run on the same machine: they carry this
 * JVM's PID and a counter. Interface names stay within Linux's 15 characters; wireguard-go's control socket lives in
 * the machine-wide /var/run/wireguard, so its interface names must be unique across namespaces too.
 */
public final class UniqueNames {
    private static final AtomicInteger COUNTER = new AtomicInteger();
    private static final long PID = ProcessHandle.current().pid() % 1_000_000;

    private UniqueNames() {
    }

    public static String namespace() {
        return "tm-" + PID + "-" + COUNTER.incrementAndGet();
    }

    /** {@code prefix} of at most 3 characters, e.g. "wg", "tm", "ve". */
    public static String iface(String prefix) {
        return prefix + PID + "x" + COUNTER.incrementAndGet();
    }
}
