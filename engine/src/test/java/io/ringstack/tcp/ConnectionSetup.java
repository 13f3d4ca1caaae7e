package io.ringstack.tcp;

import io.ringstack.socket.SockAddr;

import static io.ringstack.wire.TcpSegment.FLAG_ACK;
import static io.ringstack.wire.TcpSegment.FLAG_SYN;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * How a scripted connection comes about, spelled out by name:
 * <pre>{@code
 * ConnectionSetup.active(bed).ourPort(40000).peerPort(80).peerWindowShift(4).peerSackPermitted().open()
 * ConnectionSetup.passive(bed).ourPort(8080).peerPort(50000).acceptedOn(listener).open()
 * }</pre>
 * The peer's handshake segment carries an MSS of 1460 and, unless told otherwise, a window of 65535, no window
 * scale option, no SACK-permitted option and no timestamps.
 */
final class ConnectionSetup
{
    private static final int NO_WINDOW_SCALE = -1;
    private static final int NOT_ACCEPTED = -1;
    private static final int PEER_MSS = 1460;

    private final TcpTestbed bed;
    private final boolean engineConnects;
    private int ourPort = -1;
    private int peerPort = -1;
    private int peerWindow = 65535;
    private int peerWindowShift = NO_WINDOW_SCALE;
    private boolean peerSackPermitted;
    private boolean peerTimestamps;
    private boolean peerRepeatsSyn;
    private boolean peerEcn;
    private long roundTripMs;
    private int listener = NOT_ACCEPTED;

    private ConnectionSetup(final TcpTestbed bed, final boolean engineConnects)
    {
        this.bed = bed;
        this.engineConnects = engineConnects;
    }

    /**
     * The engine connects to the peer, which answers with a SYN-ACK carrying the options set here.
     */
    static ConnectionSetup active(final TcpTestbed bed)
    {
        return new ConnectionSetup(bed, true);
    }

    /**
     * The peer connects, with a SYN carrying the options set here, to a listener on {@link #ourPort}; the engine's
     * side stays in the accept queue unless {@link #acceptedOn} names the listener to accept it from.
     */
    static ConnectionSetup passive(final TcpTestbed bed)
    {
        return new ConnectionSetup(bed, false);
    }

    ConnectionSetup ourPort(final int port)
    {
        ourPort = port;
        return this;
    }

    ConnectionSetup peerPort(final int port)
    {
        peerPort = port;
        return this;
    }

    ConnectionSetup peerWindow(final int window)
    {
        peerWindow = window;
        return this;
    }

    /**
     * The peer sends a window scale option with this shift (RFC 7323 section 2).
     */
    ConnectionSetup peerWindowShift(final int shift)
    {
        peerWindowShift = shift;
        return this;
    }

    /**
     * The peer sends SACK-permitted (RFC 2018 section 2).
     */
    ConnectionSetup peerSackPermitted()
    {
        peerSackPermitted = true;
        return this;
    }

    /**
     * The peer uses timestamps (RFC 7323 section 3) when the engine does.
     */
    ConnectionSetup peerTimestamps()
    {
        peerTimestamps = true;
        return this;
    }

    /**
     * The peer answers the engine's SYN or SYN-ACK this long after it went: the handshake's round trip.
     */
    ConnectionSetup roundTripMs(final long milliseconds)
    {
        roundTripMs = milliseconds;
        return this;
    }

    /**
     * Passive only: the peer's SYN goes twice, so the engine's SYN-ACK does too.
     */
    ConnectionSetup peerRepeatsSyn()
    {
        peerRepeatsSyn = true;
        return this;
    }

    /**
     * Passive only: accept the engine's side from {@code listener} once the handshake is done.
     */
    ConnectionSetup acceptedOn(final int listener)
    {
        this.listener = listener;
        return this;
    }

    /**
     * The peer's SYN is an ECN-setup SYN (ECE | CWR), or its SYN-ACK an ECN-setup SYN-ACK (ECE), RFC 3168 6.1.1.
     */
    ConnectionSetup peerEcn()
    {
        peerEcn = true;
        return this;
    }

    /**
     * Run the three-way handshake, checking each segment the engine sends.
     */
    ScriptedConnection open()
    {
        assertTrue(ourPort >= 0 && peerPort >= 0, "set both ports");
        final ScriptedConnection connection = new ScriptedConnection(bed, ourPort, peerPort);
        if (engineConnects)
        {
            connect(connection);
        }
        else
        {
            acceptFromPeer(connection);
        }
        return connection;
    }

    private void connect(final ScriptedConnection connection)
    {
        connection.fd = bed.connect(ourPort, peerPort);
        final SentSegment syn = bed.expectSegment();
        assertTrue((syn.flags & ~ExplicitCongestion.SETUP_SYN) == FLAG_SYN, () -> "expected SYN, got " + syn);
        connection.ourNext = syn.sequence + 1;
        connection.peerNext = ScriptedConnection.PEER_ISN;
        connection.timestamps = peerTimestamps && syn.timestamps;
        connection.ourLastTimestamp = syn.timestampValue;
        bed.advanceMillis(roundTripMs);
        final PeerSegment synAck = withOptions(
            connection.peer(FLAG_SYN | FLAG_ACK | (peerEcn ? ExplicitCongestion.SETUP_SYN_ACK : 0)));
        connection.peerNext = ScriptedConnection.PEER_ISN + 1;
        bed.send(synAck);
        final SentSegment ack = connection.expect();
        assertTrue(ack.is(FLAG_ACK) && ack.acknowledgment == ScriptedConnection.PEER_ISN + 1,
            () -> "expected ACK of SYN, got " + ack);
        assertEquals(0, bed.sockets().connect(connection.fd, SockAddr.inet(TcpTestbed.PEER_ADDRESS, peerPort)),
            "connect completes");
    }

    private void acceptFromPeer(final ScriptedConnection connection)
    {
        connection.timestamps = peerTimestamps;
        for (int syns = peerRepeatsSyn ? 2 : 1; syns > 0; syns--)
        {
            connection.peerNext = ScriptedConnection.PEER_ISN;
            bed.send(withOptions(connection.peer(FLAG_SYN | (peerEcn ? ExplicitCongestion.SETUP_SYN : 0)).ack(0)));
            connection.peerNext = ScriptedConnection.PEER_ISN + 1;
            final SentSegment synAck = connection.expect();
            assertTrue(synAck.is(FLAG_SYN | FLAG_ACK | (peerEcn ? ExplicitCongestion.SETUP_SYN_ACK : 0)),
                () -> "expected SYN-ACK, got " + synAck);
            assertEquals(ScriptedConnection.PEER_ISN + 1, synAck.acknowledgment, "SYN-ACK acknowledges the SYN");
            connection.ourNext = synAck.sequence + 1;
        }
        bed.advanceMillis(roundTripMs);
        bed.send(connection.peer(FLAG_ACK).window(peerWindow));
        if (listener != NOT_ACCEPTED)
        {
            connection.fd = bed.accept(listener);
        }
    }

    private PeerSegment withOptions(final PeerSegment segment)
    {
        segment.window(peerWindow).mss(PEER_MSS);
        if (peerWindowShift != NO_WINDOW_SCALE)
        {
            segment.wscale(peerWindowShift);
        }
        if (peerSackPermitted)
        {
            segment.sackPermitted();
        }
        return segment;
    }
}
