package io.tunnelmesh.control;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;

/** Sealed over the records below, polymorphic on the JSON "type" field with the names of docs/COORDINATOR.md. */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, include = JsonTypeInfo.As.PROPERTY, property = "type")
@JsonSubTypes({
    @JsonSubTypes.Type(value = Hello.class, name = "hello"),
    @JsonSubTypes.Type(value = Welcome.class, name = "welcome"),
    @JsonSubTypes.Type(value = PeerMap.class, name = "map"),
    @JsonSubTypes.Type(value = PeerDelta.class, name = "delta"),
    @JsonSubTypes.Type(value = EndpointsReport.class, name = "endpoints"),
    @JsonSubTypes.Type(value = Ping.class, name = "ping"),
    @JsonSubTypes.Type(value = Pong.class, name = "pong"),
    @JsonSubTypes.Type(value = Bye.class, name = "bye"),
})
public sealed interface ControlMessage permits Hello, Welcome, PeerMap, PeerDelta, EndpointsReport, Ping, Pong, Bye {
}
