package io.tunnelmesh.coordinator.client.internal;

import java.io.IOException;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/** This machine's host name, which the coordinator turns into the node's name when no --name is given. */
final class HostName {
    private HostName() {
    }

    static String local() {
        try {
            String name = InetAddress.getLocalHost().getHostName();
            if (name != null && !name.isBlank()) {
                return name;
            }
        } catch (IOException e) {
            // a host name that does not resolve: /etc/hostname still has it
        }
        try {
            String name = Files.readString(Path.of("/etc/hostname"), StandardCharsets.UTF_8).strip();
            return name.isEmpty() ? "node" : name;
        } catch (IOException e) {
            return "node";
        }
    }
}
