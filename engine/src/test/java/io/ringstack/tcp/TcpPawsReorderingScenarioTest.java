package io.ringstack.tcp;

import io.ringstack.iface.DropReason;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static io.ringstack.wire.TcpSegment.FLAG_ACK;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * PAWS (RFC 7323 section 5) on a receiver whose path reorders. The peer sends A, B and C with TSval 1001; A is held
 * back on the way, B arrives, the peer resends A with TSval 1020 and the resent A fills the hole, so TS.Recent
 * becomes 1020. C, sent before the resent A and overtaken by it, then arrives with its older TSval: it is new data,
 * no old duplicate from an earlier cycle of the sequence space, and is taken. The original A arrives last: a
 * duplicate of delivered data, dropped by PAWS, and reported by a D-SACK (RFC 2883) so that the peer learns its
 * retransmission was spurious.
 */
class TcpPawsReorderingScenarioTest
{
    private TcpTestbed bed;
    private ScriptedConnection connection;
    private int start;

    @BeforeEach
    void open()
    {
        bed = TcpTestbed.start();
        connection = ConnectionSetup.active(bed).ourPort(40000).peerPort(80).peerWindowShift(0).peerTimestamps()
            .peerSackPermitted().open();
        start = connection.peerNext;
        bed.send(segment(start + 4, 1001, "bbbb"));
        bed.send(segment(start, 1020, "aaaa"));
        bed.sent().forEach(connection::noteSent);
    }

    @AfterEach
    void close()
    {
        bed.close();
    }

    @Test
    void aSegmentOvertakenByARetransmissionIsTakenDespiteItsOlderTimestamp()
    {
        bed.send(segment(start + 8, 1001, "cccc"));

        assertEquals(0, bed.drops(DropReason.TCP_PAWS));
        assertEquals("aaaabbbbcccc", connection.read());
    }

    @Test
    void theLateOriginalOfResentDataIsDroppedWithADsack()
    {
        bed.send(segment(start, 1001, "aaaa"));

        assertEquals(1, bed.drops(DropReason.TCP_PAWS));
        final List<SentSegment> answer = bed.sent();
        assertEquals(1, answer.size(), () -> "one ACK: " + answer);
        assertTrue(answer.get(0).is(FLAG_ACK));
        assertArrayEquals(new int[] { start, start + 4 }, answer.get(0).sackBlocks, "D-SACK for the duplicate");
        assertEquals("aaaabbbb", connection.read());
    }

    private PeerSegment segment(final int sequence, final int timestamp, final String text)
    {
        return connection.peer(FLAG_ACK).seq(sequence).timestamps(timestamp, connection.ourLastTimestamp)
            .payload(text);
    }
}
