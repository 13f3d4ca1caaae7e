package io.ringstack.drivers.link;

import jnr.ffi.types.intptr_t;
import jnr.ffi.types.size_t;
import jnr.ffi.types.ssize_t;
import jnr.ffi.types.u_int64_t;

/**
 * The C library calls every {@link DescriptorLink} makes on its file descriptor, bound through jnr-ffi:
 * {@code read(2)}, {@code write(2)}, {@code writev(2)}, {@code ioctl(2)}, {@code close(2)}, and {@code eventfd(2)} and
 * {@code ppoll(2)} to wait on it ({@link DescriptorWireWait}), and the {@code errno} values their callers tell apart
 * ({@code asm-generic/errno-base.h}, {@code asm-generic/errno.h}).
 * <p>
 * Memory is passed as a raw address ({@code intptr_t}) into a buffer the caller allocated once, so a call on the
 * frame path takes and returns only primitives and allocates nothing; the {@code errno} of a failed call is read
 * from the library's {@code jnr.ffi.Runtime}. Public only because jnr-ffi implements it from another class loader.
 */
public interface DescriptorCalls
{
    /** {@code IFNAMSIZ} from {@code linux/if.h}: an interface name and its terminating NUL. */
    int IFNAMSIZ = 16;
    /** {@code sizeof(struct ifreq)} on a 64-bit kernel: the name, then a 24-byte union whose first field is flags. */
    int IFREQ_LENGTH = 40;
    /** Offset of {@code ifr_flags} in {@code struct ifreq}. */
    int IFREQ_FLAGS_OFFSET = IFNAMSIZ;

    int EPERM = 1;
    int ENOENT = 2;
    int EIO = 5;
    int ENXIO = 6;
    int EAGAIN = 11;
    int EACCES = 13;
    int EBUSY = 16;
    int ENODEV = 19;
    int EINVAL = 22;
    int EMSGSIZE = 90;
    int EAFNOSUPPORT = 97;
    int ENETDOWN = 100;
    int ENOBUFS = 105;
    /** What {@code read} and {@code write} on a TAP answer once the interface behind the descriptor is deleted. */
    int EBADFD = 77;

    /** {@code EFD_NONBLOCK} from {@code sys/eventfd.h}: {@code O_NONBLOCK}, the same on x86-64 and AArch64. */
    int EFD_NONBLOCK = 0x800;
    /** {@code EFD_CLOEXEC} from {@code sys/eventfd.h}: {@code O_CLOEXEC}, the same on x86-64 and AArch64. */
    int EFD_CLOEXEC = 0x80000;
    /** {@code POLLIN} from {@code asm-generic/poll.h}: there is data to read. */
    short POLLIN = 0x1;

    int ioctl(int fd, @u_int64_t long request, @intptr_t long argument);

    @ssize_t
    long read(int fd, @intptr_t long buffer, @size_t long count);

    @ssize_t
    long write(int fd, @intptr_t long buffer, @size_t long count);

    /**
     * @param vectors the address of {@code count} {@code struct iovec}s, each a base address and a length.
     */
    @ssize_t
    long writev(int fd, @intptr_t long vectors, int count);

    int close(int fd);

    /**
     * {@code eventfd(2)}: a counter whose descriptor is readable while it is not 0, for one thread to wake another
     * that waits in {@link #ppoll}.
     *
     * @param flags {@link #EFD_NONBLOCK}, {@link #EFD_CLOEXEC}.
     */
    int eventfd(int initialValue, int flags);

    /**
     * {@code ppoll(2)} without a signal mask.
     *
     * @param fds      the address of {@code count} {@code struct pollfd}s (descriptor, events, returned events).
     * @param timeout  the address of a {@code struct timespec}: seconds, then nanoseconds.
     * @param sigmask  0: the thread's own mask.
     * @return descriptors with events, 0 on timeout, -1 with {@code errno} (EINTR on a signal).
     */
    int ppoll(@intptr_t long fds, @u_int64_t long count, @intptr_t long timeout, @intptr_t long sigmask);
}
