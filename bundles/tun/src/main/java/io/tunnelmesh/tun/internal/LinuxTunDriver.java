package io.tunnelmesh.tun.internal;

import io.tunnelmesh.api.tun.TunConfig;
import io.tunnelmesh.api.tun.TunDevice;
import io.tunnelmesh.api.tun.TunDriver;
import java.io.IOException;
import java.util.Map;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.metatype.annotations.Designate;

/**
 * The Linux TUN driver: creates the interface through {@code /dev/net/tun}, sets MTU, queue length and up flag
 * by ioctl and its addresses by rtnetlink, all in-process (no {@code ip} tool needed). The interface lives in the
 * network namespace of the thread that calls {@link #open}.
 *
 * <p>TCP segmentation and checksum offload ({@link OffloadTunDevice}) is on unless the configuration {@value #PID}
 * says {@code offload=false}; a kernel that refuses it gets a plain TUN ({@link PlainTunDevice}, see
 * {@link TunFile}). A changed configuration activates the driver anew, so the node reopens its interface with it.
 */
@Component(service = TunDriver.class, configurationPid = LinuxTunDriver.PID, configurationPolicy = ConfigurationPolicy.OPTIONAL)
@Designate(ocd = DriverConfig.class)
public final class LinuxTunDriver implements TunDriver {
    static final String PID = "io.tunnelmesh.tun";
    static final String OFFLOAD = "offload";

    private final int offloads;
    /** Why the offload property was ignored, shown with each device's offload state; null when it was not. */
    private final String ignoredProperty;

    @Activate
    public LinuxTunDriver(Map<String, Object> properties) {
        Object value = properties.get(OFFLOAD);
        String text = value == null ? null : value.toString().trim();
        boolean off = "false".equalsIgnoreCase(text);
        offloads = off ? 0 : TunFile.TCP_OFFLOADS;
        ignoredProperty = off || text == null || "true".equalsIgnoreCase(text) ? null
                : OFFLOAD + "='" + text + "' in " + PID + " is neither true nor false, so offload stays on";
        Thread.ofPlatform().name("tm-tun-linker").daemon().start(PacketSyscalls::prepare);
    }

    /** @param offloads the TUN_F_* flags to ask the kernel for, 0 for a plain TUN */
    LinuxTunDriver(int offloads) {
        this.offloads = offloads;
        this.ignoredProperty = null;
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
        TunInterface tun = TunInterface.configure(file, request.name(), config);
        return file.virtioHeader() ? new OffloadTunDevice(tun) : new PlainTunDevice(tun);
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
