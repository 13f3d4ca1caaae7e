package io.ringstack.socket;

import io.ringstack.wire.Ipv4Text;

/**
 * A socket address, the counterpart of {@code struct sockaddr}: either an IPv4 address and port
 * ({@link SocketConstants#AF_INET}) or a local path ({@link SocketConstants#AF_UNIX}; a path starting with
 * {@code '\0'} is in the abstract namespace). Mutable so that an application can reuse one as the out-parameter
 * of {@code accept} and {@code recvfrom}.
 */
public final class SockAddr
{
    private int family;
    private int ipv4;
    private int port;
    private String path;

    /**
     * @param ipv4 address in host order, e.g. {@code 0x7F000001} for 127.0.0.1.
     */
    public static SockAddr inet(final int ipv4, final int port)
    {
        return new SockAddr().setInet(ipv4, port);
    }

    public static SockAddr inet(final String dottedQuad, final int port)
    {
        return inet(Ipv4Text.parse(dottedQuad), port);
    }

    public static SockAddr local(final String path)
    {
        return new SockAddr().setLocal(path);
    }

    public SockAddr setInet(final int ipv4, final int port)
    {
        this.family = SocketConstants.AF_INET;
        this.ipv4 = ipv4;
        this.port = port;
        this.path = null;
        return this;
    }

    public SockAddr setLocal(final String path)
    {
        this.family = SocketConstants.AF_UNIX;
        this.ipv4 = 0;
        this.port = 0;
        this.path = path;
        return this;
    }

    public SockAddr clear()
    {
        family = 0;
        ipv4 = 0;
        port = 0;
        path = null;
        return this;
    }

    public int family()
    {
        return family;
    }

    public int ipv4()
    {
        return ipv4;
    }

    public int port()
    {
        return port;
    }

    public String path()
    {
        return path;
    }

    public String toString()
    {
        if (family == SocketConstants.AF_INET)
        {
            return Ipv4Text.format(ipv4) + ":" + port;
        }
        if (family == SocketConstants.AF_UNIX)
        {
            return path == null ? "unix:(unnamed)" : "unix:" + path.replace("\0", "@");
        }
        return "(unspecified)";
    }
}
