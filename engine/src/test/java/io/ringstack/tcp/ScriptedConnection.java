package io.ringstack.tcp;

import java.nio.charset.StandardCharsets;

import static io.ringstack.wire.TcpSegment.FLAG_ACK;
import static io.ringstack.wire.TcpSegment.FLAG_FIN;
import static io.ringstack.wire.TcpSegment.FLAG_PSH;

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

    /**
     * A connection not yet made; {@link ConnectionSetup} makes it.
     */
    ScriptedConnection(final TcpTestbed bed, final int ourPort, final int peerPort)
    {
        this.bed = bed;
        this.ourPort = ourPort;
        this.peerPort = peerPort;
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
     * The engine's active close: the application closes first, then the peer: the engine's FIN, the peer's ACK of
     * it, the peer's FIN and the engine's last ACK, which leaves the engine in TIME-WAIT when its table has room.
     */
    void activeClose()
    {
        bed.sockets().close(fd);
        expect();
        peerAcksAll();
        bed.send(peer(FLAG_FIN | FLAG_ACK));
        peerNext++;
        expect();
    }

    /**
     * @return the one segment the engine sent, after noting its sequence numbers and timestamp.
     */
    SentSegment expect()
    {
        return noteSent(bed.expectSegment());
    }

    /**
     * Note the sequence numbers and timestamp of a segment the engine sent.
     */
    SentSegment noteSent(final SentSegment segment)
    {
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
        bed.runUntilIdle();
        return result;
    }
}
