/** Key source service: a node's static X25519 identity derived from its SSH key. */
@Export
@Version("0.1.0")
package io.tunnelmesh.api.identity;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
