package io.tunnelmesh.transport.udp.internal;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** When UDP_GRO is turned off and on again, in virtual nanoseconds. */
class GroSwitchTest {
    private static final int SINGLE = 1;
    /** A run of TCP acknowledgements, or of a segmented send: several datagrams in one read. */
    private static final int RUN = 3;
    private static final long MICROS = 1_000L;

    private final GroSwitch groSwitch = new GroSwitch();
    private long now = 1_000_000_000L;

    /** {@code n} reads of {@code datagrams} each, {@code gapNanos} apart. */
    private void reads(int n, int datagrams, long gapNanos) {
        for (int i = 0; i < n; i++) {
            now += gapNanos;
            groSwitch.read(datagrams, now);
        }
    }

    @Test
    void singleDatagramsBackToBackTurnGroOffAndItComesBackAfterTheHold() {
        assertTrue(groSwitch.wantsGro(now));
        reads(GroSwitch.WINDOW, SINGLE, 3 * MICROS);
        assertFalse(groSwitch.wantsGro(now), "a flood of initiations, one recvmsg each: recvmmsg batches instead");
        now += GroSwitch.HOLD_NANOS - 1;
        assertFalse(groSwitch.wantsGro(now));
        now += 1;
        assertTrue(groSwitch.wantsGro(now), "after the hold GRO is tried again");
        reads(GroSwitch.WINDOW, SINGLE, 3 * MICROS);
        assertFalse(groSwitch.wantsGro(now), "the flood goes on: off again after one window");
    }

    @Test
    void runsKeepGroOnEvenBackToBack() {
        for (int window = 0; window < 10; window++) {
            reads(GroSwitch.WINDOW - GroSwitch.FEW_RUNS - 1, SINGLE, 3 * MICROS);
            reads(GroSwitch.FEW_RUNS + 1, RUN, 3 * MICROS);
        }
        assertTrue(groSwitch.wantsGro(now), "a peer's segmented sends arrive as runs: GRO pays");
    }

    @Test
    void singleDatagramsAtAnOrdinaryPaceKeepGroOn() {
        reads(10 * GroSwitch.WINDOW, SINGLE, 50 * MICROS);
        assertTrue(groSwitch.wantsGro(now), "20,000 reads/s: one recvmsg per read keeps up, and a run arriving among them is still taken whole");
    }

    @Test
    void aFewSinglesAmongRunsKeepGroOn() {
        reads(GroSwitch.WINDOW / 2, RUN, 3 * MICROS);
        reads(GroSwitch.WINDOW / 2, SINGLE, 3 * MICROS);
        assertTrue(groSwitch.wantsGro(now));
    }
}
