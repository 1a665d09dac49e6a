/** Coordinator client service: registration and peer discovery through a coordinator. */
@Export
@Version("0.1.0")
package io.tunnelmesh.api.coordinator;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
