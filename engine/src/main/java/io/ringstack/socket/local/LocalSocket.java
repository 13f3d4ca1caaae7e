package io.ringstack.socket.local;

import io.ringstack.socket.SockAddr;
import io.ringstack.socket.SocketFile;

import static io.ringstack.errno.Errno.EADDRINUSE;
import static io.ringstack.errno.Errno.EINVAL;
import static io.ringstack.socket.SocketConstants.SHUT_RD;
import static io.ringstack.socket.SocketConstants.SHUT_RDWR;
import static io.ringstack.socket.SocketConstants.SHUT_WR;

/**
 * What local stream and datagram sockets share: the family that made them, and the name they answer to.
 */
abstract class LocalSocket extends SocketFile
{
    final LocalSockets family;
    private volatile String name;

    LocalSocket(final LocalSockets family, final int type, final int statusFlags, final int descriptorFlags)
    {
        super(type, statusFlags, descriptorFlags, family.defaultTimeoutNs());
        this.family = family;
    }

    /**
     * Fills {@code address} with the bound name, or an unnamed local address.
     */
    public int localAddress(final SockAddr address)
    {
        address.setLocal(name);
        return 0;
    }

    public final int shutdown(final int how)
    {
        if (how < SHUT_RD || how > SHUT_RDWR)
        {
            return -EINVAL;
        }
        return shutdown(how != SHUT_WR, how != SHUT_RD);
    }

    /**
     * @param reading stop receiving ({@code SHUT_RD} or {@code SHUT_RDWR}).
     * @param writing stop sending ({@code SHUT_WR} or {@code SHUT_RDWR}).
     */
    abstract int shutdown(boolean reading, boolean writing);

    /**
     * @return the name this socket answers to, or {@code null} when unnamed.
     */
    final String name()
    {
        return name;
    }

    /**
     * Give a socket its listener's name without taking the name in the namespace, as an accepted socket has.
     */
    final void inheritName(final String name)
    {
        this.name = name;
    }

    /**
     * The part of {@code bind} both types share: take a free name for a socket that has none. Callers hold the
     * socket's monitor.
     *
     * @return {@code 0}, {@code -EINVAL} when already named or for a bad address, {@code -EADDRINUSE}.
     */
    final int claimName(final SockAddr address)
    {
        if (name != null)
        {
            return -EINVAL;
        }
        final int valid = LocalNames.check(address);
        if (valid < 0)
        {
            return valid;
        }
        if (!family.names().register(address.path(), this))
        {
            return -EADDRINUSE;
        }
        name = address.path();
        return 0;
    }

    /**
     * Free the name on close, if this socket took it.
     */
    final void releaseName()
    {
        final String bound = name;
        if (bound != null)
        {
            family.names().unregister(bound, this);
        }
    }
}
