package io.tunnelmesh.coordinator.client.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Join sets two keys of the node's config and leaves every other line as the operator wrote it. */
class NodeConfigFileTest {
    private static final Map<String, String> SET = new LinkedHashMap<>(Map.of("address", "100.64.0.7/16"));

    static {
        SET.put("psk.file", "/srv/tm/data/mesh.psk");
    }

    @Test
    void replacesTheKeysLinesInPlaceAndKeepsComments() {
        List<String> in = List.of("# address=1.2.3.4/8 in a comment stays", "  address = 10.99.0.1/24", "mtu=1420", "psk.file:");
        assertEquals(List.of("# address=1.2.3.4/8 in a comment stays", "address=100.64.0.7/16", "mtu=1420",
                "psk.file=/srv/tm/data/mesh.psk"), NodeConfigFile.merge(in, SET));
    }

    @Test
    void appendsMissingKeysAndDropsLaterDuplicates() {
        List<String> in = List.of("mtu=1420", "address=10.0.0.1/24", "address=10.0.0.2/24");
        assertEquals(List.of("mtu=1420", "address=100.64.0.7/16", "psk.file=/srv/tm/data/mesh.psk"), NodeConfigFile.merge(in, SET));
    }

    @Test
    void aContinuedValueIsReplacedWholeAndOtherContinuedValuesStay() {
        List<String> in = List.of("address=10.0.0.1/24,\\", "  fd00::1/64", "interface.name=tm\\", "0");
        assertEquals(List.of("address=100.64.0.7/16", "interface.name=tm\\", "0", "psk.file=/srv/tm/data/mesh.psk"),
                NodeConfigFile.merge(in, SET));
    }

    @Test
    void aKeyThatOnlyStartsLikeOneIsNotTouched() {
        List<String> in = List.of("address.extra=1", "addresses=2");
        assertEquals(List.of("address.extra=1", "addresses=2", "address=100.64.0.7/16", "psk.file=/srv/tm/data/mesh.psk"),
                NodeConfigFile.merge(in, SET));
    }

    @Test
    void readsThePortAndInterfaceWithDefaults(@TempDir Path dir) throws Exception {
        NodeConfigFile file = new NodeConfigFile(dir);
        assertEquals(51820, file.listenPort());
        assertEquals("tm0", file.interfaceName());
        Files.writeString(file.path(), "listen.port=not-a-port\ninterface.name=mesh1\n");
        assertEquals(51820, file.listenPort());
        assertEquals("mesh1", file.interfaceName());
    }

    @Test
    void aBackslashInAPathSurvivesTheRoundTrip(@TempDir Path dir) throws Exception {
        NodeConfigFile file = new NodeConfigFile(dir);
        file.set(Map.of("psk.file", "C:\\tm\\mesh.psk"));
        assertEquals("C:\\tm\\mesh.psk", NodeConfigFile.readProperties(Files.readString(file.path())).get("psk.file"));
    }
}
