package io.tunnelmesh.node.internal;

import io.tunnelmesh.api.Endpoint;

/** What a timer turn of a {@link PeerPath} sends; the timer thread ({@link PathProber}) seals it into the peer's session. */
interface ProbeSender {
    void ping(Endpoint to);

    void callMeMaybe(Endpoint via);
}
