package io.tunnelmesh.shell.internal;

import org.apache.felix.service.command.Function;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/** {@code tm:peer-remove PUBKEY}. */
@Component(service = Function.class, property = {"osgi.command.scope=tm", "osgi.command.function=peer-remove"})
public final class PeerRemoveCommand extends PeerKeyCommand {
    @Activate
    public PeerRemoveCommand(@Reference PeerCommands commands) {
        super(commands, "peerRemove", "tm:peer-remove PUBKEY");
    }
}
