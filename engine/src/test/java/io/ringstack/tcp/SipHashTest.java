package io.ringstack.tcp;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

class SipHashTest
{
    /**
     * The reference vector of the SipHash paper (appendix A / vectors.h): key 00..0f, message 00..0f, 16 bytes,
     * output db 9b c2 57 7f cc 2a 3f (little-endian).
     */
    @Test
    void matchesTheReferenceVectorForSixteenBytes()
    {
        final SipHash hash = new SipHash(0x0706050403020100L, 0x0F0E0D0C0B0A0908L);

        assertEquals(0x3F2ACC7F57C29BDBL, hash.hash(0x0706050403020100L, 0x0F0E0D0C0B0A0908L));
    }
}
