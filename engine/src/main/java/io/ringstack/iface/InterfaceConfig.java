package io.ringstack.iface;

import io.ringstack.wire.Ipv4Text;
import io.ringstack.wire.MacText;

/**
 * Static IPv4 configuration of the engine's network interface: address, prefix, gateway and MAC.
 */
public final class InterfaceConfig
{
    private final int address;
    private final int prefixLength;
    private final int gateway;
    private final long macAddress;
    private final int netmask;

    /**
     * @param gateway {@code 0} for none: off-link destinations are then unreachable.
     */
    public InterfaceConfig(final int address, final int prefixLength, final int gateway, final long macAddress)
    {
        if (prefixLength < 0 || prefixLength > 32)
        {
            throw new IllegalArgumentException("prefix length must be 0-32: " + prefixLength);
        }
        this.address = address;
        this.prefixLength = prefixLength;
        this.gateway = gateway;
        this.macAddress = macAddress;
        this.netmask = prefixLength == 0 ? 0 : -1 << (32 - prefixLength);
    }

    /**
     * Parse {@code "10.0.2.15/24"}; the gateway may be {@code null} or empty for none.
     */
    public static InterfaceConfig parse(final String cidr, final String gateway, final long macAddress)
    {
        final int slash = cidr.indexOf('/');
        if (slash < 0)
        {
            throw new IllegalArgumentException("expected ADDRESS/PREFIX, e.g. 10.0.2.15/24: '" + cidr + "'");
        }
        final String prefix = cidr.substring(slash + 1);
        if (prefix.isEmpty() || prefix.length() > 2 || !prefix.chars().allMatch(Character::isDigit))
        {
            throw new IllegalArgumentException("prefix length must be 0-32: '" + cidr + "'");
        }
        return new InterfaceConfig(
            Ipv4Text.parse(cidr.substring(0, slash)),
            Integer.parseInt(prefix),
            gateway == null || gateway.isEmpty() ? 0 : Ipv4Text.parse(gateway),
            macAddress);
    }

    /**
     * @return this configuration with another MAC address, e.g. the one read from the NIC.
     */
    public InterfaceConfig withMacAddress(final long mac)
    {
        return mac == macAddress ? this : new InterfaceConfig(address, prefixLength, gateway, mac);
    }

    public int address()
    {
        return address;
    }

    public int prefixLength()
    {
        return prefixLength;
    }

    public int gateway()
    {
        return gateway;
    }

    public long macAddress()
    {
        return macAddress;
    }

    public boolean isOnLink(final int destination)
    {
        return (destination & netmask) == (address & netmask);
    }

    public int directedBroadcast()
    {
        return address | ~netmask;
    }

    public String toString()
    {
        return Ipv4Text.format(address) + "/" + prefixLength + " gw " + (gateway == 0 ? "none" :
            Ipv4Text.format(gateway)) + " mac " + MacText.format(macAddress);
    }
}
