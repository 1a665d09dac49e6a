package io.tunnelmesh.coordinator.internal;

/**
 * The log calls the server makes, so it runs under DS (adapted to the OSGi {@code Logger}) and in plain tests
 * alike. Never called per message; hostile-input lines go through {@link RateLimitedLog}.
 */
public interface CoordinatorLog {
    void info(String message);

    void warn(String message);

    void error(String message);

    CoordinatorLog SILENT = new CoordinatorLog() {
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
