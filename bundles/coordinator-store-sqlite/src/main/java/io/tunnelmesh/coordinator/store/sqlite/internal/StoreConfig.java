package io.tunnelmesh.coordinator.store.sqlite.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

@ObjectClassDefinition(name = "TunnelMesh coordinator store (SQLite)",
        description = "Where the coordinator keeps its registry: the mesh settings, join tokens and admitted nodes.")
@interface StoreConfig {
    @AttributeDefinition(name = "Database file", description = "Path of the SQLite database; empty means"
            + " ${tm.data}/coordinator.db", required = false)
    String path() default "";
}
