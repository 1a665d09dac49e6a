package io.tunnelmesh.tun.internal;

import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandle;

/**
 * read(2), write(2) and poll(2) for the packet path, bound with the JDK's foreign-function linker rather than
 * JNA. Every packet crosses one of these, an idle ping six to eight times per round trip, with cold caches.
 * Measured on JDK 25 (write(2) of 100 bytes to /dev/null): 0.2-0.26 us per call against JNA direct mapping's
 * 0.45-0.5 us when hot, and 4.5-5.5 us against 8-11 us with the caches flushed before each call: the downcall
 * stub is machine code made for this one signature, where JNA goes through its generic dispatcher and libffi.
 * JNA stays for the set-up calls (ioctl with structures, netlink), which run once.
 *
 * <p>Every argument is a primitive (the memory goes as its address, taken from a segment the device made once
 * for a buffer it owns), and errno is not captured by the linker: a downcall with a segment argument or with
 * {@code captureCallState} allocates 40 bytes per call until C2 has inlined its whole method-handle chain, which
 * the node's deep call paths do not reliably allow; a primitive-only downcall allocates nothing even
 * interpreted (TunThroughputTest checks this). errno is read after a failed call from the thread's errno
 * variable instead. The JVM may overwrite that in between (if a safepoint catches the thread on its way back
 * from the call, waiting for it can fail with EAGAIN, EINTR or ETIMEDOUT), so callers treat those three as
 * "try again" ({@link #isTransient}) and act on any other error: a real error hidden that way shows again on the
 * next try.
 */
final class PacketSyscalls {
    private static final Linker LINKER = Linker.nativeLinker();
    private static final FunctionDescriptor TRANSFER = FunctionDescriptor.of(JAVA_LONG, JAVA_INT, JAVA_LONG, JAVA_LONG);
    private static final MethodHandle READ = downcall("read", TRANSFER);
    private static final MethodHandle WRITE = downcall("write", TRANSFER);
    private static final MethodHandle POLL = downcall("poll", FunctionDescriptor.of(JAVA_INT, JAVA_LONG, JAVA_LONG, JAVA_INT));
    private static final MethodHandle ERRNO_LOCATION = downcall("__errno_location", FunctionDescriptor.of(JAVA_LONG));
    /** Each thread's errno variable, found once per thread (glibc keeps it in thread-local storage). */
    private static final ThreadLocal<MemorySegment> ERRNO = ThreadLocal.withInitial(PacketSyscalls::errnoVariable);

    private PacketSyscalls() {
    }

    /**
     * Makes each binding once, on an invalid descriptor, so the linker's classes are loaded and its call sites
     * linked: some tens of milliseconds in a fresh JVM, which the driver spends beside the runtime's start rather
     * than before the first packet.
     */
    static void prepare() {
        MemorySegment nothing = ERRNO.get();
        read(-1, nothing, 0);
        write(-1, nothing, 0);
        poll(nothing, 0, 0);
    }

    private static MethodHandle downcall(String function, FunctionDescriptor descriptor) {
        MemorySegment address = LINKER.defaultLookup().find(function)
                .orElseThrow(() -> new IllegalStateException("the C library has no " + function + "()"));
        return LINKER.downcallHandle(address, descriptor);
    }

    /** Reads up to {@code length} bytes into the start of {@code memory}. @return the bytes read, or -errno */
    static long read(int fd, MemorySegment memory, int length) {
        return transfer(READ, fd, memory, length);
    }

    /** Writes the first {@code length} bytes of {@code memory}. @return the bytes written, or -errno */
    static long write(int fd, MemorySegment memory, int length) {
        return transfer(WRITE, fd, memory, length);
    }

    /** read or write: {@code call} is a constant wherever this is inlined, so the JIT still inlines the call. */
    private static long transfer(MethodHandle call, int fd, MemorySegment memory, int length) {
        checkRoom(memory, length);
        try {
            long n = (long) call.invokeExact(fd, memory.address(), (long) length);
            return n >= 0 ? n : -errno();
        } catch (Throwable e) {
            throw rethrown(e);
        }
    }

    /** Waits for one of the {@code count} pollfd structs in {@code fds}. @return how many are ready, or -errno */
    static int poll(MemorySegment fds, int count, int timeoutMillis) {
        checkRoom(fds, 8 * count);
        try {
            int n = (int) POLL.invokeExact(fds.address(), (long) count, timeoutMillis);
            return n >= 0 ? n : -errno();
        } catch (Throwable e) {
            throw rethrown(e);
        }
    }

    /** Whether a call that failed with {@code errno} may simply be tried again (see the class comment). */
    static boolean isTransient(int errno) {
        return errno == Errno.EAGAIN || errno == Errno.EINTR || errno == Errno.ETIMEDOUT;
    }

    /** The kernel gets at most the segment, so a wrong length cannot reach other memory. */
    private static void checkRoom(MemorySegment memory, int length) {
        if (length < 0 || length > memory.byteSize()) {
            throw new IllegalArgumentException(length + " bytes do not fit a " + memory.byteSize() + "-byte buffer");
        }
    }

    private static int errno() {
        return ERRNO.get().get(JAVA_INT, 0);
    }

    private static MemorySegment errnoVariable() {
        try {
            long address = (long) ERRNO_LOCATION.invokeExact();
            return MemorySegment.ofAddress(address).reinterpret(Integer.BYTES);
        } catch (Throwable e) {
            throw rethrown(e);
        }
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
