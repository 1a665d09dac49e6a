/** The coordinator's registry store: nodes, join tokens and the mesh's own settings, behind one service. */
@Export
@Version("0.2.0")
package io.tunnelmesh.api.coordinator;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
