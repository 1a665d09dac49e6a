package io.tunnelmesh.coordinator.internal;

import io.tunnelmesh.api.StaticKeyPair;
import io.tunnelmesh.api.coordinator.CoordinatorStore;
import io.tunnelmesh.support.log.ComponentLog;
import java.io.IOException;
import java.nio.file.Path;
import java.time.InstantSource;
import java.util.Map;
import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.log.Logger;
import org.osgi.service.log.LoggerFactory;
import org.osgi.service.metatype.annotations.Designate;

/**
 * Runs the {@link Coordinator} under DS with the settings of PID {@code io.tunnelmesh.coordinator} and the key
 * in {@code data/coordinator.key}. A bad setting or key never throws out of here: the service stays registered
 * with one line saying why the coordinator is not running, which every command repeats.
 */
@Component(service = CoordinatorService.class, configurationPid = CoordinatorSettings.PID,
        configurationPolicy = ConfigurationPolicy.OPTIONAL, immediate = true)
@Designate(ocd = CoordinatorConfig.class)
public final class CoordinatorService {
    private final Logger log;
    private final CoordinatorStore store;
    private final Object lock = new Object();
    private Coordinator running;
    private String error = "not started yet";

    @Activate
    public CoordinatorService(@Reference(service = LoggerFactory.class) Logger log, @Reference CoordinatorStore store) {
        this.log = log;
        this.store = store;
    }

    @Activate
    void activate(BundleContext context, Map<String, Object> properties) {
        synchronized (lock) {
            start(context, properties);
        }
    }

    @Modified
    void modified(BundleContext context, Map<String, Object> properties) {
        synchronized (lock) {
            stop();
            start(context, properties);
        }
    }

    @Deactivate
    void deactivate() {
        synchronized (lock) {
            stop();
        }
    }

    /** @throws IllegalStateException one line saying why the coordinator is not running */
    Coordinator coordinator() {
        synchronized (lock) {
            if (running == null) {
                throw new IllegalStateException("the coordinator is not running: " + error);
            }
            return running;
        }
    }

    private void start(BundleContext context, Map<String, Object> properties) {
        try {
            CoordinatorSettings settings = CoordinatorSettings.parse(properties, context::getProperty);
            String data = context.getProperty("tm.data");
            Path keyFile = Path.of(data == null ? "data" : data, CoordinatorKeyFile.FILE_NAME);
            StaticKeyPair key = CoordinatorKeyFile.loadOrCreate(keyFile);
            running = Coordinator.start(store, key, settings, Limits.defaults(), ComponentLog.of(log),
                    InstantSource.system());
            error = null;
        } catch (IOException | IllegalArgumentException | IllegalStateException e) {
            error = e.getMessage();
            log.error("coordinator not started: " + error);
        }
    }

    private void stop() {
        if (running != null) {
            running.close();
            running = null;
            error = "stopped";
        }
    }
}
