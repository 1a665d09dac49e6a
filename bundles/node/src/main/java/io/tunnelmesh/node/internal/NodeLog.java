package io.tunnelmesh.node.internal;

/**
 * The few log calls the data plane makes, so it runs under DS (adapted to the OSGi {@code Logger}) and in
 * plain unit tests alike. Never called per packet.
 */
interface NodeLog {
    void info(String message);

    void warn(String message);

    void error(String message);

    NodeLog SILENT = new NodeLog() {
        @Override
        public void info(String message) {
        }

        @Override
        public void warn(String message) {
        }

        @Override
        public void error(String message) {
        }
    };
}
