package io.ringstack.drivers.link;

import io.ringstack.phy.Link;

import java.net.InetSocketAddress;

/**
 * The text form of a link, as the command line takes it: {@code udp:LOCAL_HOST:PORT,REMOTE_HOST:PORT}.
 */
public final class LinkSpec
{
    private static final String UDP_PREFIX = "udp:";

    private final InetSocketAddress local;
    private final InetSocketAddress remote;

    private LinkSpec(final InetSocketAddress local, final InetSocketAddress remote)
    {
        this.local = local;
        this.remote = remote;
    }

    /**
     * @throws IllegalArgumentException with a message that shows the expected form.
     */
    public static LinkSpec parse(final String text)
    {
        if (!text.startsWith(UDP_PREFIX))
        {
            throw new IllegalArgumentException(
                "unknown link '" + text + "': expected udp:LOCAL_HOST:PORT,REMOTE_HOST:PORT");
        }
        final String[] ends = text.substring(UDP_PREFIX.length()).split(",", -1);
        if (ends.length != 2)
        {
            throw new IllegalArgumentException(
                "link '" + text + "' needs two addresses: udp:LOCAL_HOST:PORT,REMOTE_HOST:PORT");
        }
        return new LinkSpec(address(ends[0], text), address(ends[1], text));
    }

    private static InetSocketAddress address(final String hostPort, final String text)
    {
        final int colon = hostPort.lastIndexOf(':');
        if (colon <= 0 || colon == hostPort.length() - 1)
        {
            throw new IllegalArgumentException("'" + hostPort + "' in link '" + text + "' is not HOST:PORT");
        }
        final int port;
        try
        {
            port = Integer.parseInt(hostPort.substring(colon + 1));
        }
        catch (final NumberFormatException ex)
        {
            throw new IllegalArgumentException("port of '" + hostPort + "' in link '" + text + "' is not a number");
        }
        if (port < 1 || port > 0xFFFF)
        {
            throw new IllegalArgumentException("port of '" + hostPort + "' in link '" + text + "' is not 1-65535");
        }
        return new InetSocketAddress(hostPort.substring(0, colon), port);
    }

    public InetSocketAddress local()
    {
        return local;
    }

    public InetSocketAddress remote()
    {
        return remote;
    }

    public Link open()
    {
        return UdpDatagramLink.open(local, remote);
    }

    public String toString()
    {
        return UDP_PREFIX + local.getHostString() + ":" + local.getPort() + "," + remote.getHostString() + ":" +
            remote.getPort();
    }
}
