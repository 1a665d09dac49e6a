package io.tunnelmesh.support.log;

import org.osgi.service.log.Logger;

/**
 * The few log calls a component's plain classes make, so they run under DS (on the OSGi {@link Logger}) and in
 * plain unit tests alike. Never called per packet or per message.
 */
public interface ComponentLog {
    void info(String message);

    void warn(String message);

    void error(String message);

    ComponentLog SILENT = new ComponentLog() {
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

    /** The log on the OSGi Log Service logger DS injects. */
    static ComponentLog of(Logger logger) {
        return new ComponentLog() {
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
        };
    }
}
