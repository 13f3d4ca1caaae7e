package io.ringstack.drivers.link;

import io.ringstack.phy.Link;
import org.agrona.concurrent.status.CountersManager;

import java.net.InetSocketAddress;

/**
 * The text form of a link, as the command line takes it: {@code udp:LOCAL_HOST:PORT,REMOTE_HOST:PORT} for a
 * {@link UdpDatagramLink}, {@code tap:NAME} for a {@link TapLink} on the Linux TAP interface {@code NAME}.
 */
public final class LinkSpec
{
    private static final String UDP_PREFIX = "udp:";
    private static final String TAP_PREFIX = "tap:";
    private static final String FORMS = "udp:LOCAL_HOST:PORT,REMOTE_HOST:PORT or tap:NAME";

    private final InetSocketAddress local;
    private final InetSocketAddress remote;
    private final String tapName;

    private LinkSpec(final InetSocketAddress local, final InetSocketAddress remote, final String tapName)
    {
        this.local = local;
        this.remote = remote;
        this.tapName = tapName;
    }

    /**
     * @throws IllegalArgumentException with a message that shows the expected form.
     */
    public static LinkSpec parse(final String text)
    {
        if (text.startsWith(TAP_PREFIX))
        {
            return new LinkSpec(null, null, interfaceName(text.substring(TAP_PREFIX.length()), text));
        }
        if (!text.startsWith(UDP_PREFIX))
        {
            throw new IllegalArgumentException("unknown link '" + text + "': expected " + FORMS);
        }
        final String[] ends = text.substring(UDP_PREFIX.length()).split(",", -1);
        if (ends.length != 2)
        {
            throw new IllegalArgumentException(
                "link '" + text + "' needs two addresses: udp:LOCAL_HOST:PORT,REMOTE_HOST:PORT");
        }
        return new LinkSpec(address(ends[0], text), address(ends[1], text), null);
    }

    /**
     * A name Linux takes for an interface ({@code dev_valid_name} in {@code net/core/dev.c}): 1 to 15 bytes, not
     * {@code .} or {@code ..}, without {@code /}, {@code :} or white space; kept to printable ASCII here.
     */
    private static String interfaceName(final String name, final String text)
    {
        if (name.isEmpty() || name.length() >= TunSystemCalls.IFNAMSIZ)
        {
            throw new IllegalArgumentException(
                "link '" + text + "': a TAP interface name is 1 to " + (TunSystemCalls.IFNAMSIZ - 1) + " characters");
        }
        boolean valid = !name.equals(".") && !name.equals("..");
        for (int i = 0; valid && i < name.length(); i++)
        {
            final char c = name.charAt(i);
            valid = c > ' ' && c < 0x7F && c != '/' && c != ':';
        }
        if (!valid)
        {
            throw new IllegalArgumentException("link '" + text + "': '" + name + "' is not an interface name");
        }
        return name;
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

    /**
     * @return the local address of a UDP link, {@code null} for a TAP.
     */
    public InetSocketAddress local()
    {
        return local;
    }

    /**
     * @return the remote address of a UDP link, {@code null} for a TAP.
     */
    public InetSocketAddress remote()
    {
        return remote;
    }

    /**
     * @return the interface of a TAP link, {@code null} for a UDP one.
     */
    public String tapName()
    {
        return tapName;
    }

    /**
     * Open the link. A TAP link allocates its {@link LinkCounters} in {@code counters}, labelled
     * {@code OWNER.tap:NAME}; a UDP link keeps none.
     *
     * @param counters where a TAP link counts; a UDP link does not use it, and it may be {@code null} there.
     * @param owner the name of whatever the link is the wire of, e.g. the engine's.
     * @throws java.io.UncheckedIOException in one line saying why the link cannot be opened.
     */
    public Link open(final CountersManager counters, final String owner)
    {
        return tapName != null ?
            TapLink.open(tapName, counters, owner + "." + this) : UdpDatagramLink.open(local, remote);
    }

    public String toString()
    {
        return tapName != null ? TAP_PREFIX + tapName :
            UDP_PREFIX + local.getHostString() + ":" + local.getPort() + "," + remote.getHostString() + ":" +
            remote.getPort();
    }
}
