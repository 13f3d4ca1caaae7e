package io.ringstack.drivers.link;

/**
 * The C library calls that make a {@link TapLink}'s descriptor: {@code open(2)} of {@code /dev/net/tun} and the
 * {@code ioctl(2)} {@code TUNSETIFF} that binds it to an interface ({@code linux/if_tun.h}); reading, writing and
 * closing it are the {@link DescriptorCalls}. Public only because jnr-ffi implements it from another class loader.
 */
public interface TunSystemCalls extends DescriptorCalls
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
    /** {@code IFF_VNET_HDR} from {@code linux/if_tun.h}: a {@code struct virtio_net_hdr} before each frame. */
    short IFF_VNET_HDR = 0x4000;
    /** {@code TUNSETVNETHDRSZ = _IOW('T', 216, int)}: the length of that header, given by address. */
    long TUNSETVNETHDRSZ = 0x4004_54D8L;
    /** {@code TUNSETOFFLOAD = _IOW('T', 208, unsigned int)}: the offloads the reader takes, given by value. */
    long TUNSETOFFLOAD = 0x4004_54D0L;
    /** {@code TUN_F_CSUM}: the reader finishes checksums the kernel leaves partial. */
    int TUN_F_CSUM = 0x01;
    /** {@code TUN_F_TSO4}: the reader takes IPv4 TCP segments of up to 64 KiB the kernel did not cut. */
    int TUN_F_TSO4 = 0x02;

    int open(String path, int flags);
}
