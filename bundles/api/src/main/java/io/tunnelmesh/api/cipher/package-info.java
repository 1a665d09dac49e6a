/** Packet cipher service: the AEAD that seals and opens transport data packets. */
@Export
@Version("0.2.0")
package io.tunnelmesh.api.cipher;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
