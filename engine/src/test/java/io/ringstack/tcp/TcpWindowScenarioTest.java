package io.ringstack.tcp;

import io.ringstack.iface.DropReason;
import io.ringstack.socket.inet.TcpSocketFile;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static io.ringstack.wire.TcpSegment.FLAG_ACK;
import static io.ringstack.wire.TcpSegment.FLAG_PSH;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Flow control: the peer's scaled window bounds what is sent (RFC 7323 2), a zero window is probed (RFC 9293
 * 3.8.6.1), our window closes as the receive ring fills and reopens when the application reads (3.8.6.2.2);
 * Nagle's algorithm and delayed ACKs (3.8.6.2.1, 3.8.6.3); PAWS (RFC 7323 5).
 */
class TcpWindowScenarioTest
{
    private TcpTestbed bed = TcpTestbed.start();

    @AfterEach
    void close()
    {
        bed.close();
    }

    @Test
    void thePeersScaledWindowBoundsWhatIsSent()
    {
        final ScriptedConnection connection =
            ConnectionSetup.active(bed).ourPort(40000).peerPort(80).peerWindowShift(2).open();
        bed.send(connection.peer(FLAG_ACK).window(730));

        bed.write(connection.fd, new byte[10_000]);

        final List<SentSegment> first = bed.sent();
        assertEquals(2, first.size(), "730 << 2 = 2920 bytes: two full segments");
        connection.ourNext = first.get(1).end();
        bed.send(connection.peer(FLAG_ACK).window(730));
        assertEquals(2, bed.sent().size(), "the ACK opens the window for two more");
    }

    @Test
    void aZeroWindowIsProbedWithBackOffUntilItOpens()
    {
        final ScriptedConnection connection =
            ConnectionSetup.active(bed).ourPort(40000).peerPort(80).peerWindowShift(0).open();
        bed.send(connection.peer(FLAG_ACK).window(0));

        bed.write(connection.fd, "blocked");
        bed.expectNothingSent();
        final long firstMs = bed.advanceUntilSent(5_000_000_000L) / 1_000_000;
        final SentSegment probe = connection.expect();
        assertEquals(connection.ourNext - 1, probe.sequence, "probe: SEQ = SND.UNA - 1, no data");
        assertEquals(0, probe.payload.length);
        assertTrue(Math.abs(firstMs - 200) <= 3, "first probe after the RTO: " + firstMs + " ms");
        bed.send(connection.peer(FLAG_ACK).window(0));
        final long secondMs = bed.advanceUntilSent(5_000_000_000L) / 1_000_000;
        connection.expect();
        assertTrue(Math.abs(secondMs - 400) <= 3, "probes back off: " + secondMs + " ms");
        assertEquals(2, bed.counters().tcpWindowProbes.get());

        bed.send(connection.peer(FLAG_ACK).window(1000));
        final SentSegment data = connection.expect();
        assertEquals("blocked", data.text(), "the window opened: the data goes");
    }

    @Test
    void ourWindowClosesAsTheRingFillsAndReopensWhenTheApplicationReads()
    {
        final int fd = bed.socket();
        assertEquals(0, TcpSocketFile.setOption(bed.sockets(), fd, TcpSocketOptions.SOL_SOCKET,
            TcpSocketOptions.SO_RCVBUF, 4096));
        bed.sockets().close(fd);
        final int listener = bed.listen(8080);
        assertEquals(0, TcpSocketFile.setOption(bed.sockets(), listener, TcpSocketOptions.SOL_SOCKET,
            TcpSocketOptions.SO_RCVBUF, 4096));
        final ScriptedConnection connection =
            ConnectionSetup.passive(bed).ourPort(8080).peerPort(50000).peerWindowShift(0).acceptedOn(listener).open();

        connection.peerSends("x".repeat(1460));
        connection.peerSends("y".repeat(1460));
        SentSegment ack = connection.expect();
        assertEquals(4096 - 2920, ack.window, "window = free bytes of the 4 KiB ring");
        connection.peerSends("z".repeat(1176));
        bed.advanceMillis(50);
        ack = connection.expect();
        assertEquals(0, ack.window, "ring full: zero window");

        assertEquals(4096, bed.read(connection.fd).length());
        final SentSegment update = connection.expect();
        assertEquals(4096, update.window, "the read rang the doorbell: window update");
    }

    @Test
    void delayedAckWaitsFortyMillisecondsForALoneSegmentAndAcksEverySecondAtOnce()
    {
        final ScriptedConnection connection =
            ConnectionSetup.active(bed).ourPort(40000).peerPort(80).peerWindowShift(0).open();

        connection.peerSends("one");
        bed.expectNothingSent();
        final long delayMs = bed.advanceUntilSent(1_000_000_000L) / 1_000_000;
        assertTrue(Math.abs(delayMs - 40) <= 2, "delayed ACK after " + delayMs + " ms");
        connection.expect();

        connection.peerSends("two");
        connection.peerSends("three");
        assertEquals(connection.peerNext, connection.expect().acknowledgment, "the second segment is ACKed at once");
    }

    @Test
    void nagleHoldsASmallSegmentWhileDataIsUnacknowledgedAndNodelayDoesNot()
    {
        final ScriptedConnection connection =
            ConnectionSetup.active(bed).ourPort(40000).peerPort(80).peerWindowShift(0).open();
        connection.write("a");
        assertEquals("a", connection.expect().text());
        connection.write("b");
        bed.expectNothingSent();
        connection.peerAcksAll();
        assertEquals("b", connection.expect().text(), "sent once the first is acknowledged");

        assertEquals(0, TcpSocketFile.setOption(bed.sockets(), connection.fd, TcpSocketOptions.IPPROTO_TCP,
            TcpSocketOptions.TCP_NODELAY, 1));
        connection.write("c");
        connection.write("d");
        final List<SentSegment> both = bed.sent();
        assertEquals(2, both.size(), "TCP_NODELAY: both small segments at once");
        assertTrue(both.get(1).is(FLAG_ACK | FLAG_PSH));
    }

    @Test
    void nagleLetsTheShortTailOfAWriteFollowItsFullSegmentsAndHoldsTheNextSmallOne()
    {
        final ScriptedConnection connection =
            ConnectionSetup.active(bed).ourPort(40000).peerPort(80).peerWindowShift(0).open();
        connection.write("a".repeat(4000));
        final List<SentSegment> burst = bed.sent();
        assertEquals(3, burst.size(), () -> "two full segments and the short tail at once, no ACK awaited: " + burst);
        assertEquals(4000, burst.stream().mapToInt((segment) -> segment.text().length()).sum());
        burst.forEach(connection::noteSent);

        connection.write("b");
        bed.expectNothingSent();
        connection.peerAcksAll();
        assertEquals("b", connection.expect().text(), "held only while the short tail was unacknowledged");
    }

    @Test
    void pawsDropsASegmentWithAnOldTimestamp()
    {
        final ScriptedConnection connection =
            ConnectionSetup.active(bed).ourPort(40000).peerPort(80).peerWindowShift(0).peerTimestamps().open();
        connection.peerSends("new");
        bed.advanceMillis(50);
        connection.expect();

        bed.send(connection.peer(FLAG_ACK | FLAG_PSH).timestamps(5, connection.ourLastTimestamp).payload("old"));

        assertTrue(connection.expect().is(FLAG_ACK), "answered with an ACK");
        assertEquals(1, bed.drops(DropReason.TCP_PAWS));
        assertEquals("new", connection.read(), "the old segment's data is not taken");
    }
}
