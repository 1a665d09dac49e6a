package io.tunnelmesh.coordinator.internal;

import org.osgi.service.log.Logger;

/** {@link CoordinatorLog} on the OSGi log service. */
final class LoggerCoordinatorLog implements CoordinatorLog {
    private final Logger log;

    LoggerCoordinatorLog(Logger log) {
        this.log = log;
    }

    @Override
    public void info(String message) {
        log.info(message);
    }

    @Override
    public void warn(String message) {
        log.warn(message);
    }

    @Override
    public void error(String message) {
        log.error(message);
    }
}
