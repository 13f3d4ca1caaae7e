package io.ringstack.drivers.link;

import jnr.ffi.types.intptr_t;
import jnr.ffi.types.size_t;
import jnr.ffi.types.ssize_t;
import jnr.ffi.types.u_int64_t;

/**
 * The C library calls a {@link TapLink} makes, bound through jnr-ffi: {@code open(2)} of {@code /dev/net/tun},
 * {@code ioctl(2)} {@code TUNSETIFF}, {@code read(2)}, {@code write(2)} and {@code close(2)}.
 * <p>
 * Memory is passed as a raw address ({@code intptr_t}) into a buffer the caller allocated once, so a call on the
 * frame path takes and returns only primitives and allocates nothing; the {@code errno} of a failed call is read
 * from the library's {@code jnr.ffi.Runtime}. Public only because jnr-ffi implements it from another class loader.
 */
public interface TunSystemCalls
{
    /** {@code O_RDWR}, the same on every Linux architecture. */
    int O_RDWR = 2;
    /** {@code O_NONBLOCK} ({@code 04000}) on x86-64 and AArch64 alike. */
    int O_NONBLOCK = 0x800;
    /** {@code O_CLOEXEC} ({@code 02000000}) on x86-64 and AArch64 alike. */
    int O_CLOEXEC = 0x80000;

    /** {@code TUNSETIFF = _IOW('T', 202, int)} from {@code linux/if_tun.h}. */
    long TUNSETIFF = 0x4004_54CAL;
    /** {@code IFF_TAP} from {@code linux/if_tun.h}: Ethernet frames, not IP packets. */
    short IFF_TAP = 0x0002;
    /** {@code IFF_NO_PI} from {@code linux/if_tun.h}: no 4-byte packet information before each frame. */
    short IFF_NO_PI = 0x1000;
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
    /** What {@code read} and {@code write} answer once the interface behind the descriptor is deleted. */
    int EBADFD = 77;

    int open(String path, int flags);

    int ioctl(int fd, @u_int64_t long request, @intptr_t long argument);

    @ssize_t
    long read(int fd, @intptr_t long buffer, @size_t long count);

    @ssize_t
    long write(int fd, @intptr_t long buffer, @size_t long count);

    int close(int fd);
}
