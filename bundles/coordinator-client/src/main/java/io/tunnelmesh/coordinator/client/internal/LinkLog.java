package io.tunnelmesh.coordinator.client.internal;

/** The link's few log lines, so it runs under DS (the OSGi Logger) and in plain tests alike. */
interface LinkLog {
    void info(String message);

    void warn(String message);

    void error(String message);
}
