package io.tunnelmesh.tun.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The device warm-up passes its packets through the real device code and leaves no file descriptor behind. */
class DeviceWarmupTest {
    @ParameterizedTest(name = "virtio header {0}")
    @ValueSource(booleans = {false, true})
    void everyRoundTakesAPacketInAndWritesItBackOut(boolean virtioHeader) throws IOException {
        long fdsBefore = openFds();
        int rounds;
        long echoed;
        try (DeviceWarmup warmup = new DeviceWarmup(1420, virtioHeader)) {
            rounds = warmup.run(() -> false);
            echoed = warmup.echoed;
        }
        assertTrue(rounds > 1_000, () -> "only " + rounds + " rounds in the warm-up's budget");
        assertEquals(rounds, echoed, "every round's packet came back whole");
        assertEquals(fdsBefore, openFds(), "the socket pair and the wake-up eventfd are closed again");
    }

    @ParameterizedTest(name = "virtio header {0}")
    @ValueSource(booleans = {false, true})
    void aCancelledWarmupDoesNothing(boolean virtioHeader) throws IOException {
        try (DeviceWarmup warmup = new DeviceWarmup(1420, virtioHeader)) {
            assertEquals(0, warmup.run(() -> true));
        }
    }

    private static long openFds() throws IOException {
        try (Stream<Path> fds = Files.list(Path.of("/proc/self/fd"))) {
            return fds.count();
        }
    }
}
