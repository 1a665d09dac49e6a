/** Value types every TunnelMesh/J bundle exchanges: keys, prefixes, endpoints (as configured and as transports make them), peers. */
@Export
@Version("0.5.0")
package io.tunnelmesh.api;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
