package io.tunnelmesh.coordinator.client.internal;

import org.osgi.service.log.Logger;

/** {@link LinkLog} on the OSGi Log Service logger DS injects. */
final class LoggerLinkLog implements LinkLog {
    private final Logger logger;

    LoggerLinkLog(Logger logger) {
        this.logger = logger;
    }

    @Override
    public void info(String message) {
        logger.info(message);
    }

    @Override
    public void warn(String message) {
        logger.warn(message);
    }

    @Override
    public void error(String message) {
        logger.error(message);
    }
}
