package io.ringstack.tcp;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import io.ringstack.config.Setting;
import io.ringstack.engine.EngineContext;
import io.ringstack.socket.SockAddr;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Timeout;

import static io.ringstack.socket.SocketConstants.MSG_DONTWAIT;
import static io.ringstack.socket.SocketConstants.SHUT_WR;
import static io.ringstack.socket.SocketConstants.SOCK_NONBLOCK;
import static io.ringstack.wire.TcpSegment.FLAG_ACK;
import static io.ringstack.wire.TcpSegment.FLAG_RST;
import static io.ringstack.wire.TcpSegment.FLAG_SYN;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Fuzz target of the TCP state machine: a scripted peer and the engine's applications take turns as the input
 * says, on a {@link TcpTestbed} with a listener on {@link #LISTEN_PORT}, one connection accepted from it and one the
 * engine opened to the peer's port {@link #ACTIVE_PEER_PORT}. Timers are short ({@link #SHORT_TIMERS}), so that
 * retransmission, TIME-WAIT and FIN-WAIT-2 run out within seconds of virtual time.
 * <p>
 * Each step is one of: the peer sends a segment on one of four 4-tuples (the two connections, and two peer ports
 * new to the listener) with any flags, sequence and acknowledgment numbers at fuzzed offsets from the real ones
 * (the engine's last acknowledgment and highest sequence sent on that 4-tuple), any window, any of MSS, window
 * scale, SACK-permitted, timestamps and SACK blocks, and a payload of any size up to more than an MSS; time passes
 * (a tick, 40 ms, 250 ms or 1.5 s); an application sends, receives (never waiting), closes or shuts down the
 * sending side of a socket, or accepts.
 * <p>
 * It proves, for every input: no error escapes a duty cycle and the RX and TX counter invariants hold after every
 * step (the testbed checks both), and nothing leaks: once every socket is closed, the peer has reset every
 * 4-tuple at the engine's own receive point and time has passed, the engine holds no live and no TIME-WAIT
 * connection and both ports it used can be bound again.
 */
class TcpFuzzTest
{
    static final int LISTEN_PORT = 8080;
    static final int PASSIVE_PEER_PORT = 50000;
    static final int ACTIVE_LOCAL_PORT = 40000;
    static final int ACTIVE_PEER_PORT = 80;
    /** Peer ports with no connection at the start: a SYN on them reaches the listener. */
    static final int[] NEW_PEER_PORTS = {50001, 50002};
    static final int NEW_PEER_ISN = 0x2000_0000;

    static final int MAX_STEPS = 48;
    /** How far from the real sequence and acknowledgment numbers a segment may stray: past a scaled window. */
    static final int SEQUENCE_SPAN = 1 << 18;
    static final int MAX_PAYLOAD = 2000;
    static final int MAX_WRITE = 6000;
    static final long[] TIME_STEPS_NS =
    {
        TcpTestbed.TICK_NS, TimeUnit.MILLISECONDS.toNanos(40), TimeUnit.MILLISECONDS.toNanos(250),
        TimeUnit.MILLISECONDS.toNanos(1500),
    };
    /** Virtual time within which everything must be gone once closed and reset. */
    static final long WIND_DOWN_LIMIT_NS = TimeUnit.SECONDS.toNanos(60);

    private static final UnaryOperator<EngineContext> SHORT_TIMERS =
        context -> context
            .set(Setting.TCP_TIME_WAIT_NS, TimeUnit.MILLISECONDS.toNanos(100))
            .set(Setting.TCP_FIN_WAIT_2_TIMEOUT_NS, TimeUnit.MILLISECONDS.toNanos(500))
            .set(Setting.TCP_RTO_MAX_NS, TimeUnit.SECONDS.toNanos(1))
            .set(Setting.TCP_MAX_RETRANSMISSIONS, 3)
            .set(Setting.TCP_SYN_RETRIES, 2)
            .set(Setting.TCP_SYN_ACK_RETRIES, 2);

    private static final int OPTIONS_ROOM = 40;
    private static final int MSS_ROOM = 4;
    private static final int SACK_PERMITTED_ROOM = 4;
    private static final int TIMESTAMPS_ROOM = 12;
    private static final int WINDOW_SCALE_ROOM = 4;
    private static final int SACK_HEADER_ROOM = 4;

    private TcpTestbed bed;
    private final List<PeerView> peers = new ArrayList<>();
    private final List<Integer> fds = new ArrayList<>();
    private final byte[] readBuffer = new byte[1 << 16];
    private int listener;

    @FuzzTest
    @Timeout(60)
    void noSegmentSequenceMakesTcpThrowLoseCountOrLeak(final FuzzedDataProvider data)
    {
        run(data, UnaryOperator.identity());
    }

    /**
     * The target's body, on an engine whose settings {@code settings} changes too (another congestion controller:
     * {@link TcpBbrFuzzTest}).
     */
    void run(final FuzzedDataProvider data, final UnaryOperator<EngineContext> settings)
    {
        bed = TcpTestbed.start(context -> settings.apply(SHORT_TIMERS.apply(context)));
        try
        {
            open();
            for (int step = 0; step < MAX_STEPS && data.remainingBytes() > 0; step++)
            {
                step(data);
                observe();
            }
            windDown();
        }
        finally
        {
            bed.close();
            peers.clear();
            fds.clear();
        }
    }

    private void open()
    {
        listener = bed.listen(LISTEN_PORT);
        final ScriptedConnection passive = ConnectionSetup.passive(bed).ourPort(LISTEN_PORT)
            .peerPort(PASSIVE_PEER_PORT).peerSackPermitted().peerTimestamps().peerWindowShift(7)
            .acceptedOn(listener).open();
        final ScriptedConnection active = ConnectionSetup.active(bed).ourPort(ACTIVE_LOCAL_PORT)
            .peerPort(ACTIVE_PEER_PORT).open();
        peers.add(new PeerView(PASSIVE_PEER_PORT, LISTEN_PORT, passive.peerNext, passive.ourNext));
        peers.add(new PeerView(ACTIVE_PEER_PORT, ACTIVE_LOCAL_PORT, active.peerNext, active.ourNext));
        for (final int port : NEW_PEER_PORTS)
        {
            peers.add(new PeerView(port, LISTEN_PORT, NEW_PEER_ISN, 0));
        }
        fds.add(passive.fd);
        fds.add(active.fd);
    }

    private void step(final FuzzedDataProvider data)
    {
        switch (data.consumeInt(0, 8))
        {
            case 0:
            case 1:
            case 2:
                peerSends(data, peers.get(data.consumeInt(0, peers.size() - 1)));
                break;
            case 3:
                bed.advance(TIME_STEPS_NS[data.consumeInt(0, TIME_STEPS_NS.length - 1)]);
                break;
            case 4:
                final byte[] bytes = new byte[data.consumeInt(0, MAX_WRITE)];
                bed.sockets().send(pickFd(data), bytes, 0, bytes.length, MSG_DONTWAIT);
                break;
            case 5:
                bed.sockets().recv(pickFd(data), readBuffer, 0, readBuffer.length, MSG_DONTWAIT);
                break;
            case 6:
                bed.sockets().close(pickFd(data));
                break;
            case 7:
                bed.sockets().shutdown(pickFd(data), SHUT_WR);
                break;
            default:
                final int accepted = bed.sockets().accept4(listener, null, SOCK_NONBLOCK);
                if (accepted >= 0)
                {
                    fds.add(accepted);
                }
                break;
        }
        bed.runUntilIdle();
    }

    /**
     * A descriptor the script has had: open, or closed already (then the call fails with {@code EBADF}, or reaches
     * whatever socket took the number since, as a real application's stale descriptor would).
     */
    private int pickFd(final FuzzedDataProvider data)
    {
        return fds.get(data.consumeInt(0, fds.size() - 1));
    }

    private void peerSends(final FuzzedDataProvider data, final PeerView peer)
    {
        final int flags = data.consumeInt(0, 0xFF);
        final PeerSegment segment = bed.segment(peer.peerPort, peer.ourPort, flags)
            .seq(peer.peerNext + offset(data))
            .ack(peer.ourNext + offset(data))
            .window(data.consumeInt(0, 0xFFFF));
        int room = OPTIONS_ROOM;
        if (data.consumeBoolean())
        {
            segment.mss(data.consumeInt(0, 0xFFFF));
            room -= MSS_ROOM;
        }
        if (data.consumeBoolean())
        {
            segment.wscale(data.consumeInt(0, 0xFF));
            room -= WINDOW_SCALE_ROOM;
        }
        if (data.consumeBoolean())
        {
            segment.sackPermitted();
            room -= SACK_PERMITTED_ROOM;
        }
        if (data.consumeBoolean())
        {
            segment.timestamps(data.consumeInt(), data.consumeInt());
            room -= TIMESTAMPS_ROOM;
        }
        final int blocks = Math.min(data.consumeInt(0, 4), (room - SACK_HEADER_ROOM) / 8);
        if (blocks > 0)
        {
            final int[] edges = new int[2 * blocks];
            for (int i = 0; i < edges.length; i++)
            {
                edges[i] = peer.ourNext + offset(data);
            }
            segment.sack(edges);
        }
        segment.payload(new byte[data.consumeInt(0, MAX_PAYLOAD)]);
        bed.send(segment);
    }

    /**
     * Mostly the real number, else anywhere within {@link #SEQUENCE_SPAN} of it.
     */
    private static int offset(final FuzzedDataProvider data)
    {
        return data.consumeBoolean() ? data.consumeInt(-SEQUENCE_SPAN, SEQUENCE_SPAN) : 0;
    }

    /**
     * Note, per 4-tuple, the engine's highest sequence sent and its last acknowledgment: the real numbers the next
     * segment's offsets are taken from.
     */
    private void observe()
    {
        for (final SentSegment sent : bed.sent())
        {
            for (final PeerView peer : peers)
            {
                if (peer.peerPort == sent.destinationPort && peer.ourPort == sent.sourcePort)
                {
                    peer.saw(sent);
                }
            }
        }
    }

    /**
     * Close every socket, reset every 4-tuple the engine answered on at its receive point, and let time pass until
     * nothing is left; then the ports are free again.
     */
    private void windDown()
    {
        bed.sockets().close(listener);
        for (final int fd : fds)
        {
            bed.sockets().close(fd);
        }
        bed.runUntilIdle();
        observe();
        for (final PeerView peer : peers)
        {
            if (peer.answered)
            {
                bed.send(bed.segment(peer.peerPort, peer.ourPort, FLAG_RST).seq(peer.peerNext));
            }
        }
        bed.advanceUntil(() -> bed.tcp().liveConnections() == 0 && bed.tcp().timeWaitConnections() == 0,
            WIND_DOWN_LIMIT_NS);
        for (final int port : new int[]{LISTEN_PORT, ACTIVE_LOCAL_PORT})
        {
            final int fd = bed.socket();
            assertEquals(0, bed.sockets().bind(fd, SockAddr.inet(0, port)), () -> "port " + port + " is free again");
            bed.sockets().close(fd);
        }
    }

    /**
     * What the peer knows of one 4-tuple: its own next sequence number (the engine's last acknowledgment, once it
     * sent one) and the end of the highest segment the engine sent.
     */
    private static final class PeerView
    {
        final int peerPort;
        final int ourPort;
        int peerNext;
        int ourNext;
        boolean answered;

        PeerView(final int peerPort, final int ourPort, final int peerNext, final int ourNext)
        {
            this.peerPort = peerPort;
            this.ourPort = ourPort;
            this.peerNext = peerNext;
            this.ourNext = ourNext;
            this.answered = ourNext != 0;
        }

        void saw(final SentSegment sent)
        {
            answered = true;
            if ((sent.flags & FLAG_ACK) != 0)
            {
                peerNext = sent.acknowledgment;
            }
            final int end = sent.end();
            if ((sent.flags & FLAG_SYN) != 0 || SequenceNumbers.after(end, ourNext))
            {
                ourNext = end;
            }
        }
    }
}
