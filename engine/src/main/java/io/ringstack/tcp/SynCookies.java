package io.ringstack.tcp;

/**
 * SYN cookies (RFC 4987 section 3.6, in the shape Linux gives them): when a listener's queue of half-open
 * connections is full, the SYN-ACK's sequence number carries everything needed to rebuild the handshake from
 * the final ACK, so a flood of SYNs costs no memory.
 * <pre>
 *   cookie = H1(addresses, ports) + ISN_peer + (count &lt;&lt; 24)
 *            + ((H2(addresses, ports, count) + mss_index) mod 2^24)
 *
 *   count      a clock ticking every 64 s; a cookie is good for {@link #MAX_AGE} ticks
 *   mss_index  index of the largest entry of {@link #MSS_TABLE} not above the peer's MSS
 *   H1, H2     SipHash-2-4 keyed with the engine's secret, with two tweaks
 * </pre>
 * Window scale, SACK permission and ECN do not fit; when the SYN had timestamps they travel in the low 6 bits of our
 * TSval, which the ACK echoes: bits 0-3 the peer's window shift ({@code 0xF} for none), bit 4 SACK permitted, bit 5
 * ECN agreed (RFC 3168 6.1.1), as Linux's {@code cookie_init_timestamp} lays them out. Without timestamps a cookie
 * connection has none of them.
 */
final class SynCookies
{
    static final int[] MSS_TABLE = { 536, 1300, 1440, 1460 };
    static final int MAX_AGE = 2;
    static final int OPTION_BITS = 0x3F;

    private static final long PERIOD_NS = 64_000_000_000L;
    private static final long FIRST_TWEAK = 0x434F_4F4B_4945_0001L;
    private static final long SECOND_TWEAK = 0x434F_4F4B_4945_0002L;
    private static final int NO_WINDOW_SCALE = 0xF;
    private static final int SACK_BIT = 0x10;
    private static final int ECN_BIT = 0x20;

    private final SipHash hash;

    SynCookies(final long key0, final long key1)
    {
        hash = new SipHash(key1 ^ FIRST_TWEAK, key0 ^ SECOND_TWEAK);
    }

    /**
     * @return our initial sequence number for the SYN-ACK.
     */
    int cookie(
        final int localAddress, final int localPort, final int remoteAddress, final int remotePort,
        final int peerInitialSequence, final int mssIndex, final long nowNs)
    {
        final long count = nowNs / PERIOD_NS;
        final long addresses = IsnGenerator.addresses(localAddress, remoteAddress);
        final long ports = IsnGenerator.ports(localPort, remotePort);
        return first(addresses, ports) + peerInitialSequence + (int)(count << 24) +
            ((second(addresses, ports, count) + mssIndex) & 0xFF_FFFF);
    }

    /**
     * @param cookie the final ACK's acknowledgment number minus one.
     * @param peerInitialSequence the final ACK's sequence number minus one.
     * @return the MSS index the cookie carries, or {@code -1} when it is forged or too old.
     */
    int check(
        final int localAddress, final int localPort, final int remoteAddress, final int remotePort,
        final int peerInitialSequence, final int cookie, final long nowNs)
    {
        final long count = nowNs / PERIOD_NS;
        final long addresses = IsnGenerator.addresses(localAddress, remoteAddress);
        final long ports = IsnGenerator.ports(localPort, remotePort);
        final int value = cookie - first(addresses, ports) - peerInitialSequence;
        final int age = (int)((count - (value >>> 24)) & 0xFF);
        if (age >= MAX_AGE)
        {
            return -1;
        }
        final int mssIndex = (value - second(addresses, ports, count - age)) & 0xFF_FFFF;
        return mssIndex < MSS_TABLE.length ? mssIndex : -1;
    }

    static int mssIndexFor(final int mss)
    {
        int index = 0;
        while (index + 1 < MSS_TABLE.length && MSS_TABLE[index + 1] <= mss)
        {
            index++;
        }
        return index;
    }

    /**
     * @return {@code timestampValue} with the peer's options in its low bits.
     * @param windowShift the peer's window shift, or {@code -1} when it sent none.
     */
    static int encodeOptions(
        final int timestampValue, final int windowShift, final boolean sackPermitted, final boolean ecn)
    {
        return (timestampValue & ~OPTION_BITS) | (windowShift < 0 ? NO_WINDOW_SCALE : windowShift) |
            (sackPermitted ? SACK_BIT : 0) | (ecn ? ECN_BIT : 0);
    }

    /**
     * @return the peer's window shift carried in an echoed timestamp, or {@code -1} for none.
     */
    static int windowShift(final int echoedTimestamp)
    {
        final int shift = echoedTimestamp & NO_WINDOW_SCALE;
        return shift == NO_WINDOW_SCALE ? -1 : shift;
    }

    static boolean sackPermitted(final int echoedTimestamp)
    {
        return (echoedTimestamp & SACK_BIT) != 0;
    }

    static boolean ecn(final int echoedTimestamp)
    {
        return (echoedTimestamp & ECN_BIT) != 0;
    }

    private int first(final long addresses, final long ports)
    {
        return (int)hash.hash(addresses, ports);
    }

    private int second(final long addresses, final long ports, final long count)
    {
        return (int)hash.hash(addresses ^ count, ports ^ (count << 32) ^ SECOND_TWEAK);
    }
}
