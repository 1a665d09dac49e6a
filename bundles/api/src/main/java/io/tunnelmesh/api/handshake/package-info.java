/** Handshake service: the sans-IO, WireGuard-compatible protocol engine (Noise IKpsk2, sessions, timers). */
@Export
@Version("0.4.0")
package io.tunnelmesh.api.handshake;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
