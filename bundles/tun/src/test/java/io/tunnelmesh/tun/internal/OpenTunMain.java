package io.tunnelmesh.tun.internal;

import io.tunnelmesh.api.IpPrefix;
import io.tunnelmesh.api.tun.TunConfig;
import io.tunnelmesh.api.tun.TunDevice;
import java.io.IOException;
import java.util.List;
import java.util.Map;

/** Run by {@link WithoutNetAdminTest} in a process without CAP_NET_ADMIN: prints what open() says. */
public final class OpenTunMain {
    private OpenTunMain() {
    }

    public static void main(String[] args) {
        try (TunDevice device = new LinuxTunDriver(Map.of()).open(
                new TunConfig(args[0], List.of(IpPrefix.parse("10.213.0.1/24")), 1420, 0))) {
            System.out.println("opened " + device.name());
        } catch (IOException e) {
            System.out.println("IOException: " + e.getMessage());
        }
    }
}
