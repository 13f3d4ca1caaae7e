package io.ringstack.tcp;

import io.ringstack.config.Setting;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static io.ringstack.wire.TcpSegment.FLAG_ACK;
import static io.ringstack.wire.TcpSegment.FLAG_PSH;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * D-SACK (RFC 2883): the engine as a receiver reports each duplicate segment in the first SACK block of its next
 * ACK, once (section 4); as a sender it tells a D-SACK block from an ordinary one and counts it.
 */
class TcpDsackScenarioTest
{
    private TcpTestbed bed;
    private ScriptedConnection connection;

    @AfterEach
    void close()
    {
        bed.close();
    }

    /**
     * RFC 2883 section 4.1.1, a segment received twice: the ACK for the duplicate carries [start, end) of it, below
     * the cumulative ACK.
     */
    @Test
    void aDuplicateBelowTheCumulativeAckIsReportedInTheFirstBlock()
    {
        open();
        final int start = connection.peerNext;
        connection.peerSends("abcd");
        bed.sent();

        bed.send(connection.peer(FLAG_ACK | FLAG_PSH).seq(start).payload("abcd"));
        final SentSegment ack = connection.expect();

        assertEquals(start + 4, ack.acknowledgment);
        assertArrayEquals(new int[] { start, start + 4 }, ack.sackBlocks, "the D-SACK block, alone");
        connection.peerSends("e");
        assertArrayEquals(new int[0], bed.sent().stream().flatMapToInt((s) -> java.util.Arrays.stream(s.sackBlocks))
            .toArray(), "reported once");
    }

    /**
     * RFC 2883 section 4.2.1, a duplicate of out-of-order data: the D-SACK block first, then the SACK block that
     * holds it.
     */
    @Test
    void aDuplicateOfOutOfOrderDataLeadsItsSackBlock()
    {
        open();
        final int start = connection.peerNext;
        bed.send(connection.peer(FLAG_ACK | FLAG_PSH).seq(start + 100).payload("wxyz"));
        bed.sent();

        bed.send(connection.peer(FLAG_ACK | FLAG_PSH).seq(start + 100).payload("wxyz"));
        final SentSegment ack = connection.expect();

        assertEquals(start, ack.acknowledgment);
        assertArrayEquals(new int[] { start + 100, start + 104, start + 100, start + 104 }, ack.sackBlocks);
    }

    @Test
    void aReceivedDsackBlockIsCountedAndLeavesTheScoreboardAlone()
    {
        open();
        assertEquals(3000, bed.write(connection.fd, new byte[3000]));
        bed.sent().forEach(connection::noteSent);
        final int una = connection.ourNext - 3000;

        bed.send(connection.peer(FLAG_ACK).ack(una + 1000).sack(una, una + 1000));
        final List<SentSegment> sent = bed.sent();

        assertEquals(1, bed.counters().tcpDsacksReceived.get());
        assertEquals(0, bed.counters().tcpRetransmittedSegments.get(), sent::toString);
    }

    private void open()
    {
        bed = TcpTestbed.start(context -> context.set(Setting.TCP_TIMESTAMPS, false));
        connection =
            ConnectionSetup.active(bed).ourPort(40000).peerPort(80).peerWindowShift(7).peerSackPermitted().open();
    }
}
