package io.ringstack.tcp;

import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static io.ringstack.wire.TcpSegment.FLAG_ACK;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The congestion window counts segments of the payload a segment really carries: with timestamps on an MSS of 1460
 * carries 1448 bytes (RFC 7323 section 3, RFC 6691), and a window of whole segments never cuts one short. No
 * segment, first transmission or retransmission, is shorter than a full one except the last of the data.
 */
class TcpSegmentSizeScenarioTest
{
    private static final int PAYLOAD = 1460 - 12;

    private TcpTestbed bed;

    @AfterEach
    void close()
    {
        bed.close();
    }

    @Test
    void afterATimeoutTheWindowGrowsInFullSegmentsOfThePayloadWithTimestamps()
    {
        final ScriptedConnection connection = open();
        final int start = connection.ourNext;
        final int segments = 30;
        write(connection, segments * PAYLOAD);
        assertEquals(10, bed.sent().size(), "the initial window: 10 segments");

        bed.advanceUntilSent(5_000_000_000L);
        final SentSegment timedOut = connection.expect();
        assertEquals(start, timedOut.sequence, "the timeout resends SND.UNA");
        assertEquals(PAYLOAD, timedOut.payload.length, "one full segment: the loss window of one segment");

        int acked = start + PAYLOAD;
        for (int round = 0; round < 6; round++)
        {
            bed.send(connection.peer(FLAG_ACK).ack(acked));
            final List<SentSegment> sent = bed.sent();
            assertTrue(!sent.isEmpty(), "round " + round + ": the window opened");
            for (final SentSegment segment : sent)
            {
                final boolean endOfData = segment.end() == start + segments * PAYLOAD;
                assertTrue(segment.payload.length == PAYLOAD || endOfData,
                    () -> "round: a short segment before the end of data: " + segment + " in " + sent);
                acked = Math.max(acked, segment.end());
            }
        }
    }

    @Test
    void onlyTheEndOfTheDataGoesInAShortSegment()
    {
        final ScriptedConnection connection = open();
        write(connection, 3 * PAYLOAD + 100);
        final List<SentSegment> sent = bed.sent();

        assertEquals(List.of(PAYLOAD, PAYLOAD, PAYLOAD, 100), sent.stream().map(s -> s.payload.length).toList(),
            "full segments, then the end of the data at once: no small segment was unacknowledged (Minshall's Nagle)");
    }

    @Test
    void aLossProbeIsAFullSegmentOfNewDataWhateverSliverTheWindowLeaves()
    {
        bed = TcpTestbed.start();
        final ScriptedConnection connection = ConnectionSetup.active(bed).ourPort(40000).peerPort(80)
            .peerWindowShift(7).peerSackPermitted().peerTimestamps().roundTripMs(10).open();
        final int start = connection.ourNext;
        write(connection, 20 * PAYLOAD);
        assertEquals(10, bed.sent().size(), "the initial window: 10 segments");
        bed.advanceMillis(10);

        bed.send(connection.peer(FLAG_ACK).ack(start + 100));
        bed.expectNothingSent();
        bed.advanceUntilSent(5_000_000_000L);
        final SentSegment probe = connection.expect();

        assertEquals(start + 10 * PAYLOAD, probe.sequence, "new data (RFC 8985 7.3)");
        assertEquals(PAYLOAD, probe.payload.length, "one full segment, not the 200 bytes cwnd leaves");
        assertEquals(1, bed.counters().tcpLossProbes.get());
    }

    private ScriptedConnection open()
    {
        bed = TcpTestbed.start();
        return ConnectionSetup.active(bed).ourPort(40000).peerPort(80).peerWindowShift(7).peerTimestamps().open();
    }

    private void write(final ScriptedConnection connection, final int length)
    {
        final byte[] data = new byte[length];
        assertEquals(length, bed.write(connection.fd, data));
    }
}
