package io.ringstack.iface;

import io.ringstack.testkit.AllocationMeter;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The path MTU cache of RFC 1191: what a fragmentation needed reports, lowering only, the 552-byte floor, expiry
 * after 10 minutes, and a fixed capacity that gives up the entry expiring first.
 */
class PathMtuCacheTest
{
    private static final int FIRST_HOP = 1500;
    private static final int DESTINATION = 0x0A00_0202;
    private static final long NOW_NS = 1_000_000_000L;

    private final PathMtuCache cache = new PathMtuCache();

    @ParameterizedTest(name = "next-hop MTU {0}, quoted datagram of {1} bytes: path MTU {2}")
    @CsvSource({
        "1280, 1500, 1280",  // RFC 1191 section 4: the field says it
        "0, 1500, 1492",     // section 5 and 7: the plateau below 1500
        "0, 1492, 1006",     // strictly below the datagram that did not pass
        "0, 9000, 8166",
        "0, 576, 552",       // the plateau 508 is below the floor
        "296, 1500, 552",    // Linux's min_pmtu
        "68, 1500, 552",
        "1500, 1500, 0",     // a datagram that fits the MTU reported was not too big for it
        "0, 68, 0",          // no plateau below
    })
    void aFragmentationNeededReports(final int nextHopMtu, final int quotedLength, final int pathMtu)
    {
        assertEquals(pathMtu, PathMtuCache.reportedMtu(nextHopMtu, quotedLength));
    }

    @Test
    void anUnknownDestinationHasTheFirstHopsMtu()
    {
        assertEquals(FIRST_HOP, cache.mtu(DESTINATION, FIRST_HOP, NOW_NS));
    }

    @Test
    void aReportLowersThePathAndNothingRaisesIt()
    {
        final int generation = cache.generation();
        assertTrue(cache.lower(DESTINATION, 1280, FIRST_HOP, NOW_NS));
        assertNotEquals(generation, cache.generation());

        assertFalse(cache.lower(DESTINATION, 1400, FIRST_HOP, NOW_NS), "never raised (RFC 1191 6.3)");
        assertFalse(cache.lower(DESTINATION, 1280, FIRST_HOP, NOW_NS), "the same MTU changes nothing");
        assertEquals(1280, cache.mtu(DESTINATION, FIRST_HOP, NOW_NS));
        assertEquals(1500, cache.mtu(DESTINATION + 1, FIRST_HOP, NOW_NS), "per destination");
        assertFalse(cache.lower(DESTINATION + 1, 1500, FIRST_HOP, NOW_NS), "not above the first hop");
    }

    @Test
    void noReportLowersNothing()
    {
        assertFalse(cache.lower(DESTINATION, 0, FIRST_HOP, NOW_NS));
        assertEquals(0, cache.size());
    }

    @Test
    void nothingGoesBelowTheFloor()
    {
        assertTrue(cache.lower(DESTINATION, 100, FIRST_HOP, NOW_NS));
        assertEquals(PathMtuCache.MIN_PATH_MTU, cache.mtu(DESTINATION, FIRST_HOP, NOW_NS));
        assertFalse(cache.lower(DESTINATION, 68, FIRST_HOP, NOW_NS));
    }

    @Test
    void anEntryExpiresTenMinutesAfterItWasLowered()
    {
        cache.lower(DESTINATION, 1280, FIRST_HOP, NOW_NS);
        cache.lower(DESTINATION, 1000, FIRST_HOP, NOW_NS + 1000);
        final int generation = cache.generation();

        assertEquals(1000, cache.mtu(DESTINATION, FIRST_HOP, NOW_NS + 1000 + PathMtuCache.EXPIRY_NS - 1));
        assertEquals(FIRST_HOP, cache.mtu(DESTINATION, FIRST_HOP, NOW_NS + 1000 + PathMtuCache.EXPIRY_NS));
        assertNotEquals(generation, cache.generation(), "an expiry is a change");
        assertEquals(0, cache.size());
    }

    @Test
    void aFullCacheGivesUpTheEntryThatExpiresFirst()
    {
        for (int i = 0; i < PathMtuCache.CAPACITY * 4; i++)
        {
            assertTrue(cache.lower(DESTINATION + i, 1280, FIRST_HOP, NOW_NS + i));
        }
        assertEquals(PathMtuCache.CAPACITY, cache.size(), "fixed capacity");
        final int last = DESTINATION + PathMtuCache.CAPACITY * 4 - 1;
        assertEquals(1280, cache.mtu(last, FIRST_HOP, NOW_NS), "the newest entry stays");
        assertEquals(FIRST_HOP, cache.mtu(DESTINATION, FIRST_HOP, NOW_NS), "the oldest went");
    }

    @Test
    void lookingUpLoweringEvictingAndExpiringAllocateNothing()
    {
        final AllocationMeter meter = AllocationMeter.forCurrentThread();
        meter.warmUp(50, 3, () -> meter.bytesDuring(this::churn, 100_000), () -> "cache of " + cache.size());

        final AllocationMeter.Measurement measurement = meter.measure(this::churn, 1_000_000, 5);

        assertEquals(0, measurement.bytes(), () -> "heap bytes allocated by a million lookups and reports (JIT " +
            "compiled for " + measurement.jitMillis() + " ms meanwhile)");
    }

    /**
     * Each round reports a path MTU for one of 1024 destinations, so that sets overflow, and looks up another; time
     * runs so that entries expire.
     */
    private void churn(final int rounds)
    {
        for (int i = 0; i < rounds; i++)
        {
            final long nowNs = NOW_NS + i * (PathMtuCache.EXPIRY_NS / 50_000);
            cache.lower(DESTINATION + (i & 1023), 1280 - (i & 255), FIRST_HOP, nowNs);
            cache.mtu(DESTINATION + (i * 7 & 1023), FIRST_HOP, nowNs);
        }
    }
}
