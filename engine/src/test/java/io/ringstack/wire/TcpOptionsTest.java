package io.ringstack.wire;

import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.stream.Stream;

import static io.ringstack.wire.GoldenFrames.TCP_SYN;
import static io.ringstack.wire.GoldenFrames.assertSameBytes;
import static io.ringstack.wire.GoldenFrames.frame;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.params.provider.Arguments.arguments;

class TcpOptionsTest
{
    /** Four SACK blocks, which fit only without timestamps (RFC 2018 section 3), written byte by byte. */
    private static final String FOUR_SACK_BLOCKS =
        "01 01" +                                                             // NOP, NOP: align the blocks
        "05 22" +                                                             // SACK, length 2 + 4 x 8 = 34
        "00001000 00001400" +                                                 // left 4096, right 5120
        "00002000 00002400" +
        "00003000 00003400" +
        "ffffff00 00000100";                                                  // wraps past 2^32

    private final TcpOptions options = new TcpOptions();

    @Test
    void parsesFourSackBlocksAndReEmitsThem()
    {
        final UnsafeBuffer golden = frame(FOUR_SACK_BLOCKS);

        assertEquals(TcpOptions.VALID, options.wrap(golden, 0, golden.capacity()));
        assertEquals(TcpOptions.MAX_SACK_BLOCKS, options.sackBlockCount());
        assertEquals(0x1000, options.sackLeft(0));
        assertEquals(0x1400, options.sackRight(0));
        assertEquals(0x2000, options.sackLeft(1));
        assertEquals(0x2400, options.sackRight(1));
        assertEquals(0x3000, options.sackLeft(2));
        assertEquals(0x3400, options.sackRight(2));
        assertEquals(0xFFFF_FF00, options.sackLeft(3));
        assertEquals(0x100, options.sackRight(3));
        assertFalse(options.hasTimestamps());

        final UnsafeBuffer built = new UnsafeBuffer(new byte[golden.capacity()]);
        int position = TcpOptions.writeNop(built, 0);
        position = TcpOptions.writeNop(built, position);
        position = TcpOptions.writeSackHeader(built, position, 4);
        position = TcpOptions.writeSackBlock(built, position, 0x1000, 0x1400);
        position = TcpOptions.writeSackBlock(built, position, 0x2000, 0x2400);
        position = TcpOptions.writeSackBlock(built, position, 0x3000, 0x3400);
        position = TcpOptions.writeSackBlock(built, position, 0xFFFF_FF00, 0x100);

        assertEquals(golden.capacity(), position);
        assertSameBytes(golden, 0, built, 0, golden.capacity());
    }

    @Test
    void endOfOptionListStopsParsingSoPaddingAfterItIsIgnored()
    {
        final UnsafeBuffer area = frame("020405b4 00 02 ff ff");

        assertEquals(TcpOptions.VALID, options.wrap(area, 0, area.capacity()));
        assertTrue(options.hasMss());
        assertEquals(1460, options.mss());
    }

    @Test
    void unknownKindIsSkippedByItsLength()
    {
        final UnsafeBuffer area = frame("1e 04 abcd 020405b4");

        assertEquals(TcpOptions.VALID, options.wrap(area, 0, area.capacity()));
        assertEquals(1460, options.mss());
    }

    @Test
    void wrapForgetsTheOptionsOfThePreviousSegment()
    {
        final UnsafeBuffer syn = frame(TCP_SYN);
        final int synOptions = EthernetFrame.HEADER_LENGTH + Ipv4Packet.HEADER_LENGTH + TcpSegment.HEADER_LENGTH;
        assertEquals(TcpOptions.VALID, options.wrap(syn, synOptions, 20));
        assertTrue(options.hasMss());
        final UnsafeBuffer sack = frame(FOUR_SACK_BLOCKS);
        assertEquals(TcpOptions.VALID, options.wrap(sack, 0, sack.capacity()));

        assertEquals(TcpOptions.VALID, options.wrap(frame("01010101"), 0, 4));
        assertFalse(options.hasMss());
        assertFalse(options.hasWindowScale());
        assertFalse(options.isSackPermitted());
        assertFalse(options.hasTimestamps());
        assertEquals(0, options.sackBlockCount());
    }

    static Stream<Arguments> optionAreas()
    {
        return Stream.of(
            arguments("empty area", "", TcpOptions.VALID),
            arguments("only NOPs", "01 01 01 01", TcpOptions.VALID),
            arguments("kind without a length byte", "01 01 01 02", TcpOptions.TRUNCATED),
            arguments("MSS running past the end", "01 02 04 05", TcpOptions.TRUNCATED),
            arguments("unknown option running past the end", "fe 08 00 00", TcpOptions.TRUNCATED),
            arguments("SACK block cut by the end", "05 0a 00000000", TcpOptions.TRUNCATED),
            arguments("length 0", "08 00 00 00", TcpOptions.BAD_LENGTH),
            arguments("length 1", "1e 01 00 00", TcpOptions.BAD_LENGTH),
            arguments("MSS of length 3", "02 03 05 00", TcpOptions.BAD_LENGTH),
            arguments("window scale of length 4", "03 04 0a 00", TcpOptions.BAD_LENGTH),
            arguments("SACK permitted of length 3", "04 03 00 01", TcpOptions.BAD_LENGTH),
            arguments("timestamps of length 8", "08 08 00000000 0000", TcpOptions.BAD_LENGTH),
            arguments("SACK without blocks", "05 02 01 01", TcpOptions.BAD_LENGTH),
            arguments("SACK with half a block", "05 06 00000000", TcpOptions.BAD_LENGTH),
            arguments("SACK with five blocks", "05 2a" + "00".repeat(40), TcpOptions.BAD_LENGTH),
            arguments("bad option after a good one", "020405b4 08 00", TcpOptions.BAD_LENGTH));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("optionAreas")
    void wrapReportsMalformedOptionsInsteadOfThrowing(
        final String description, final String optionsHex, final int expected)
    {
        final UnsafeBuffer area = frame(optionsHex);

        assertEquals(expected, options.wrap(area, 0, area.capacity()));
    }
}
