package io.tunnelmesh.coordinator.internal;

import io.tunnelmesh.support.gogo.HyphenatedCommand;
import org.apache.felix.service.command.Function;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/** {@code tm:token-revoke ID}. */
@Component(service = Function.class, property = {"osgi.command.scope=tm", "osgi.command.function=token-revoke"})
public final class TokenRevokeCommand extends HyphenatedCommand {
    @Activate
    public TokenRevokeCommand(@Reference CoordinatorCommands commands) {
        super(commands, "tokenRevoke", "tm:token-revoke ID", true);
    }
}
