package io.tunnelmesh.coordinator.internal;

import io.tunnelmesh.support.gogo.HyphenatedCommand;
import org.apache.felix.service.command.Function;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/** {@code tm:node-remove NAME|PUBKEY}. */
@Component(service = Function.class, property = {"osgi.command.scope=tm", "osgi.command.function=node-remove"})
public final class NodeRemoveCommand extends HyphenatedCommand {
    @Activate
    public NodeRemoveCommand(@Reference CoordinatorCommands commands) {
        super(commands, "nodeRemove", "tm:node-remove NAME|PUBKEY", true);
    }
}
