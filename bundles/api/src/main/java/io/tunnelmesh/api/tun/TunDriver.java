package io.tunnelmesh.api.tun;

import java.io.IOException;
import org.osgi.annotation.versioning.ProviderType;

/** The TUN driver concern: creates the node's virtual network interface. */
@ProviderType
public interface TunDriver {
    /**
     * Creates (or attaches to) the interface, sets its addresses and MTU and brings it up.
     *
     * @throws IOException with one line naming the problem and what to do (e.g. "/dev/net/tun: permission
     *                     denied: run as root or grant CAP_NET_ADMIN")
     */
    TunDevice open(TunConfig config) throws IOException;
}
