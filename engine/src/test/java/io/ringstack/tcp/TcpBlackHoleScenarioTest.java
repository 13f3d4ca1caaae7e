package io.ringstack.tcp;

import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A path MTU black hole (RFC 2923 2.1, RFC 4821, RFC 8899): a router drops segments too big for its link and sends
 * no fragmentation needed. As Linux with {@code tcp_mtu_probing=1}, once three retransmissions of full-size
 * segments have timed out without an ACK ({@code tcp_retries1}), the connection sends with the base MSS of 1024
 * bytes ({@code tcp_base_mss}) from the fourth on; a connection whose lost segment was small keeps its MSS.
 */
class TcpBlackHoleScenarioTest
{
    private static final int MSS = 1460;

    private TcpTestbed bed;
    private ScriptedConnection connection;

    @BeforeEach
    void open()
    {
        bed = TcpTestbed.start();
        connection = ConnectionSetup.active(bed).ourPort(40000).peerPort(80).peerWindowShift(4).open();
    }

    @AfterEach
    void close()
    {
        bed.close();
    }

    @Test
    void afterThreeUnansweredRetransmissionsOfFullSegmentsTheFourthGoesAtTheBaseMss()
    {
        final int start = connection.ourNext;
        write(2 * MSS);
        assertEquals(2, bed.sent().size());

        final int[] retransmitted = new int[4];
        for (int i = 0; i < retransmitted.length; i++)
        {
            bed.advanceUntilSent(5_000_000_000L);
            final SentSegment again = connection.expect();
            assertEquals(start, again.sequence, "from SND.UNA");
            retransmitted[i] = again.payload.length;
        }

        assertEquals("[1460, 1460, 1460, 1024]", Arrays.toString(retransmitted));
        assertEquals(1, bed.counters().tcpPathMtuBlackHoles.get());
        connection.ourNext = start + TcpNegotiation.BLACK_HOLE_BASE_MSS;
        connection.peerAcksAll();
        final List<SentSegment> rest = bed.sent();
        assertEquals(2 * MSS - TcpNegotiation.BLACK_HOLE_BASE_MSS, rest.stream().mapToInt(s -> s.payload.length).sum());
        rest.forEach(segment -> assertTrue(segment.payload.length <= TcpNegotiation.BLACK_HOLE_BASE_MSS,
            () -> segment + " past the base MSS"));
    }

    @Test
    void aLostSmallSegmentIsNoBlackHole()
    {
        final int start = connection.ourNext;
        write(100);
        bed.sent();

        for (int i = 0; i < 5; i++)
        {
            bed.advanceUntilSent(10_000_000_000L);
            assertEquals(100, connection.expect().payload.length);
        }

        assertEquals(0, bed.counters().tcpPathMtuBlackHoles.get());
        connection.ourNext = start + 100;
        connection.peerAcksAll();
        write(2 * MSS);
        assertEquals(MSS, bed.sent().get(0).payload.length, "the MSS is unchanged");
    }

    private void write(final int length)
    {
        final byte[] data = new byte[length];
        Arrays.fill(data, (byte)'b');
        assertEquals(length, bed.write(connection.fd, data));
    }
}
