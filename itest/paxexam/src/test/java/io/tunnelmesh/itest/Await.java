package io.tunnelmesh.itest;

import java.util.function.Supplier;

/** Bounded polling for things that happen asynchronously in the framework (DS, FileInstall). */
final class Await {
    private Await() {
    }

    static <T> T until(String what, long timeoutMillis, Supplier<T> probe) {
        long deadline = System.currentTimeMillis() + timeoutMillis;
        T value;
        while ((value = probe.get()) == null) {
            if (System.currentTimeMillis() > deadline) {
                throw new AssertionError("timed out after " + timeoutMillis + " ms waiting for " + what);
            }
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted waiting for " + what);
            }
        }
        return value;
    }

    static void condition(String what, long timeoutMillis, Supplier<Boolean> probe) {
        until(what, timeoutMillis, () -> Boolean.TRUE.equals(probe.get()) ? Boolean.TRUE : null);
    }
}
