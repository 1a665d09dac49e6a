package io.tunnelmesh.logging.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.osgi.service.log.LogLevel;

class ConfigCheckTest {
    private final ByteArrayOutputStream report = new ByteArrayOutputStream();

    private ConfigCheck check(Map<String, Object> raw) {
        return new ConfigCheck("io.tunnelmesh.logging", raw, new PrintStream(report, true, StandardCharsets.UTF_8));
    }

    @Test
    void goodValuesAreReadSilently() {
        ConfigCheck c = check(Map.of("level", "debug", "console", "false", "max.megabytes", "5"));
        assertEquals(LogLevel.DEBUG, c.level("level", LogLevel.INFO));
        assertEquals(false, c.bool("console", true));
        assertEquals(5, c.positiveInt("max.megabytes", 10));
        assertEquals("", report.toString(StandardCharsets.UTF_8));
    }

    @Test
    void eachBadValueIsNamedWithItsFileAndTheValueUsedInstead() {
        ConfigCheck c = check(Map.of("level", "LOUD", "console", "maybe", "max.megabytes", "-3"));
        assertEquals(LogLevel.INFO, c.level("level", LogLevel.INFO));
        assertEquals(true, c.bool("console", true));
        assertEquals(10, c.positiveInt("max.megabytes", 10));
        var lines = report.toString(StandardCharsets.UTF_8).lines().toList();
        assertEquals(3, lines.size(), lines.toString());
        assertTrue(lines.get(0).contains("config/io.tunnelmesh.logging.cfg: level='LOUD'") && lines.get(0).contains("using INFO"), lines.get(0));
        assertTrue(lines.get(1).contains("console='maybe' is not true or false"), lines.get(1));
        assertTrue(lines.get(2).contains("max.megabytes='-3' is not a whole number above 0; using 10"), lines.get(2));
    }

    @Test
    void missingKeysFallBackQuietly() {
        ConfigCheck c = check(Map.of());
        assertEquals(LogLevel.WARN, c.level("level", LogLevel.WARN));
        assertEquals(7, c.positiveInt("max.megabytes", 7));
        assertEquals("", report.toString(StandardCharsets.UTF_8));
    }
}
