package io.ringstack.iface;

/**
 * The dynamic port range of RFC 6335 section 6, 49152-65535, handed out round robin so that a port just freed is
 * the last to be reused. Each transport's port table has its own cursor. Engine thread only.
 */
public final class EphemeralPorts
{
    public static final int FIRST = 49152;
    public static final int LAST = 65535;
    public static final int COUNT = LAST - FIRST + 1;

    private int next = FIRST;

    /**
     * @return the next port of the range; after {@link #COUNT} calls every port has come once.
     */
    public int next()
    {
        final int port = next;
        next = port == LAST ? FIRST : port + 1;
        return port;
    }
}
