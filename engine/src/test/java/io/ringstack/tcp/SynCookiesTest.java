package io.ringstack.tcp;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SynCookiesTest
{
    private static final long MINUTE_NS = 64_000_000_000L;
    private final SynCookies cookies = new SynCookies(1, 2);

    @Test
    void aCookieChecksOutWithItsMssForTwoPeriodsAndNotAfter()
    {
        final long nowNs = 1000 * MINUTE_NS;
        final int cookie = cookies.cookie(10, 80, 20, 5000, 12345, 2, nowNs);

        assertEquals(2, cookies.check(10, 80, 20, 5000, 12345, cookie, nowNs));
        assertEquals(2, cookies.check(10, 80, 20, 5000, 12345, cookie, nowNs + MINUTE_NS));
        assertEquals(-1, cookies.check(10, 80, 20, 5000, 12345, cookie, nowNs + 2 * MINUTE_NS));
    }

    @Test
    void anotherPairOrSequenceDoesNotCheckOut()
    {
        final int cookie = cookies.cookie(10, 80, 20, 5000, 12345, 3, 0);

        assertEquals(-1, cookies.check(10, 80, 20, 5001, 12345, cookie, 0));
        assertEquals(-1, cookies.check(10, 80, 20, 5000, 12345 + 1000, cookie, 0));
        assertEquals(-1, cookies.check(10, 80, 20, 5000, 12345, cookie + 1, 0));
    }

    @Test
    void optionsRideInTheLowBitsOfTheTimestamp()
    {
        final int value = SynCookies.encodeOptions(0x12345678, 7, true, false);

        assertEquals(7, SynCookies.windowShift(value));
        assertEquals(true, SynCookies.sackPermitted(value));
        assertEquals(-1, SynCookies.windowShift(SynCookies.encodeOptions(0x12345678, -1, false, false)));
        assertEquals(1460, SynCookies.MSS_TABLE[SynCookies.mssIndexFor(1500)]);
        assertEquals(1300, SynCookies.MSS_TABLE[SynCookies.mssIndexFor(1400)]);
    }

    @Test
    void ecnRidesInBitFiveOfTheTimestampAsLinuxPutsIt()
    {
        final int value = SynCookies.encodeOptions(0x12345678, 7, true, true);

        assertEquals(0x12345640 | 0x20 | 0x10 | 7, value);
        assertTrue(SynCookies.ecn(value));
        assertEquals(7, SynCookies.windowShift(value));
        assertFalse(SynCookies.ecn(SynCookies.encodeOptions(0x12345678, 7, true, false)));
    }
}
