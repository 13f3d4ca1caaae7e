package io.ringstack.services;

import io.ringstack.socket.Sockets;

import java.util.List;

/**
 * The services {@code ringstack serve} offers, by name.
 */
public final class Services
{
    /** The names the command line accepts. */
    public static final String NAMES = "echo";

    private Services()
    {
    }

    /**
     * @throws IllegalArgumentException naming an unknown service.
     */
    public static void check(final List<String> names)
    {
        for (final String name : names)
        {
            if (!"echo".equals(name))
            {
                throw new IllegalArgumentException("unknown service '" + name + "': this build offers " + NAMES +
                    " (discard and http come with TCP)");
            }
        }
    }

    public static Service create(final String name, final Sockets sockets)
    {
        return new UdpEchoService(sockets, UdpEchoService.PORT);
    }
}
