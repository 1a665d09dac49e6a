package io.tunnelmesh.tun.internal;

import java.io.IOException;
import java.util.concurrent.locks.LockSupport;

/**
 * This bundle's part of the node's JIT warm-up, on its own thread for each device opened: after the start, the
 * offload code in memory ({@link OffloadWarmup}, offloading devices only), then the device's system-call paths
 * ({@link DeviceWarmup}). It stops when the real device closes.
 */
final class TunWarmup implements Runnable {
    /** On 2 cores the warm-up otherwise slows the rest of the node's start and its first handshake. */
    static final long START_DELAY_NANOS = 2_000_000_000L;

    private final LinuxTunDevice device;
    private final int mtu;

    TunWarmup(LinuxTunDevice device, int mtu) {
        this.device = device;
        this.mtu = mtu;
    }

    @Override
    public void run() {
        long until = System.nanoTime() + START_DELAY_NANOS;
        while (System.nanoTime() - until < 0) {
            if (device.isClosed()) {
                return;
            }
            LockSupport.parkNanos(50_000_000L);
        }
        if (device.offloading()) {
            new OffloadWarmup(mtu).run(device::isClosed);
        }
        try (DeviceWarmup calls = new DeviceWarmup(mtu, device.offloading())) {
            calls.run(device::isClosed);
        } catch (IOException e) {
            // no socket pair: the device's calls warm up with real traffic instead
        }
    }
}
