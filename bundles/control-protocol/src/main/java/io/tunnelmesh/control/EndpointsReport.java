package io.tunnelmesh.control;

import java.util.List;

/** The node's current listen port and local HOST:PORTs (type "endpoints"). */
public record EndpointsReport(int listenPort, List<String> endpoints) implements ControlMessage {
    public EndpointsReport {
        endpoints = Lists.orEmpty(endpoints, "endpoints");
    }
}
