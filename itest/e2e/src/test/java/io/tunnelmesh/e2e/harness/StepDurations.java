package io.tunnelmesh.e2e.harness;

import java.util.Locale;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/** Prints how long each step of an ordered scenario took ("[e2e] PREFIX: step() took N ms"), for CI logs. */
public final class StepDurations implements BeforeEachCallback, AfterEachCallback {
    private final String prefix;
    private long stepStart;

    public StepDurations(String prefix) {
        this.prefix = prefix;
    }

    @Override
    public void beforeEach(ExtensionContext context) {
        stepStart = System.nanoTime();
    }

    @Override
    public void afterEach(ExtensionContext context) {
        System.out.printf(Locale.ROOT, "[e2e] %s: %s took %d ms%n", prefix, context.getDisplayName(),
                (System.nanoTime() - stepStart) / 1_000_000);
    }
}
