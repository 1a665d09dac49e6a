package io.tunnelmesh.shell.internal;

import org.apache.felix.service.command.Function;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/** {@code tm:peer-add PUBKEY --endpoint ENDPOINT[,ENDPOINT] --allowed-ips CIDR[,CIDR] [--keepalive S]}. */
@Component(service = Function.class, property = {"osgi.command.scope=tm", "osgi.command.function=peer-add"})
public final class PeerAddCommand extends PeerKeyCommand {
    @Activate
    public PeerAddCommand(@Reference PeerCommands commands) {
        super(commands, "peerAdd", "tm:peer-add PUBKEY --endpoint HOST:PORT[,TRANSPORT:ADDRESS] --allowed-ips CIDR[,CIDR] [--keepalive S]");
    }
}
