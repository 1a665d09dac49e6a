package io.tunnelmesh.node.internal;

import java.util.function.Supplier;

/**
 * The peer set a data plane routes by, replaced whole on each change. A class of its own, not a lambda, so the
 * real node and the warm-up nodes hand the packet path the same {@link Supplier} class: the JIT inlines the one
 * it saw during the warm-up, and a different class at the first real packet would send the compiled receive
 * path back to the interpreter (an uncommon trap seen with {@code -Xlog:deoptimization}).
 */
final class CurrentPeerSet implements Supplier<PeerSet> {
    private volatile PeerSet value = PeerSet.EMPTY;

    @Override
    public PeerSet get() {
        return value;
    }

    void set(PeerSet next) {
        value = next;
    }
}
