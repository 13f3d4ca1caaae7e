package io.ringstack.iface;

import java.util.concurrent.TimeUnit;

/**
 * What path MTU discovery (RFC 1191) has learned per destination: the MTU a fragmentation needed reported, lower
 * than the first hop's. Fixed capacity, {@value #CAPACITY} entries in sets of {@value #WAYS} by destination; a full
 * set gives up the entry that would expire first. An entry expires {@link #EXPIRY_NS} (10 minutes, RFC 1191
 * section 6.3) after it was last lowered, and the path is the first hop's again. ICMP never raises an entry
 * (section 6.3), nor lowers one below {@value #MIN_PATH_MTU} bytes (Linux's {@code min_pmtu}: a report below it is
 * taken as {@value #MIN_PATH_MTU}). {@link #generation()} changes whenever any entry does, so that a connection can
 * tell cheaply whether its segment size is still the path's. Engine thread only; nothing allocates.
 */
public final class PathMtuCache
{
    /** The least path MTU an ICMP report can set: Linux's {@code net.ipv4.route.min_pmtu}. */
    public static final int MIN_PATH_MTU = 552;
    public static final long EXPIRY_NS = TimeUnit.MINUTES.toNanos(10);
    static final int CAPACITY = 256;
    static final int WAYS = 4;

    /**
     * RFC 1191 section 7: the MTU plateaus, highest first, from which a fragmentation needed without a next-hop MTU
     * is answered with the one below the length of the datagram it quotes.
     */
    private static final int[] PLATEAUS = { 65535, 32000, 17914, 8166, 4352, 2002, 1492, 1006, 508, 296, 68 };
    private static final int SET_MASK = CAPACITY / WAYS - 1;

    private final int[] destinations = new int[CAPACITY];
    /** 0 where the entry is free. */
    private final int[] mtus = new int[CAPACITY];
    private final long[] expiresNs = new long[CAPACITY];
    private int entries;
    private int generation;

    /**
     * The path MTU a fragmentation needed reports: its next-hop MTU field (RFC 1191 section 4), or when the field
     * is 0, as an older router sends it, the plateau below the quoted datagram's total length (section 5); never
     * below {@link #MIN_PATH_MTU}. A datagram no longer than the MTU reported cannot have been too big for it: such
     * a report, like one with no plateau below the datagram, reports nothing.
     *
     * @return the path MTU reported, or 0 when none is.
     */
    public static int reportedMtu(final int nextHopMtu, final int quotedTotalLength)
    {
        int mtu = nextHopMtu;
        for (int i = 0; mtu == 0 && i < PLATEAUS.length; i++)
        {
            if (PLATEAUS[i] < quotedTotalLength)
            {
                mtu = PLATEAUS[i];
            }
        }
        return mtu == 0 || mtu >= quotedTotalLength ? 0 : Math.max(mtu, MIN_PATH_MTU);
    }

    /**
     * @return the path MTU to {@code destination}: the entry's when it has a live one below {@code firstHopMtu},
     * else {@code firstHopMtu}. An expired entry is dropped.
     */
    public int mtu(final int destination, final int firstHopMtu, final long nowNs)
    {
        if (entries == 0)
        {
            return firstHopMtu;
        }
        final int entry = find(destination, nowNs);
        return entry < 0 ? firstHopMtu : Math.min(mtus[entry], firstHopMtu);
    }

    /**
     * Lower the path MTU to {@code destination} to {@code mtu}, at least {@link #MIN_PATH_MTU}, unless it is that low
     * already; the entry lives {@link #EXPIRY_NS} from now.
     *
     * @param mtu the MTU reported, 0 for none.
     * @return {@code true} when the path MTU went down.
     */
    public boolean lower(final int destination, final int mtu, final int firstHopMtu, final long nowNs)
    {
        final int reported = Math.max(mtu, MIN_PATH_MTU);
        if (mtu <= 0 || reported >= mtu(destination, firstHopMtu, nowNs))
        {
            return false;
        }
        int entry = find(destination, nowNs);
        if (entry < 0)
        {
            entry = victim(destination);
            if (mtus[entry] == 0)
            {
                entries++;
            }
            destinations[entry] = destination;
        }
        mtus[entry] = reported;
        expiresNs[entry] = nowNs + EXPIRY_NS;
        generation++;
        return true;
    }

    /**
     * @return a number that changes whenever an entry is lowered or expires.
     */
    public int generation()
    {
        return generation;
    }

    /**
     * @return live entries, and expired ones not yet noticed.
     */
    public int size()
    {
        return entries;
    }

    private int find(final int destination, final long nowNs)
    {
        final int first = setOf(destination);
        for (int entry = first; entry < first + WAYS; entry++)
        {
            if (mtus[entry] != 0 && destinations[entry] == destination)
            {
                if (nowNs - expiresNs[entry] >= 0)
                {
                    mtus[entry] = 0;
                    entries--;
                    generation++;
                    return -1;
                }
                return entry;
            }
        }
        return -1;
    }

    /**
     * @return a free entry of the destination's set, else the one that expires first.
     */
    private int victim(final int destination)
    {
        final int first = setOf(destination);
        int victim = first;
        for (int entry = first; entry < first + WAYS; entry++)
        {
            if (mtus[entry] == 0)
            {
                return entry;
            }
            if (expiresNs[entry] - expiresNs[victim] < 0)
            {
                victim = entry;
            }
        }
        return victim;
    }

    private static int setOf(final int destination)
    {
        return ((destination * 0x9E37_79B9) >>> 16 & SET_MASK) * WAYS;
    }
}
