package io.tunnelmesh.coordinator.client.internal;

import org.apache.felix.service.command.Descriptor;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;

/** {@code tm:coordinator}: the link's state, one {@code label: value} per line so scripts can grep it. */
@Component(service = CoordinatorCommand.class, property = {"osgi.command.scope=tm", "osgi.command.function=coordinator"})
public final class CoordinatorCommand {
    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC)
    private volatile CoordinatorLink link;

    @Descriptor("show the link to the coordinator: state, address, our name, peers in its map, last update, reconnect attempts")
    public String coordinator() {
        CoordinatorLink l = link;
        if (l == null) {
            throw new IllegalStateException("this node has no coordinator: run 'tunnelmesh join TOKEN' (a token from"
                    + " 'tm:token-create' on the coordinator); if it joined, see 'log 20 error'");
        }
        return l.status();
    }
}
