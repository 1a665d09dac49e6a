package io.tunnelmesh.logging.internal;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.Map;
import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.log.LogEntry;
import org.osgi.service.log.LogLevel;
import org.osgi.service.log.LogListener;
import org.osgi.service.log.LogReaderService;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/**
 * Every bundle logs through the OSGi Log Service (the standard facade DS injects as {@code Logger}); this
 * component writes its entries to the console (one line each, no stack traces) and to
 * {@code data/log/tunnelmesh.log} (with stack traces, for whoever debugs).
 */
@Component(service = {}, immediate = true, configurationPid = LogWriter.PID, configurationPolicy = ConfigurationPolicy.OPTIONAL)
@Designate(ocd = LogWriter.Config.class)
public class LogWriter implements LogListener {
    static final String PID = "io.tunnelmesh.logging";
    /** One definition of each default: the metatype shows it, and a bad value falls back to it. */
    static final String DEFAULT_LEVEL = "INFO";
    static final boolean DEFAULT_CONSOLE = true;
    static final int DEFAULT_MAX_MEGABYTES = 10;

    @ObjectClassDefinition(name = "TunnelMesh/J logging", description = "Where log entries go and from which level")
    public @interface Config {
        @AttributeDefinition(description = "Lowest level written: ERROR, WARN, INFO, DEBUG or TRACE")
        String level() default DEFAULT_LEVEL;

        @AttributeDefinition(description = "Also write entries to the console (standard output)")
        boolean console() default DEFAULT_CONSOLE;

        @AttributeDefinition(description = "Rotate the log file when it grows past this many megabytes")
        int max_megabytes() default DEFAULT_MAX_MEGABYTES;
    }

    private final LogReaderService reader;
    private final LogFile file;
    private final PrintStream console;
    private volatile LogLevel threshold = LogLevel.INFO;
    private volatile boolean toConsole;

    /**
     * {@code config} is not read: it is there so DS gives the component its defaults as properties. The values
     * are read raw (see {@link #modified}).
     */
    @Activate
    public LogWriter(@Reference LogReaderService reader, BundleContext context, Config config, Map<String, Object> raw)
            throws IOException {
        this.reader = reader;
        String data = context.getProperty("tm.data");
        this.file = new LogFile(Path.of(data != null ? data : "data").resolve("log").resolve("tunnelmesh.log"));
        this.console = System.out;
        modified(context, raw);
        reader.addLogListener(this);
    }

    @Modified
    void modified(BundleContext context, Map<String, Object> raw) {
        // DS would quietly turn "abc" into 0 and "maybe" into false: say so instead, and keep the default.
        ConfigCheck check = new ConfigCheck(PID, raw, System.err);
        threshold = check.level("level", LogLevel.valueOf(DEFAULT_LEVEL));
        // A one-shot command (init, pubkey) prints its own result; log lines would only clutter it.
        toConsole = check.bool("console", DEFAULT_CONSOLE) && !"true".equals(context.getProperty("tm.oneshot"));
        file.setMaxBytes(check.positiveInt("max.megabytes", DEFAULT_MAX_MEGABYTES) * 1024L * 1024L);
    }

    @Override
    public void logged(LogEntry entry) {
        if (!threshold.implies(entry.getLogLevel()) || isRoutineEvent(entry)) {
            return;
        }
        String line = LogLineFormat.line(entry);
        if (toConsole) {
            console.println(line);
        }
        file.append(line, entry.getException());
    }

    /** The framework logs every bundle and service event; only their warnings and errors matter here. */
    private boolean isRoutineEvent(LogEntry entry) {
        String name = entry.getLoggerName();
        return name != null && name.startsWith("Events.") && LogLevel.INFO.implies(entry.getLogLevel())
                && !threshold.implies(LogLevel.DEBUG);
    }

    @Deactivate
    void deactivate() {
        reader.removeLogListener(this);
        file.close();
    }
}
