package io.ringstack.tcp;

import io.ringstack.config.Setting;
import io.ringstack.iface.DropReason;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static io.ringstack.tcp.ScriptedConnection.PEER_ISN;
import static io.ringstack.wire.TcpSegment.FLAG_ACK;
import static io.ringstack.wire.TcpSegment.FLAG_SYN;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Switches and bounds: a peer that offers no options, delayed ACK off, the bounded reassembly queue and the
 * bounded TIME-WAIT table.
 */
class TcpLimitsScenarioTest
{
    private TcpTestbed bed;

    @AfterEach
    void close()
    {
        bed.close();
    }

    @Test
    void peerWithoutOptionsGetsUnscaledWindowsAndTheDefaultMss()
    {
        bed = TcpTestbed.start();
        final int listener = bed.listen(8080);
        bed.send(bed.segment(50000, 8080, FLAG_SYN).seq(PEER_ISN));
        final SentSegment synAck = bed.expectSegment();
        assertEquals(-1, synAck.windowShift, "no window scale unless the SYN had one (RFC 7323 2.2)");
        assertTrue(!synAck.timestamps && !synAck.sackPermitted, synAck::toString);
        bed.send(bed.segment(50000, 8080, FLAG_ACK).seq(PEER_ISN + 1).ack(synAck.sequence + 1).window(65535));
        final int fd = bed.accept(listener);

        bed.write(fd, new byte[2000]);

        final SentSegment first = bed.sent().get(0);
        assertEquals(536, first.payload.length, "RFC 9293 3.7.1: 536 without an MSS option");
        assertTrue(first.window <= 65535 && first.window > 60000, "unscaled window: " + first.window);
    }

    @Test
    void withDelayedAckOffEverySegmentIsAcknowledgedAtOnce()
    {
        bed = TcpTestbed.start(context -> context.set(Setting.TCP_DELAYED_ACK_NS, 0));
        final ScriptedConnection connection =
            ConnectionSetup.active(bed).ourPort(40000).peerPort(80).peerWindowShift(0).open();

        connection.peerSends("one");

        assertEquals(connection.peerNext, connection.expect().acknowledgment);
    }

    @Test
    void outOfOrderSegmentsBeyondTheReassemblyRangesAreDropped()
    {
        bed = TcpTestbed.start(context -> context.set(Setting.TCP_REASSEMBLY_RANGES, 2));
        final ScriptedConnection connection =
            ConnectionSetup.active(bed).ourPort(40000).peerPort(80).peerWindowShift(0).peerSackPermitted().open();
        final int next = connection.peerNext;

        for (int hole = 1; hole <= 3; hole++)
        {
            bed.send(connection.peer(FLAG_ACK).seq(next + 20 * hole).payload("0123456789"));
        }

        assertEquals(3, bed.sent().size(), "every out-of-order segment is answered");
        assertEquals(1, bed.drops(DropReason.TCP_REASSEMBLY_FULL), "the third range had no room");
        assertEquals(2, bed.counters().tcpOutOfOrderSegments.get());
    }

    @Test
    void aFullTimeWaitTableLetsTheConnectionCloseWithoutItAndCounts()
    {
        bed = TcpTestbed.start(context -> context.set(Setting.TCP_TIME_WAIT_CAPACITY, 1));
        for (int i = 0; i < 2; i++)
        {
            ConnectionSetup.active(bed).ourPort(40000 + i).peerPort(80).peerWindowShift(0).open().activeClose();
        }

        assertEquals(1, bed.tcp().timeWaitConnections());
        assertEquals(1, bed.counters().tcpTimeWaitOverflows.get());
        assertEquals(0, bed.tcp().liveConnections());
    }
}
