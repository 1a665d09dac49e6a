package io.tunnelmesh.tun.internal;

import io.tunnelmesh.api.tun.TunConfig;
import io.tunnelmesh.api.tun.TunDevice;
import io.tunnelmesh.api.tun.TunDriver;
import java.io.IOException;
import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;

/**
 * The Linux TUN driver: creates the interface through {@code /dev/net/tun}, sets MTU, queue length and up flag
 * by ioctl and its addresses by rtnetlink, all in-process (no {@code ip} tool needed). The interface lives in the
 * network namespace of the thread that calls {@link #open}.
 *
 * <p>TCP segmentation and checksum offload is on unless the framework (or system) property
 * {@value #OFFLOAD_PROPERTY} is {@code false}; a kernel that refuses it gets a plain TUN (see {@link TunFile}).
 */
@Component(service = TunDriver.class)
public final class LinuxTunDriver implements TunDriver {
    /**
     * Used when the config leaves the queue length unset (0). The kernel default of 500 drops bursts when the
     * reader wakes late; 10000 did not drop in the same test (see docs/PERFORMANCE.md).
     */
    static final int DEFAULT_TX_QUEUE_LENGTH = 10_000;
    static final String OFFLOAD_PROPERTY = "tm.tun.offload";
    /** The node's warm-up switch (config/framework.properties): {@code false} skips this bundle's part too. */
    static final String WARMUP_PROPERTY = "tm.warmup";

    private int offloads;
    /** Set when running as the DS component: devices it opens warm their code up (see TunWarmup). */
    private boolean warmUp;
    /** Why the offload property was ignored, shown with each device's offload state; null when it was not. */
    private String ignoredProperty;

    public LinuxTunDriver() {
        configureOffload(System.getProperty(OFFLOAD_PROPERTY));
    }

    /** @param offloads the TUN_F_* flags to ask the kernel for, 0 for a plain TUN */
    LinuxTunDriver(int offloads) {
        this.offloads = offloads;
    }

    @Activate
    void activate(BundleContext context) {
        configureOffload(context.getProperty(OFFLOAD_PROPERTY));
        warmUp = !"false".equalsIgnoreCase(context.getProperty(WARMUP_PROPERTY));
        Thread.ofPlatform().name("tm-tun-linker").daemon().start(PacketSyscalls::prepare);
    }

    private void configureOffload(String property) {
        boolean off = "false".equalsIgnoreCase(property);
        offloads = off ? 0 : TunFile.TCP_OFFLOADS;
        ignoredProperty = off || property == null || "true".equalsIgnoreCase(property) ? null
                : OFFLOAD_PROPERTY + "='" + property + "' is neither true nor false, so offload stays on";
    }

    @Override
    public TunDevice open(TunConfig config) throws IOException {
        String name = config.name();
        checkName(name);
        InterfaceRequest request = new InterfaceRequest(name);
        TunFile.Attached file = TunFile.attach(request, offloads);
        if (ignoredProperty != null) {
            file = new TunFile.Attached(file.fd(), file.virtioHeader(), file.offload() + "; " + ignoredProperty);
        }
        int fd = file.fd();
        String actualName = request.name();
        WakeSignal wake = null;
        try (InterfaceControl control = new InterfaceControl(actualName)) {
            control.setMtu(config.mtu());
            int queue = config.txQueueLength() > 0 ? config.txQueueLength() : DEFAULT_TX_QUEUE_LENGTH;
            control.setQueueLength(queue);
            control.bringUp();
            InterfaceAddresses addresses = new InterfaceAddresses(actualName, control.index());
            addresses.set(config.addresses());
            wake = new WakeSignal();
            LinuxTunDevice device = new LinuxTunDevice(file, actualName, config.mtu(), wake, addresses);
            if (warmUp) {
                Thread.ofPlatform().name("tm-tun-warmup-" + actualName).daemon()
                        .start(new TunWarmup(device, config.mtu()));
            }
            return device;
        } catch (IOException | RuntimeException e) {
            LibC.close(fd); // removes the half-configured interface again
            if (wake != null) {
                wake.close();
            }
            throw e;
        }
    }

    /** The kernel's own rule (dev_valid_name), checked first so the message can say what is wrong. */
    static void checkName(String name) throws IOException {
        if (name.equals(".") || name.equals("..")) {
            throw new IOException("interface name '" + name + "' is not allowed: use letters, digits, '-' or '_'");
        }
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (c == '/' || c == ':' || Character.isWhitespace(c) || c > 0x7e || c < 0x21) {
                throw new IOException("interface name '" + name + "' contains '" + c
                        + "', which Linux does not allow: use letters, digits, '-' or '_'");
            }
        }
    }
}
