package io.ringstack.tcp;

import io.ringstack.config.Setting;
import io.ringstack.errno.Errno;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static io.ringstack.wire.TcpSegment.FLAG_ACK;
import static io.ringstack.wire.TcpSegment.FLAG_PSH;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Loss: the retransmission timer (RFC 6298) with exponential back-off and its give-up, fast retransmit on three
 * duplicate ACKs (RFC 5681), NewReno partial acknowledgments (RFC 6582) and SACK-driven recovery (RFC 6675), and the
 * sequence number of a bare ACK after a timeout (RFC 9293 3.10.7.4).
 */
class TcpRetransmissionScenarioTest
{
    private static final int MSS = 1460;

    private TcpTestbed bed;

    @AfterEach
    void close()
    {
        bed.close();
    }

    @Test
    void unacknowledgedDataIsRetransmittedWithExponentialBackOff()
    {
        bed = TcpTestbed.start();
        final ScriptedConnection connection = ConnectionSetup.active(bed).ourPort(40000).peerPort(80).open();
        connection.write("lost");
        final SentSegment original = connection.expect();

        long expectedMs = 200;
        for (int retry = 1; retry <= 3; retry++)
        {
            final long waitedMs = TimeUnit.NANOSECONDS.toMillis(bed.advanceUntilSent(TimeUnit.SECONDS.toNanos(5)));
            final SentSegment again = connection.expect();
            assertEquals(original.sequence, again.sequence);
            assertEquals("lost", again.text());
            assertTrue(Math.abs(waitedMs - expectedMs) <= 3,
                "retry " + retry + " after " + waitedMs + " ms, expected " + expectedMs + " (min RTO, doubled)");
            expectedMs *= 2;
        }
        assertEquals(3, bed.counters().tcpRetransmissionTimeouts.get());

        connection.peerAcksAll();
        bed.advanceMillis(5000);
        bed.expectNothingSent();
    }

    @Test
    void connectionGivesUpWithEtimedoutAfterTheLastRetransmission()
    {
        bed = TcpTestbed.start(context -> context.set(Setting.TCP_MAX_RETRANSMISSIONS, 3));
        final ScriptedConnection connection = ConnectionSetup.active(bed).ourPort(40000).peerPort(80).open();
        connection.write("void");
        connection.expect();

        bed.advanceMillis(200 + 400 + 800 + 1600 + 10);

        assertEquals(3, bed.sent().size(), "three retransmissions");
        assertEquals(-Errno.ETIMEDOUT, connection.readError());
        assertEquals(1, bed.counters().tcpConnectionTimeouts.get());
    }

    @Test
    void threeDuplicateAcksTriggerFastRetransmitAndPartialAckRetransmitsTheNextHole()
    {
        bed = TcpTestbed.start(context -> context.set(Setting.TCP_SACK, false));
        final ScriptedConnection connection =
            ConnectionSetup.active(bed).ourPort(40000).peerPort(80).peerWindowShift(4).open();
        final int start = connection.ourNext;
        final List<SentSegment> flight = sendSegments(connection, 10);
        assertEquals(10, flight.size(), "the initial window is 10 segments (RFC 6928)");

        // Segments 2 and 5 are lost: the peer acknowledges 1, then duplicates for 3 and 4.
        bed.send(connection.peer(FLAG_ACK).ack(start + MSS));
        bed.expectNothingSent();
        for (int dup = 1; dup <= 3; dup++)
        {
            bed.send(connection.peer(FLAG_ACK).ack(start + MSS));
        }
        final SentSegment fastRetransmit = connection.expect();
        assertEquals(start + MSS, fastRetransmit.sequence, "segment 2 again, before any timeout");
        assertEquals(1, bed.counters().tcpFastRetransmits.get());
        assertEquals(0, bed.counters().tcpRetransmissionTimeouts.get());

        // Segment 2 arrives: the peer now has 1-4, acknowledges up to 5, a partial ACK.
        bed.send(connection.peer(FLAG_ACK).ack(start + 4 * MSS));
        final List<SentSegment> afterPartial = bed.sent();
        assertTrue(afterPartial.stream().anyMatch(segment -> segment.sequence == start + 4 * MSS),
            () -> "partial ACK retransmits segment 5: " + afterPartial);

        bed.send(connection.peer(FLAG_ACK).ack(start + 10 * MSS));
        bed.advanceMillis(1000);
        bed.expectNothingSent();
    }

    @Test
    void sackRecoveryRetransmitsEveryHoleTheScoreboardShows()
    {
        bed = TcpTestbed.start();
        final ScriptedConnection connection =
            ConnectionSetup.active(bed).ourPort(40000).peerPort(80).peerWindowShift(4).peerSackPermitted().open();
        final int start = connection.ourNext;
        sendSegments(connection, 10);

        // Segments 2 and 5 are lost; the peer SACKs what it has.
        bed.send(connection.peer(FLAG_ACK).ack(start + MSS));
        bed.sent();
        final int[] after = { 3, 4, 6, 7, 8 };
        for (final int segment : after)
        {
            final int sacked = segment == 3 || segment == 4 ? 3 : 6;
            bed.send(connection.peer(FLAG_ACK).ack(start + MSS).sack(
                start + (sacked - 1) * MSS, start + segment * MSS,
                start + 2 * MSS, start + 4 * MSS));
        }
        final List<SentSegment> retransmitted = bed.sent();
        assertTrue(retransmitted.stream().anyMatch(segment -> segment.sequence == start + MSS),
            () -> "hole at segment 2 retransmitted: " + retransmitted);
        assertTrue(retransmitted.stream().anyMatch(segment -> segment.sequence == start + 4 * MSS),
            () -> "hole at segment 5 retransmitted before any cumulative ACK: " + retransmitted);
        assertTrue(retransmitted.stream().noneMatch(segment -> segment.sequence == start + 2 * MSS),
            () -> "SACKed segment 3 not retransmitted: " + retransmitted);
        assertEquals(0, bed.counters().tcpRetransmissionTimeouts.get());
    }

    @Test
    void receiverSendsSackBlocksForOutOfOrderData()
    {
        bed = TcpTestbed.start();
        final ScriptedConnection connection =
            ConnectionSetup.active(bed).ourPort(40000).peerPort(80).peerWindowShift(4).peerSackPermitted().open();
        final int next = connection.peerNext;

        bed.send(connection.peer(FLAG_ACK).seq(next + 10).payload("0123456789"));
        final SentSegment dupAck = connection.expect();
        assertEquals(next, dupAck.acknowledgment, "duplicate ACK at once for out-of-order data");
        assertArrayEquals(new int[]{ next + 10, next + 20 }, dupAck.sackBlocks);

        bed.send(connection.peer(FLAG_ACK).seq(next + 30).payload("abcdefghij"));
        assertArrayEquals(new int[]{ next + 30, next + 40, next + 10, next + 20 }, connection.expect().sackBlocks,
            "the newest block first (RFC 2018 4)");

        bed.send(connection.peer(FLAG_ACK).seq(next).payload("ABCDEFGHIJ"));
        final SentSegment filled = connection.expect();
        assertEquals(next + 20, filled.acknowledgment, "filling the hole acknowledges through the first block");
        assertArrayEquals(new int[]{ next + 30, next + 40 }, filled.sackBlocks);
        assertEquals("ABCDEFGHIJ0123456789", connection.read());
    }

    /**
     * A retransmission timeout sends SND.NXT back to SND.UNA while SND.MAX stays where the sending got to. The peer
     * may hold everything up to SND.MAX already (only its acknowledgments were lost, as in an outage), so that its
     * RCV.NXT is SND.MAX: a bare ACK numbered SND.NXT would lie below its window, and RFC 9293 3.10.7.4 has the peer
     * drop it, and with it what it acknowledged. A bare ACK carries SND.MAX, as Linux's does
     * ({@code tcp_acceptable_seq}: Linux never moves snd_nxt back, its snd_nxt being our SND.MAX).
     */
    @Test
    void aBareAckAfterARetransmissionTimeoutCarriesSndMaxNotTheRewoundSndNxt()
    {
        bed = TcpTestbed.start();
        final ScriptedConnection connection = ConnectionSetup.active(bed).ourPort(40000).peerPort(80).open();
        final int start = connection.ourNext;
        assertEquals(2, sendSegments(connection, 2).size(), "SND.MAX is two segments past SND.UNA");

        bed.advanceUntilSent(TimeUnit.SECONDS.toNanos(5));
        assertEquals(start, connection.expect().sequence, "the timeout resends the first segment only");

        bed.send(connection.peer(FLAG_ACK | FLAG_PSH).ack(start).payload("x"));
        connection.peerNext++;
        bed.advanceUntilSent(TimeUnit.SECONDS.toNanos(1));
        final SentSegment ack = connection.expect();

        assertTrue(ack.is(FLAG_ACK) && ack.text().isEmpty(), () -> "a bare ACK: " + ack);
        assertEquals(connection.peerNext, ack.acknowledgment);
        assertEquals(start + 2 * MSS, ack.sequence, "SND.MAX, inside the window of a peer that holds both segments");
    }

    private List<SentSegment> sendSegments(final ScriptedConnection connection, final int count)
    {
        final byte[] data = new byte[count * MSS];
        for (int i = 0; i < data.length; i++)
        {
            data[i] = (byte)i;
        }
        assertEquals(data.length, bed.write(connection.fd, data));
        final List<SentSegment> segments = bed.sent();
        for (final SentSegment segment : segments)
        {
            connection.ourNext = Math.max(connection.ourNext, segment.end());
        }
        return segments;
    }
}
