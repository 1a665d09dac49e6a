package io.tunnelmesh.node.internal;

import org.osgi.service.log.Logger;

/** {@link NodeLog} on the OSGi Log Service logger DS injects. */
final class LoggerNodeLog implements NodeLog {
    private final Logger logger;

    LoggerNodeLog(Logger logger) {
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
