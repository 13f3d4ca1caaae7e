package io.ringstack.services;

import io.ringstack.socket.Sockets;

import java.util.List;

/**
 * The services {@code ringstack serve} offers, by name.
 */
public final class Services
{
    /** The names the command line accepts. */
    public static final String NAMES = "echo,discard,http";

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
            if (!"echo".equals(name) && !"discard".equals(name) && !"http".equals(name))
            {
                throw new IllegalArgumentException("unknown service '" + name + "': expected some of " + NAMES);
            }
        }
    }

    /**
     * The services one name stands for: {@code echo} is UDP and TCP echo on port 7, {@code discard} TCP port 9,
     * {@code http} TCP port 80.
     */
    public static List<Service> create(final String name, final Sockets sockets)
    {
        switch (name)
        {
            case "echo":
                return List.of(new UdpEchoService(sockets, UdpEchoService.PORT),
                    new TcpEchoService(sockets, TcpEchoService.PORT));
            case "discard":
                return List.of(new TcpDiscardService(sockets, TcpDiscardService.PORT));
            case "http":
                return List.of(new HttpService(sockets, HttpService.PORT));
            default:
                throw new IllegalArgumentException("unknown service '" + name + "': expected some of " + NAMES);
        }
    }
}
