/** Mesh node service: the running node as operators and shell commands see it. */
@Export
@Version("0.4.0")
package io.tunnelmesh.api.node;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
