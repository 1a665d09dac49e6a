/** Transport SPI: how datagrams reach other nodes (UDP, relay, or a third party's own). */
@Export
@Version("0.4.0")
package io.tunnelmesh.api.transport;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
