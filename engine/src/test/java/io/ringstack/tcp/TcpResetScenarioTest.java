package io.ringstack.tcp;

import io.ringstack.config.Setting;
import io.ringstack.errno.Errno;
import io.ringstack.iface.DropReason;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static io.ringstack.wire.TcpSegment.FLAG_ACK;
import static io.ringstack.wire.TcpSegment.FLAG_RST;
import static io.ringstack.wire.TcpSegment.FLAG_SYN;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Resets and the blind-attack defences of RFC 5961 on an established connection: only an RST at exactly RCV.NXT
 * resets; one elsewhere in the window, and any SYN, earns a (rate-limited) challenge ACK; an ACK for data never
 * sent, or too old, is dropped.
 */
class TcpResetScenarioTest
{
    private TcpTestbed bed = TcpTestbed.start();
    private ScriptedConnection connection =
        ConnectionSetup.active(bed).ourPort(40000).peerPort(80).peerWindowShift(0).open();

    @AfterEach
    void close()
    {
        bed.close();
    }

    @Test
    void resetAtReceiveNextEndsTheConnectionWithEconnreset()
    {
        bed.send(connection.peer(FLAG_RST));

        bed.expectNothingSent();
        assertEquals(-Errno.ECONNRESET, connection.readError(), "the error is reported once");
        assertEquals(0, connection.readError(), "then end of stream");
        assertEquals(-Errno.EPIPE, bed.sockets().write(connection.fd, new byte[1], 0, 1));
        assertEquals(0, bed.tcp().liveConnections() - 1, "the slot stays until the socket is closed");
        bed.sockets().close(connection.fd);
        bed.runUntilIdle();
        assertEquals(0, bed.tcp().liveConnections());
    }

    @Test
    void resetInsideTheWindowButNotAtReceiveNextGetsAChallengeAck()
    {
        bed.send(connection.peer(FLAG_RST).seq(connection.peerNext + 100));

        final SentSegment challenge = connection.expect();
        assertTrue(challenge.is(FLAG_ACK), challenge::toString);
        assertEquals(connection.peerNext, challenge.acknowledgment);
        assertEquals(1, bed.drops(DropReason.TCP_RST_CHALLENGED));
        assertEquals(1, bed.counters().tcpChallengeAcks.get());
        connection.peerSends("still here");
        assertEquals("still here", connection.read());
    }

    @Test
    void resetOutsideTheWindowIsDroppedSilently()
    {
        bed.send(connection.peer(FLAG_RST).seq(connection.peerNext + (1 << 30)));

        bed.expectNothingSent();
        assertEquals(1, bed.drops(DropReason.TCP_RST_OUT_OF_WINDOW));
        assertEquals(-Errno.EAGAIN, connection.readError());
    }

    @Test
    void synOnAnEstablishedConnectionGetsAChallengeAck()
    {
        bed.send(connection.peer(FLAG_SYN).seq(connection.peerNext + 5).ack(0));

        final SentSegment challenge = connection.expect();
        assertTrue(challenge.is(FLAG_ACK), challenge::toString);
        assertEquals(connection.peerNext, challenge.acknowledgment);
        assertEquals(1, bed.drops(DropReason.TCP_SYN_CHALLENGED));
    }

    @Test
    void ackForDataNeverSentIsAnsweredAndDropped()
    {
        bed.send(connection.peer(FLAG_ACK).ack(connection.ourNext + 10).payload("x"));

        assertTrue(connection.expect().is(FLAG_ACK));
        assertEquals(1, bed.drops(DropReason.TCP_ACK_UNSENT));
        assertEquals(-Errno.EAGAIN, connection.readError(), "its data was not taken");
    }

    @Test
    void ackTooFarBehindIsChallenged()
    {
        bed.send(connection.peer(FLAG_ACK).ack(connection.ourNext - 200_000));

        assertTrue(connection.expect().is(FLAG_ACK));
        assertEquals(1, bed.drops(DropReason.TCP_ACK_TOO_OLD));
    }

    @Test
    void challengeAcksAreRateLimited()
    {
        bed.close();
        bed = TcpTestbed.start(context -> context.set(Setting.TCP_CHALLENGE_ACK_LIMIT, 2));
        connection = ConnectionSetup.active(bed).ourPort(40000).peerPort(80).peerWindowShift(0).open();

        for (int i = 0; i < 5; i++)
        {
            bed.send(connection.peer(FLAG_RST).seq(connection.peerNext + 10 + i));
        }

        assertEquals(2, bed.sent().size());
        assertEquals(3, bed.counters().tcpChallengeAcksSuppressed.get());
        bed.advanceMillis(1001);
        bed.send(connection.peer(FLAG_RST).seq(connection.peerNext + 10));
        assertEquals(1, bed.sent().size(), "a new second, a new allowance");
    }
}
