package io.ringstack.iface;

/**
 * Classification of IPv4 addresses (host order) used by the dispatcher and the router.
 */
public final class Ipv4Addresses
{
    public static final int ANY = 0;
    public static final int LOOPBACK = 0x7F00_0001;
    public static final int LIMITED_BROADCAST = 0xFFFF_FFFF;

    private Ipv4Addresses()
    {
    }

    /**
     * @return {@code true} for 127.0.0.0/8 (RFC 1122 3.2.1.3 (g)).
     */
    public static boolean isLoopback(final int address)
    {
        return (address >>> 24) == 127;
    }

    /**
     * @return {@code true} for 224.0.0.0/4.
     */
    public static boolean isMulticast(final int address)
    {
        return (address >>> 28) == 0xE;
    }

    /**
     * @return {@code true} for an address of network 0 (0.0.0.0/8): "this host on this network", valid only as
     * the source of a host that does not yet know its address (RFC 1122 3.2.1.3 (a), (b)).
     */
    public static boolean isThisNetwork(final int address)
    {
        return (address >>> 24) == 0;
    }

    /**
     * A source address a host must discard a datagram for (RFC 1122 3.2.1.3): limited broadcast, multicast
     * or class E.
     */
    public static boolean isInvalidSource(final int address)
    {
        return (address >>> 28) >= 0xE;
    }
}
