/** Value types every TunnelMesh/J bundle exchanges: keys, prefixes, endpoints, peers. */
@Export
@Version("0.1.0")
package io.tunnelmesh.api;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
