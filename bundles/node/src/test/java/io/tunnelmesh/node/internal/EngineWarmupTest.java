package io.tunnelmesh.node.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class EngineWarmupTest {
    @Test
    void handshakesAndCarriesDataBetweenTwoThrowawayEngines() {
        EngineWarmup.Result r = new EngineWarmup(RealEngine.service(), NodeLog.SILENT).warmUp();
        assertTrue(r.handshakes() >= 3, r.toString());
        assertTrue(r.delivered() > 500, r.toString());
    }

    @Test
    void aFailingServiceIsReportedNotThrown() {
        List<String> lines = new ArrayList<>();
        NodeLog log = new NodeLog() {
            @Override
            public void info(String message) {
                lines.add(message);
            }

            @Override
            public void warn(String message) {
            }

            @Override
            public void error(String message) {
            }
        };
        EngineWarmup.Result r = new EngineWarmup(options -> {
            throw new IllegalStateException("cipher gone");
        }, log).warmUp();
        assertEquals(new EngineWarmup.Result(0, 0), r);
        assertEquals(1, lines.size());
        assertTrue(lines.get(0).startsWith("packet path warm-up skipped"), lines.get(0));
    }
}
