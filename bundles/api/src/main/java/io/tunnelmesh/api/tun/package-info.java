/** TUN driver service: the virtual network interface packets enter and leave by. */
@Export
@Version("0.4.0")
package io.tunnelmesh.api.tun;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
