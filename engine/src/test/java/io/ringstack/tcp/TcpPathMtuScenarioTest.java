package io.ringstack.tcp;

import io.ringstack.iface.DropReason;
import io.ringstack.iface.PathMtuCache;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Path MTU discovery for TCP (RFC 1191): every segment carries Don't Fragment; a fragmentation needed quoting a
 * segment in flight lowers the path MTU of its destination and the connection's MSS, and what was in flight goes
 * again at once in segments that fit, without waiting for the RTO; ICMP never raises the path MTU, and what it
 * lowered comes back after 10 minutes.
 */
class TcpPathMtuScenarioTest
{
    private static final int OUR_PORT = 40000;
    private static final int PEER_PORT = 80;
    private static final int MSS = 1460;
    private static final int IP_TCP_HEADERS = 40;
    private static final int ETHERNET_HEADER = 14;
    private static final int DONT_FRAGMENT = 0x40;

    private TcpTestbed bed;
    private ScriptedConnection connection;

    @BeforeEach
    void open()
    {
        bed = TcpTestbed.start();
        connection = ConnectionSetup.active(bed).ourPort(OUR_PORT).peerPort(PEER_PORT).peerWindowShift(4).open();
    }

    @AfterEach
    void close()
    {
        bed.close();
    }

    @ParameterizedTest(name = "next-hop MTU {0}: segments of {1} bytes")
    @CsvSource({
        "1280, 1240",   // RFC 1191 section 4
        "0, 1452",      // an older router: the plateau 1492 below the 1500 bytes that did not pass (section 5)
        "1006, 966",
        "296, 512",     // never below 552 bytes (Linux's min_pmtu)
    })
    void aFragmentationNeededResendsWhatIsInFlightAtOnceInSegmentsThatFit(final int nextHopMtu, final int newMss)
    {
        final int start = connection.ourNext;
        final List<byte[]> flight = sendFullSegments(3);

        bed.receive(IcmpErrorFrame.quoting(flight.get(0)).nextHopMtu(nextHopMtu).frame());

        final List<byte[]> again = bed.device().takeTransmitted();
        assertEquals(1, bed.counters().tcpPathMtuReductions.get());
        assertEquals(0, bed.counters().tcpRetransmissionTimeouts.get(), "no RTO was waited for");
        int expected = start;
        for (final byte[] frame : again)
        {
            final SentSegment segment = SentSegment.parse(frame);
            assertEquals(expected, segment.sequence, "in order from SND.UNA: " + segment);
            assertTrue(segment.payload.length <= newMss, () -> segment + " longer than the MSS " + newMss);
            assertTrue(ipTotalLength(frame) <= newMss + IP_TCP_HEADERS, "fits the path");
            assertDontFragment(frame);
            expected = segment.end();
        }
        assertEquals(start + 3 * MSS, expected, "everything in flight went again");
        assertEquals(newMss, SentSegment.parse(again.get(0)).payload.length, "full segments of the new MSS");
    }

    @Test
    void everySegmentCarriesDontFragment()
    {
        for (final byte[] frame : sendFullSegments(2))
        {
            assertDontFragment(frame);
        }
    }

    @Test
    void aReportNoLowerThanThePathIsCountedAndChangesNothing()
    {
        final List<byte[]> flight = sendFullSegments(2);
        bed.receive(IcmpErrorFrame.quoting(flight.get(0)).nextHopMtu(1280).frame());
        bed.device().takeTransmitted();

        bed.receive(IcmpErrorFrame.quoting(flight.get(0)).nextHopMtu(1400).frame());

        assertEquals(1, bed.drops(DropReason.ICMP_PATH_MTU_NOT_LOWER), "never raised by ICMP (RFC 1191 6.3)");
        assertEquals(1, bed.counters().tcpPathMtuReductions.get());
        bed.expectNothingSent();
    }

    @Test
    void aBlindFragmentationNeededQuotingASequenceNotInFlightChangesNothing()
    {
        final List<byte[]> flight = sendFullSegments(1);

        final int pastSendMax = SentSegment.parse(flight.get(0)).end() + 1;

        bed.receive(IcmpErrorFrame.quoting(flight.get(0)).nextHopMtu(576).quotedSequence(pastSendMax).frame());

        assertEquals(1, bed.drops(DropReason.ICMP_TCP_OUT_OF_WINDOW));
        bed.expectNothingSent();
        connection.ourNext += MSS;
        connection.peerAcksAll();
        assertEquals(MSS, SentSegment.parse(sendFullSegments(1).get(0)).payload.length, "the MSS is unchanged");
    }

    @Test
    void aLaterConnectionToTheSameDestinationSendsToThePathMtu()
    {
        final List<byte[]> flight = sendFullSegments(1);
        bed.receive(IcmpErrorFrame.quoting(flight.get(0)).nextHopMtu(1280).frame());
        bed.device().takeTransmitted();

        connection = ConnectionSetup.active(bed).ourPort(OUR_PORT + 1).peerPort(PEER_PORT).peerWindowShift(4).open();

        assertEquals(1240, SentSegment.parse(sendFullSegments(1).get(0)).payload.length);
    }

    @Test
    void theLoweredPathMtuExpiresAfterTenMinutes()
    {
        final List<byte[]> flight = sendFullSegments(1);
        bed.receive(IcmpErrorFrame.quoting(flight.get(0)).nextHopMtu(1280).frame());
        bed.device().takeTransmitted();
        connection.ourNext += MSS;
        connection.peerAcksAll();

        bed.clock().advance(PathMtuCache.EXPIRY_NS - 1_000_000);
        assertEquals(1240, SentSegment.parse(sendFullSegments(1).get(0)).payload.length, "still lowered");
        connection.ourNext += 1240;
        connection.peerAcksAll();
        bed.device().takeTransmitted();

        bed.clock().advance(1_000_000);
        bed.runUntilIdle();
        final List<byte[]> later = sendFullSegments(2);

        final int lengths = later.stream().mapToInt(frame -> SentSegment.parse(frame).payload.length).max().orElse(0);
        assertEquals(MSS, lengths, "back to the first hop's MTU");
    }

    /**
     * The application writes {@code count} full segments' worth; the engine sends them.
     */
    private List<byte[]> sendFullSegments(final int count)
    {
        final byte[] data = new byte[count * MSS];
        Arrays.fill(data, (byte)'m');
        assertEquals(data.length, bed.write(connection.fd, data));
        final List<byte[]> frames = new ArrayList<>(bed.device().takeTransmitted());
        assertTrue(!frames.isEmpty(), "sent");
        return frames;
    }

    private static int ipTotalLength(final byte[] frame)
    {
        return ((frame[ETHERNET_HEADER + 2] & 0xFF) << 8) | (frame[ETHERNET_HEADER + 3] & 0xFF);
    }

    private static void assertDontFragment(final byte[] frame)
    {
        assertEquals(DONT_FRAGMENT, frame[ETHERNET_HEADER + 6] & 0xE0, "DF set, MF clear");
    }
}
