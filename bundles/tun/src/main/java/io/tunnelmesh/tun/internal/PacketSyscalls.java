package io.tunnelmesh.tun.internal;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.VarHandle;

/**
 * read(2), write(2) and poll(2) for the packet path, bound with the JDK's foreign-function linker rather than
 * JNA. Every packet crosses one of these, an idle ping six to eight times per round trip, with cold caches.
 * Measured on JDK 25 (write(2) of 100 bytes to /dev/null): 0.2-0.26 us per call against JNA direct mapping's
 * 0.45-0.5 us when hot, and 4.5-5.5 us against 8-11 us with the caches flushed before each call: the downcall
 * stub is machine code made for this one signature, where JNA goes through its generic dispatcher and libffi.
 * JNA stays for the set-up calls (ioctl with structures, netlink), which run once.
 *
 * <p>The memory is always a segment the device made once for a buffer it owns, never one made per call from the
 * caller's ByteBuffer: such a segment is a Java object, and whether the JIT removes it depends on its inlining
 * (a test saw 47 bytes allocated per write when it did not). Each call returns its result, or the negated errno
 * when it failed, so callers need no second call to learn why.
 */
final class PacketSyscalls {
    private static final Linker LINKER = Linker.nativeLinker();
    private static final StructLayout CALL_STATE = Linker.Option.captureStateLayout();
    private static final VarHandle ERRNO = CALL_STATE.varHandle(MemoryLayout.PathElement.groupElement("errno"));
    private static final FunctionDescriptor TRANSFER = FunctionDescriptor.of(JAVA_LONG, JAVA_INT, ADDRESS, JAVA_LONG);
    private static final MethodHandle READ = downcall("read", TRANSFER);
    private static final MethodHandle WRITE = downcall("write", TRANSFER);
    private static final MethodHandle POLL = downcall("poll", FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_LONG, JAVA_INT));
    /** Where the linker leaves errno: one per thread, as the calls run on the reader's and the transports' threads. */
    private static final ThreadLocal<MemorySegment> CALL_STATES =
            ThreadLocal.withInitial(() -> Arena.ofAuto().allocate(CALL_STATE));

    private PacketSyscalls() {
    }

    /**
     * Makes each binding once, on an invalid descriptor, so the linker's classes are loaded and its call sites
     * linked: some tens of milliseconds in a fresh JVM, which the driver spends beside the runtime's start rather
     * than before the first packet.
     */
    static void prepare() {
        MemorySegment nothing = CALL_STATES.get();
        read(-1, nothing, 0);
        write(-1, nothing, 0);
        poll(nothing, 0, 0);
    }

    private static MethodHandle downcall(String function, FunctionDescriptor descriptor) {
        MemorySegment address = LINKER.defaultLookup().find(function)
                .orElseThrow(() -> new IllegalStateException("the C library has no " + function + "()"));
        return LINKER.downcallHandle(address, descriptor, Linker.Option.captureCallState("errno"));
    }

    /** Reads up to {@code length} bytes into the start of {@code memory}. @return the bytes read, or -errno */
    static long read(int fd, MemorySegment memory, int length) {
        checkRoom(memory, length);
        MemorySegment state = CALL_STATES.get();
        try {
            long n = (long) READ.invokeExact(state, fd, memory, (long) length);
            return n >= 0 ? n : -errno(state);
        } catch (Throwable e) {
            throw rethrown(e);
        }
    }

    /** Writes the first {@code length} bytes of {@code memory}. @return the bytes written, or -errno */
    static long write(int fd, MemorySegment memory, int length) {
        checkRoom(memory, length);
        MemorySegment state = CALL_STATES.get();
        try {
            long n = (long) WRITE.invokeExact(state, fd, memory, (long) length);
            return n >= 0 ? n : -errno(state);
        } catch (Throwable e) {
            throw rethrown(e);
        }
    }

    /** Waits for one of the {@code count} pollfd structs in {@code fds}. @return how many are ready, or -errno */
    static int poll(MemorySegment fds, int count, int timeoutMillis) {
        checkRoom(fds, 8 * count);
        MemorySegment state = CALL_STATES.get();
        try {
            int n = (int) POLL.invokeExact(state, fds, (long) count, timeoutMillis);
            return n >= 0 ? n : -errno(state);
        } catch (Throwable e) {
            throw rethrown(e);
        }
    }

    /** The kernel gets at most the segment, so a wrong length cannot reach other memory. */
    private static void checkRoom(MemorySegment memory, int length) {
        if (length < 0 || length > memory.byteSize()) {
            throw new IllegalArgumentException(length + " bytes do not fit a " + memory.byteSize() + "-byte buffer");
        }
    }

    private static int errno(MemorySegment state) {
        return (int) ERRNO.get(state, 0L);
    }

    /** invokeExact declares Throwable; a downcall itself throws nothing checked. */
    private static RuntimeException rethrown(Throwable e) {
        if (e instanceof RuntimeException r) {
            return r;
        }
        if (e instanceof Error error) {
            throw error;
        }
        return new IllegalStateException("a downcall failed: " + e, e);
    }
}
