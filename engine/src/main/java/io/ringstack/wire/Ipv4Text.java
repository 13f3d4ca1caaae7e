package io.ringstack.wire;

/**
 * Dotted-quad text for IPv4 addresses held as {@code int}s in host order (first octet most significant).
 */
public final class Ipv4Text
{
    private Ipv4Text()
    {
    }

    /**
     * @throws IllegalArgumentException naming the text when it is not four decimal octets.
     */
    public static int parse(final String text)
    {
        final String[] parts = text.trim().split("\\.", -1);
        if (parts.length != 4)
        {
            throw new IllegalArgumentException("not an IPv4 address: '" + text + "'");
        }
        int address = 0;
        for (final String part : parts)
        {
            if (part.isEmpty() || part.length() > 3 || !part.chars().allMatch(Character::isDigit))
            {
                throw new IllegalArgumentException("not an IPv4 address: '" + text + "'");
            }
            final int octet = Integer.parseInt(part);
            if (octet > 255)
            {
                throw new IllegalArgumentException("octet out of range in IPv4 address: '" + text + "'");
            }
            address = (address << 8) | octet;
        }
        return address;
    }

    public static String format(final int address)
    {
        return (address >>> 24) + "." + ((address >>> 16) & 0xFF) + "." + ((address >>> 8) & 0xFF) + "." +
            (address & 0xFF);
    }
}
