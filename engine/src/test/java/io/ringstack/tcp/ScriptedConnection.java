package io.ringstack.tcp;

import io.ringstack.socket.SockAddr;

import java.nio.charset.StandardCharsets;

import static io.ringstack.wire.TcpSegment.FLAG_ACK;
import static io.ringstack.wire.TcpSegment.FLAG_PSH;
import static io.ringstack.wire.TcpSegment.FLAG_SYN;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * One connection between the engine and the scripted peer, with the peer's view of both sequence spaces, so that
 * a script writes {@code peer(ACK).payload("x")} and gets the right numbers. The peer's timestamps, when on, tick
 * by one per segment and echo the engine's latest.
 */
final class ScriptedConnection
{
    static final int PEER_ISN = 0x1000_0000;

    final TcpTestbed bed;
    final int ourPort;
    final int peerPort;
    int fd = -1;
    /** The engine's next sequence number as the peer has seen it. */
    int ourNext;
    /** The peer's next sequence number. */
    int peerNext;
    boolean timestamps;
    int peerClock = 1000;
    int ourLastTimestamp;

    private ScriptedConnection(final TcpTestbed bed, final int ourPort, final int peerPort)
    {
        this.bed = bed;
        this.ourPort = ourPort;
        this.peerPort = peerPort;
    }

    /**
     * The engine connects to the peer, which answers with a SYN-ACK carrying the given options.
     *
     * @param windowShift the peer's window shift, -1 for no window scale option.
     */
    static ScriptedConnection active(
        final TcpTestbed bed, final int ourPort, final int peerPort, final int window, final int windowShift,
        final boolean sack, final boolean timestamps)
    {
        final ScriptedConnection connection = new ScriptedConnection(bed, ourPort, peerPort);
        connection.fd = bed.connect(ourPort, peerPort);
        final SentSegment syn = bed.expectSegment();
        assertTrue(syn.is(FLAG_SYN), () -> "expected SYN, got " + syn);
        connection.ourNext = syn.sequence + 1;
        connection.peerNext = PEER_ISN;
        connection.timestamps = timestamps && syn.timestamps;
        connection.ourLastTimestamp = syn.timestampValue;
        final PeerSegment synAck = connection.peer(FLAG_SYN | FLAG_ACK).window(window).mss(1460);
        if (windowShift >= 0)
        {
            synAck.wscale(windowShift);
        }
        if (sack)
        {
            synAck.sackPermitted();
        }
        connection.peerNext = PEER_ISN + 1;
        bed.send(synAck);
        final SentSegment ack = connection.expect();
        assertTrue(ack.is(FLAG_ACK) && ack.acknowledgment == PEER_ISN + 1, () -> "expected ACK of SYN, got " + ack);
        assertEquals(0, bed.sockets().connect(connection.fd, SockAddr.inet(
            TcpTestbed.PEER_ADDRESS, peerPort)), "connect completes");
        return connection;
    }

    /**
     * The peer connects to a listener on {@code ourPort}; the engine's side is accepted unless {@code listener} is
     * -1, which leaves it in the accept queue.
     */
    static ScriptedConnection passive(
        final TcpTestbed bed, final int listener, final int ourPort, final int peerPort, final int window,
        final int windowShift, final boolean sack, final boolean timestamps)
    {
        final ScriptedConnection connection = new ScriptedConnection(bed, ourPort, peerPort);
        connection.peerNext = PEER_ISN;
        connection.timestamps = timestamps;
        final PeerSegment syn = connection.peer(FLAG_SYN).ack(0).window(window).mss(1460);
        if (windowShift >= 0)
        {
            syn.wscale(windowShift);
        }
        if (sack)
        {
            syn.sackPermitted();
        }
        bed.send(syn);
        connection.peerNext = PEER_ISN + 1;
        final SentSegment synAck = connection.expect();
        assertTrue(synAck.is(FLAG_SYN | FLAG_ACK), () -> "expected SYN-ACK, got " + synAck);
        assertEquals(PEER_ISN + 1, synAck.acknowledgment, "SYN-ACK acknowledges the SYN");
        connection.ourNext = synAck.sequence + 1;
        bed.send(connection.peer(FLAG_ACK).window(window));
        if (listener >= 0)
        {
            connection.fd = bed.accept(listener);
        }
        return connection;
    }

    /**
     * @return a segment from the peer at its next sequence number, acknowledging all the engine sent.
     */
    PeerSegment peer(final int flags)
    {
        final PeerSegment segment = bed.segment(peerPort, ourPort, flags).seq(peerNext).ack(ourNext);
        if (timestamps)
        {
            segment.timestamps(++peerClock, ourLastTimestamp);
        }
        return segment;
    }

    /**
     * The peer sends {@code text} in one segment.
     */
    void peerSends(final String text)
    {
        bed.send(peer(FLAG_ACK | FLAG_PSH).payload(text));
        peerNext += text.length();
    }

    /**
     * The peer acknowledges everything the engine sent.
     */
    void peerAcksAll()
    {
        bed.send(peer(FLAG_ACK));
    }

    /**
     * @return the one segment the engine sent, after noting its sequence numbers and timestamp.
     */
    SentSegment expect()
    {
        final SentSegment segment = bed.expectSegment();
        if (segment.timestamps)
        {
            ourLastTimestamp = segment.timestampValue;
        }
        if (SequenceNumbers.after(segment.end(), ourNext))
        {
            ourNext = segment.end();
        }
        return segment;
    }

    int write(final String text)
    {
        return bed.write(fd, text.getBytes(StandardCharsets.US_ASCII));
    }

    String read()
    {
        return bed.read(fd);
    }

    int readError()
    {
        final byte[] buffer = new byte[16];
        final int result = bed.sockets().read(fd, buffer, 0, buffer.length);
        bed.run();
        return result;
    }
}
