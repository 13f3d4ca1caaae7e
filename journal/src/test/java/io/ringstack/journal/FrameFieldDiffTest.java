package io.ringstack.journal;

import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Divergence reports name the header fields two frames differ in, both values decoded, in header order.
 */
class FrameFieldDiffTest
{
    /**
     * Ethernet, then the IPv4 header of RFC 1071's worked example as it is usually quoted (192.168.0.1 to
     * 192.168.0.199, UDP, TTL 64, checksum 0xb861), then UDP 40000 to 7 with 4 bytes of data.
     */
    private static final String UDP_FRAME =
        "525400123456" + "525400abcdef" + "0800" +
        "45000020" + "00004000" + "4011b861" + "c0a80001" + "c0a800c7" +
        "9c400007000c0000" + "74657374";

    @Test
    void aRouterHopChangesTheTtlAndTheHeaderChecksum()
    {
        final byte[] recorded = bytes(UDP_FRAME);
        final byte[] replayed = recorded.clone();
        replayed[14 + 8] = 63;
        replayed[14 + 10] = (byte)0xb9;

        assertEquals(List.of("IPv4 TTL 64 → 63", "IPv4 header checksum 0xb861 → 0xb961"),
            FrameFieldDiff.describe(recorded, replayed));
    }

    @Test
    void addressesPortsAndPayloadAreDecoded()
    {
        final byte[] recorded = bytes(UDP_FRAME);
        final byte[] replayed = recorded.clone();
        replayed[14 + 19] = 2;
        replayed[34 + 3] = 9;
        replayed[42 + 2] = 'x';

        assertEquals(List.of("IPv4 destination 192.168.0.199 → 192.168.0.2", "UDP destination port 7 → 9",
            "payload byte 2 (frame byte 44) 0x73 → 0x78"), FrameFieldDiff.describe(recorded, replayed));
    }

    @Test
    void aTcpWindowIsNamed()
    {
        final String tcp = "525400123456" + "525400abcdef" + "0800" +
            "45000028" + "00004000" + "40060000" + "0a00020f" + "0a000202" +
            "0050c350" + "00000001" + "00000002" + "5010faf0" + "00000000";
        final byte[] recorded = bytes(tcp);
        final byte[] replayed = recorded.clone();
        replayed[34 + 14] = 0x72;
        replayed[34 + 15] = 0x10;

        assertEquals(List.of("TCP window 64240 → 29200"), FrameFieldDiff.describe(recorded, replayed));
    }

    @Test
    void aShorterFrameSaysSoAndComparesWhatBothHold()
    {
        final byte[] recorded = bytes(UDP_FRAME);
        final byte[] replayed = Arrays.copyOf(recorded, 20);

        assertEquals(List.of("frame length 46 → 20"), FrameFieldDiff.describe(recorded, replayed));
    }

    private static byte[] bytes(final String hex)
    {
        return HexFormat.of().parseHex(hex);
    }
}
