package io.tunnelmesh.coordinator.internal;

import io.tunnelmesh.support.gogo.HyphenatedCommand;
import org.apache.felix.service.command.Function;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/** {@code tm:token-create [--reusable] [--expires DURATION] [--name NAME]}. */
@Component(service = Function.class, property = {"osgi.command.scope=tm", "osgi.command.function=token-create"})
public final class TokenCreateCommand extends HyphenatedCommand {
    @Activate
    public TokenCreateCommand(@Reference CoordinatorCommands commands) {
        super(commands, "tokenCreate", "tm:token-create [--reusable] [--expires DURATION] [--name NAME]", false);
    }
}
