package io.ringstack.tcp;

import io.ringstack.config.Setting;
import io.ringstack.errno.Errno;
import io.ringstack.iface.DropReason;
import io.ringstack.socket.SocketConstants;
import io.ringstack.socket.inet.TcpSocketFile;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static io.ringstack.tcp.ScriptedConnection.PEER_ISN;
import static io.ringstack.wire.TcpSegment.FLAG_ACK;
import static io.ringstack.wire.TcpSegment.FLAG_FIN;
import static io.ringstack.wire.TcpSegment.FLAG_RST;
import static io.ringstack.wire.TcpSegment.FLAG_SYN;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Closing (RFC 9293 3.6): active and passive close, simultaneous close through CLOSING, half-close, TIME-WAIT
 * with its 2 MSL wait, FIN retransmission and reopening SYN, and the aborts Linux makes (unread data, SO_LINGER 0,
 * data after close).
 */
class TcpCloseScenarioTest
{
    private TcpTestbed bed =
        TcpTestbed.start(context -> context.set(Setting.TCP_TIME_WAIT_NS, TimeUnit.SECONDS.toNanos(60)));

    @AfterEach
    void close()
    {
        bed.close();
    }

    @Test
    void activeCloseWaitsInTimeWaitForTwoMslThenForgetsThePair()
    {
        final ScriptedConnection connection =
            ConnectionSetup.active(bed).ourPort(40000).peerPort(80).peerWindowShift(0).open();
        connection.write("bye");
        connection.expect();

        bed.sockets().close(connection.fd);
        final SentSegment fin = connection.expect();
        assertTrue(fin.is(FLAG_FIN | FLAG_ACK), fin::toString);
        connection.peerAcksAll();
        bed.expectNothingSent();
        bed.send(connection.peer(FLAG_FIN | FLAG_ACK));
        connection.peerNext++;
        final SentSegment lastAck = connection.expect();
        assertEquals(connection.peerNext, lastAck.acknowledgment);
        assertEquals(1, bed.tcp().timeWaitConnections());
        assertEquals(0, bed.tcp().liveConnections(), "TIME-WAIT keeps no connection slot");

        bed.advanceMillis(30_000);
        bed.send(connection.peer(FLAG_FIN | FLAG_ACK).seq(connection.peerNext - 1));
        assertEquals(connection.peerNext, connection.expect().acknowledgment, "a retransmitted FIN is ACKed again");

        bed.advanceMillis(59_000);
        assertEquals(1, bed.tcp().timeWaitConnections(), "the FIN restarted the 2 MSL wait");
        bed.advanceMillis(1_100);
        assertEquals(0, bed.tcp().timeWaitConnections());
        bed.send(connection.peer(FLAG_ACK));
        assertTrue(connection.expect().is(FLAG_RST), "after TIME-WAIT the pair is unknown");
    }

    @Test
    void passiveCloseGoesThroughCloseWaitAndLastAck()
    {
        final ScriptedConnection connection =
            ConnectionSetup.active(bed).ourPort(40000).peerPort(80).peerWindowShift(0).open();

        bed.send(connection.peer(FLAG_FIN | FLAG_ACK));
        connection.peerNext++;
        assertEquals(connection.peerNext, connection.expect().acknowledgment, "the FIN is ACKed at once");
        assertEquals("", connection.read(), "end of stream");
        assertEquals(3, bed.write(connection.fd, "end"), "CLOSE-WAIT still sends");
        connection.expect();

        bed.sockets().close(connection.fd);
        assertTrue(connection.expect().has(FLAG_FIN));
        connection.peerAcksAll();
        assertEquals(0, bed.tcp().liveConnections());
        assertEquals(0, bed.tcp().timeWaitConnections(), "the passive closer has no TIME-WAIT");
    }

    @Test
    void simultaneousCloseGoesThroughClosingToTimeWait()
    {
        final ScriptedConnection connection =
            ConnectionSetup.active(bed).ourPort(40000).peerPort(80).peerWindowShift(0).open();
        assertEquals(0, bed.sockets().shutdown(connection.fd, SocketConstants.SHUT_WR));
        final SentSegment fin = connection.expect();
        assertTrue(fin.has(FLAG_FIN));

        bed.send(connection.peer(FLAG_FIN | FLAG_ACK).ack(fin.sequence));
        connection.peerNext++;
        assertEquals(connection.peerNext, connection.expect().acknowledgment, "CLOSING: their FIN ACKed");
        assertEquals(0, bed.tcp().timeWaitConnections());

        connection.peerAcksAll();
        assertEquals(1, bed.tcp().timeWaitConnections(), "our FIN ACKed in CLOSING: TIME-WAIT");
        bed.expectNothingSent();
        assertEquals("", connection.read());
    }

    @Test
    void halfClosedConnectionKeepsReceiving()
    {
        final ScriptedConnection connection =
            ConnectionSetup.active(bed).ourPort(40000).peerPort(80).peerWindowShift(0).open();
        assertEquals(0, bed.sockets().shutdown(connection.fd, SocketConstants.SHUT_WR));
        connection.expect();
        connection.peerAcksAll();

        connection.peerSends("more");

        assertEquals("more", connection.read());
        assertEquals(-Errno.EPIPE, bed.sockets().write(connection.fd, new byte[1], 0, 1));
    }

    @Test
    void closeWithUnreadDataResetsTheConnection()
    {
        final ScriptedConnection connection =
            ConnectionSetup.active(bed).ourPort(40000).peerPort(80).peerWindowShift(0).open();
        connection.peerSends("unread");
        bed.advanceMillis(50);
        connection.expect();

        bed.sockets().close(connection.fd);

        final SentSegment reset = connection.expect();
        assertTrue(reset.is(FLAG_RST | FLAG_ACK), reset::toString);
        assertEquals(0, bed.tcp().liveConnections());
    }

    @Test
    void lingerZeroAbortsWithReset()
    {
        final ScriptedConnection connection =
            ConnectionSetup.active(bed).ourPort(40000).peerPort(80).peerWindowShift(0).open();
        assertEquals(0, TcpSocketFile.setOption(bed.sockets(), connection.fd, TcpSocketOptions.SOL_SOCKET,
            TcpSocketOptions.SO_LINGER, 0));

        bed.sockets().close(connection.fd);

        assertTrue(connection.expect().has(FLAG_RST));
        assertEquals(0, bed.tcp().timeWaitConnections());
    }

    @Test
    void dataForAnOrphanIsAnsweredWithReset()
    {
        final ScriptedConnection connection =
            ConnectionSetup.active(bed).ourPort(40000).peerPort(80).peerWindowShift(0).open();
        bed.sockets().close(connection.fd);
        connection.expect();

        connection.peerSends("late");

        assertTrue(connection.expect().has(FLAG_RST));
        assertEquals(1, bed.drops(DropReason.TCP_DATA_AFTER_CLOSE));
    }

    @Test
    void orphanInFinWait2IsForgottenAfterTheTimeout()
    {
        final ScriptedConnection connection =
            ConnectionSetup.active(bed).ourPort(40000).peerPort(80).peerWindowShift(0).open();
        bed.sockets().close(connection.fd);
        connection.expect();
        connection.peerAcksAll();
        assertEquals(1, bed.tcp().liveConnections());

        bed.advanceMillis(60_010);

        assertEquals(0, bed.tcp().liveConnections());
    }

    @Test
    void synWithAHigherSequenceNumberReopensAPairInTimeWait()
    {
        final int listener = bed.listen(8080);
        final ScriptedConnection connection =
            ConnectionSetup.passive(bed).ourPort(8080).peerPort(50000).peerWindowShift(0).acceptedOn(listener).open();
        connection.activeClose();
        assertEquals(1, bed.tcp().timeWaitConnections());

        bed.send(bed.segment(50000, 8080, FLAG_SYN).seq(connection.peerNext + 100_000));

        assertTrue(connection.expect().is(FLAG_SYN | FLAG_ACK), "a new incarnation");
        assertEquals(0, bed.tcp().timeWaitConnections());
        bed.send(bed.segment(50000, 8080, FLAG_SYN).seq(PEER_ISN));
        assertTrue(bed.sent().size() <= 1, "an old SYN does not disturb the handshake");
    }

    @Test
    void oldSegmentInTimeWaitIsAcknowledgedAndDropped()
    {
        final ScriptedConnection connection =
            ConnectionSetup.active(bed).ourPort(40000).peerPort(80).peerWindowShift(0).open();
        connection.activeClose();

        bed.send(connection.peer(FLAG_ACK).seq(connection.peerNext - 10).payload("old data"));

        assertTrue(connection.expect().is(FLAG_ACK));
        assertEquals(1, bed.drops(DropReason.TCP_TIME_WAIT_SEGMENT));
    }
}
