package io.ringstack.tcp;

/**
 * Initial sequence numbers as RFC 6528 section 3 asks:
 * <pre>
 *   ISN = M + F(localip, localport, remoteip, remoteport, secretkey)
 * </pre>
 * where M is a clock ticking every 4 microseconds and F is SipHash-2-4 keyed with the engine's secret. The clock
 * is the engine's, so a replay on a virtual clock with the same key produces the same numbers. The same function,
 * with another tweak, gives each connection its timestamp offset (RFC 7323 section 5.4).
 */
final class IsnGenerator
{
    private static final long CLOCK_TICK_NS = 4_000;
    private static final long TIMESTAMP_TWEAK = 0x5453_4F46_4653_4554L;

    private final SipHash hash;

    IsnGenerator(final long key0, final long key1)
    {
        hash = new SipHash(key0, key1);
    }

    int initialSequenceNumber(
        final int localAddress, final int localPort, final int remoteAddress, final int remotePort, final long nowNs)
    {
        return (int)(nowNs / CLOCK_TICK_NS) + (int)hash.hash(addresses(localAddress, remoteAddress),
            ports(localPort, remotePort));
    }

    /**
     * @return a per-connection offset added to the timestamp clock, so TSval reveals nothing of the engine's uptime.
     */
    int timestampOffset(final int localAddress, final int localPort, final int remoteAddress, final int remotePort)
    {
        return (int)hash.hash(addresses(localAddress, remoteAddress), ports(localPort, remotePort) ^ TIMESTAMP_TWEAK);
    }

    static long addresses(final int localAddress, final int remoteAddress)
    {
        return ((long)localAddress << 32) | (remoteAddress & 0xFFFF_FFFFL);
    }

    static long ports(final int localPort, final int remotePort)
    {
        return ((long)localPort << 16) | remotePort;
    }
}
