package io.ringstack.tcp;

import io.ringstack.EmbeddedStack;
import io.ringstack.config.Setting;
import io.ringstack.config.Settings;
import io.ringstack.engine.EngineContext;
import io.ringstack.engine.EngineTap;
import io.ringstack.engine.EngineTimers;
import io.ringstack.iface.EngineCounters;
import io.ringstack.iface.InterfaceConfig;
import io.ringstack.iface.Ipv4Output;
import io.ringstack.iface.Timers;
import io.ringstack.wire.EthernetFrame;
import io.ringstack.wire.Ipv4Packet;
import io.ringstack.wire.TcpSegment;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.agrona.BufferUtil;
import org.agrona.concurrent.UnsafeBuffer;
import org.agrona.concurrent.ringbuffer.OneToOneRingBuffer;
import org.agrona.concurrent.ringbuffer.RingBufferDescriptor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

import static io.ringstack.wire.TcpSegment.FLAG_ACK;
import static io.ringstack.wire.TcpSegment.FLAG_FIN;
import static io.ringstack.wire.TcpSegment.FLAG_SYN;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.params.provider.Arguments.arguments;

/**
 * Fast retransmit and fast recovery for one connection: what counts as a duplicate ACK (RFC 5681 section 2), when
 * recovery starts (RFC 5681 section 3.2, RFC 6582 section 3.2 step 2, RFC 6675 section 5), how NewReno inflates and
 * deflates its window (RFC 5681 section 3.2, RFC 6582 section 3.2 step 5), and the pipe and next hole of SACK
 * recovery (RFC 6675 section 4, simplified: every hole below the highest SACKed byte counts as lost).
 * <p>
 * Each test has a connection that has sent ten 1000-byte segments, 1000 to 11000, with a 10-segment window;
 * {@link LossRecovery} runs over a real {@link TcpSender} whose segments go to a loopback ring the test reads.
 */
class LossRecoveryTest
{
    private static final int SMSS = 1000;
    private static final int SND_UNA = 1000;
    private static final int SEGMENTS = 10;
    private static final int SND_MAX = SND_UNA + SEGMENTS * SMSS;
    private static final long NOW_NS = 1_000_000_000L;

    private final Rig rig = new Rig();
    private final TcpConnection connection = rig.connection;

    // ------------------------------------------------------------------------------------------ duplicate ACKs

    static Stream<Arguments> acknowledgments()
    {
        return Stream.of(
            arguments("no data, SYN or FIN, ack at SND.UNA, same window, data outstanding", 0, 0, 0, 0, false, true),
            arguments("it acknowledges new data", 100, 0, 0, 0, false, false),
            arguments("it carries data", 0, 10, 0, 0, false, false),
            arguments("it carries a SYN", 0, 0, FLAG_SYN, 0, false, false),
            arguments("it carries a FIN", 0, 0, FLAG_FIN, 0, false, false),
            arguments("it changes the window", 0, 0, 0, 512, false, false),
            arguments("it changes the window but brings new SACK information (RFC 6675)", 0, 0, 0, 512, true, true));
    }

    /**
     * RFC 5681 section 2, DUPLICATE ACKNOWLEDGMENT: (a) data outstanding, (b) no data, (c) SYN and FIN off, (d) the
     * ACK is SND.UNA, (e) the window is unchanged; RFC 6675 counts an ACK with new SACK information whatever its
     * window.
     */
    @ParameterizedTest(name = "{0}: {6}")
    @MethodSource("acknowledgments")
    void anAckIsADuplicateOnlyWhenItSaysNothingNew(
        final String scenario, final int ackAdvance, final int payload, final int flags, final int windowChange,
        final boolean newSack, final boolean duplicate)
    {
        final TcpSegment segment = segment(SND_UNA + ackAdvance, FLAG_ACK | flags, payload);

        assertEquals(duplicate, LossRecovery.isDuplicateAck(
            connection, segment, SND_UNA + ackAdvance, connection.sendWindow + windowChange, newSack), scenario);
    }

    @Test
    void anAckWithNothingOutstandingIsNoDuplicate()
    {
        connection.sendUnacknowledged = SND_MAX;

        assertFalse(LossRecovery.isDuplicateAck(
            connection, segment(SND_MAX, FLAG_ACK, 0), SND_MAX, connection.sendWindow, false), "RFC 5681 (a)");
    }

    // ------------------------------------------------------------------------------------------- fast retransmit

    @Test
    void theThirdDuplicateAckStartsFastRetransmitAndRecovery()
    {
        recovery().onDuplicateAck(connection, SND_UNA, NOW_NS);
        recovery().onDuplicateAck(connection, SND_UNA, NOW_NS);
        assertFalse(connection.inRecovery, "two duplicates may be reordering");
        assertTrue(rig.sent().isEmpty());

        recovery().onDuplicateAck(connection, SND_UNA, NOW_NS);

        assertTrue(connection.inRecovery);
        final List<SentSegment> sent = rig.sent();
        assertEquals(1, sent.size(), () -> "one retransmission: " + sent);
        assertEquals(SND_UNA, sent.get(0).sequence, "the first unacknowledged segment (RFC 5681 3.2 step 3)");
        assertEquals(SMSS, sent.get(0).payload.length);
        assertEquals(1, rig.counters.tcpFastRetransmits.get());
        assertEquals(5 * SMSS, connection.congestion.slowStartThreshold(), "max(FlightSize / 2, 2 SMSS), step 2");
        assertEquals(5 * SMSS + 3 * SMSS, connection.recoveryWindow, "ssthresh + 3 SMSS, RFC 5681 3.2 step 4");
        assertEquals(SND_MAX, connection.recoveryPoint, "recover = the highest sequence sent, RFC 6582 3.2 step 2");
        assertEquals(SND_UNA + SMSS, connection.retransmitHighest);
    }

    @Test
    void eachFurtherDuplicateInflatesTheNewRenoWindowBySmss()
    {
        enterRecoveryByDuplicates();
        final long window = connection.recoveryWindow;

        recovery().onDuplicateAck(connection, SND_UNA, NOW_NS);
        recovery().onDuplicateAck(connection, SND_UNA, NOW_NS);

        assertEquals(window + 2 * SMSS, connection.recoveryWindow, "RFC 5681 3.2 step 4");
        assertTrue(rig.sent().isEmpty(), "the sender, not the duplicate, sends what the window allows");
        assertEquals(1, rig.counters.tcpFastRetransmits.get(), "no second fast retransmit");
    }

    @Test
    void withSackTheWindowIsNotInflated()
    {
        connection.sackPermitted = true;
        recovery().enterRecovery(connection, SND_UNA, NOW_NS);
        final long window = connection.recoveryWindow;

        recovery().onDuplicateAck(connection, SND_UNA, NOW_NS);

        assertEquals(window, connection.recoveryWindow, "RFC 6675 counts the pipe instead");
    }

    /**
     * With SACK, RACK (RFC 8985) decides what is lost: duplicate ACKs alone, however many, start no recovery.
     */
    @Test
    void withSackDuplicateAcksAloneStartNoRecovery()
    {
        connection.sackPermitted = true;

        for (int i = 0; i < 2 * SackScoreboard.DUP_THRESHOLD; i++)
        {
            recovery().onDuplicateAck(connection, SND_UNA, NOW_NS);
        }

        assertFalse(connection.inRecovery);
        assertTrue(rig.sent().isEmpty());
    }

    @Test
    void theFastRetransmissionStopsAtTheFirstSackedByte()
    {
        connection.sackPermitted = true;
        connection.scoreboard.onSackBlock(SND_UNA + 300, SND_UNA + 5 * SMSS, SND_UNA, SND_MAX);
        connection.rack.lost.add(SND_UNA, SND_UNA + SMSS);

        recovery().enterRecovery(connection, SND_UNA, NOW_NS);

        final List<SentSegment> sent = rig.sent();
        assertEquals(1, sent.size(), () -> "one retransmission: " + sent);
        assertEquals(SND_UNA, sent.get(0).sequence);
        assertEquals(300, sent.get(0).payload.length, "only the hole: the peer holds the rest");
        assertEquals(SND_UNA + 300, connection.retransmitHighest);
    }

    @Test
    void duplicatesForDataSentBeforeTheLastRecoveryDoNotStartAnother()
    {
        enterRecoveryByDuplicates();
        endRecoveryAt(SND_UNA + SMSS);
        rig.sent();

        for (int i = 0; i < 5; i++)
        {
            recovery().onDuplicateAck(connection, SND_UNA + SMSS, NOW_NS);
        }

        assertFalse(connection.inRecovery, "RFC 6582 3.2 step 2: the ACK does not cover recover (" + SND_MAX + ")");
        assertEquals(1, rig.counters.tcpFastRetransmits.get());
        assertTrue(rig.sent().isEmpty());
    }

    // ----------------------------------------------------------------------------------------- partial ACKs

    @Test
    void aPartialAckResendsTheNextHoleAndDeflatesTheWindow()
    {
        enterRecoveryByDuplicates();
        final long window = connection.recoveryWindow;
        final int ack = acknowledge(SND_UNA + 3 * SMSS);

        recovery().onPartialAck(connection, ack, 3 * SMSS, NOW_NS);

        final List<SentSegment> sent = rig.sent();
        assertEquals(1, sent.size(), () -> "one retransmission: " + sent);
        assertEquals(ack, sent.get(0).sequence, "the first unacknowledged segment, RFC 6582 3.2 step 5");
        assertEquals(window - 3 * SMSS + SMSS, connection.recoveryWindow, "less what it acknowledged, plus SMSS");
    }

    @Test
    void deflationNeverLeavesLessThanOneSegment()
    {
        enterRecoveryByDuplicates();
        final int ack = acknowledge(SND_UNA + 9 * SMSS);

        recovery().onPartialAck(connection, ack, 9 * SMSS, NOW_NS);

        assertEquals(SMSS, connection.recoveryWindow);
    }

    @Test
    void aPartialAckOfLessThanOneSegmentDeflatesWithoutAddingSmssBack()
    {
        enterRecoveryByDuplicates();
        final long window = connection.recoveryWindow;
        final int ack = acknowledge(SND_UNA + 400);

        recovery().onPartialAck(connection, ack, 400, NOW_NS);

        assertEquals(window - 400, connection.recoveryWindow);
    }

    @Test
    void aPartialAckBelowWhatWasAlreadyResentResendsNothing()
    {
        connection.sackPermitted = true;
        connection.scoreboard.onSackBlock(SND_UNA + 3 * SMSS, SND_UNA + 6 * SMSS, SND_UNA, SND_MAX);
        recovery().enterRecovery(connection, SND_UNA, NOW_NS);
        connection.retransmitHighest = SND_UNA + 3 * SMSS;
        rig.sent();
        final long window = connection.recoveryWindow;
        final int ack = acknowledge(SND_UNA + SMSS);

        recovery().onPartialAck(connection, ack, SMSS, NOW_NS);

        assertTrue(rig.sent().isEmpty(), "1000 to 3000 went out already");
        assertEquals(window, connection.recoveryWindow, "with SACK, no NewReno deflation");
    }

    // ------------------------------------------------------------------------------------------ pipe, next lost

    static Stream<Arguments> scoreboards()
    {
        return Stream.of(
            arguments("nothing SACKed, nothing lost: all ten in flight", sacks(), lost(), 10 * SMSS, SND_MAX),
            arguments("3000-5000 SACKed, nothing deemed lost yet: eight in flight",
                sacks(3000, 5000), lost(), 8 * SMSS, SND_MAX),
            arguments("and 1000-3000 lost: six in flight, resend from 1000",
                sacks(3000, 5000), lost(1000, 3000), 6 * SMSS, 1000),
            arguments("1000-2000 resent: in flight again", sacks(3000, 5000), lost(2000, 3000), 7 * SMSS, 2000),
            arguments("two lost runs around a SACKed one", sacks(2000, 3000), lost(1000, 2000, 3000, 4000),
                7 * SMSS, 1000),
            arguments("a lost run the peer SACKed since: the next is the one after it",
                sacks(1000, 2000), lost(1000, 2000, 3000, 4000), 8 * SMSS, 3000),
            arguments("lost run partly SACKed: from its first byte the peer lacks",
                sacks(1000, 1500), lost(1000, 2000), 9 * SMSS - 500, 1500));
    }

    /**
     * RFC 6675 section 4, SetPipe, with RACK's losses: bytes outstanding less those SACKed less those deemed lost
     * and not resent; the next to resend is the first lost byte the peer does not hold.
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource("scoreboards")
    void pipeAndNextLost(
        final String scenario, final int[] sacks, final int[] lost, final long pipe, final int nextLost)
    {
        for (int i = 0; i < sacks.length; i += 2)
        {
            connection.scoreboard.onSackBlock(sacks[i], sacks[i + 1], SND_UNA, SND_MAX);
        }
        for (int i = 0; i < lost.length; i += 2)
        {
            connection.rack.lost.add(lost[i], lost[i + 1]);
        }

        assertEquals(nextLost, LossRecovery.nextLost(connection), scenario);
        assertEquals(pipe, LossRecovery.pipe(connection), scenario);
    }

    // ------------------------------------------------------------------------------------------------- helpers

    private LossRecovery recovery()
    {
        return rig.recovery;
    }

    private void enterRecoveryByDuplicates()
    {
        for (int i = 0; i < SackScoreboard.DUP_THRESHOLD; i++)
        {
            recovery().onDuplicateAck(connection, SND_UNA, NOW_NS);
        }
        assertTrue(connection.inRecovery);
        rig.sent();
    }

    /**
     * What the ACK processor does with a new cumulative ACK before it asks loss recovery.
     */
    private int acknowledge(final int ack)
    {
        connection.sendUnacknowledged = ack;
        connection.scoreboard.onCumulativeAck(ack);
        return ack;
    }

    /**
     * What the ACK processor does when an ACK ends recovery early: here a retransmission timeout would have.
     */
    private void endRecoveryAt(final int ack)
    {
        acknowledge(ack);
        connection.inRecovery = false;
        connection.duplicateAcks = 0;
    }

    private static int[] sacks(final int... edges)
    {
        return edges;
    }

    private static int[] lost(final int... edges)
    {
        return edges;
    }

    private static TcpSegment segment(final int ack, final int flags, final int payloadLength)
    {
        final byte[] frame = new PeerSegment(Rig.PEER_MAC, Rig.MAC, Rig.PEER, Rig.ADDRESS, 80, 40000, flags)
            .seq(5000).ack(ack).payload(new byte[payloadLength]).frame();
        final TcpSegment segment = new TcpSegment();
        final int offset = EthernetFrame.HEADER_LENGTH + Ipv4Packet.HEADER_LENGTH;
        assertEquals(TcpSegment.VALID, segment.wrap(new UnsafeBuffer(frame), offset, frame.length - offset));
        return segment;
    }

    /**
     * A TCP sender with nothing around it but what it needs: counters, timers that never fire, an IPv4 output whose
     * only route is the loopback ring, and one connection to a local address, so every segment it sends lands in the
     * ring for {@link #sent()} to read.
     */
    private static final class Rig
    {
        static final int ADDRESS = 0x7F00_0001;
        static final int PEER = 0x7F00_0002;
        static final long MAC = 0x0200_0000_0001L;
        static final long PEER_MAC = 0x0200_0000_0002L;
        private static final int RING_BYTES = 1 << 20;

        final EngineCounters counters;
        final TcpConnection connection;
        final LossRecovery recovery;
        private final OneToOneRingBuffer loopback = new OneToOneRingBuffer(new UnsafeBuffer(
            BufferUtil.allocateDirectAligned(RING_BYTES + RingBufferDescriptor.TRAILER_LENGTH, 64)));

        Rig()
        {
            final EngineContext context = new EngineContext()
                .name("loss-recovery")
                .interfaceConfig(new InterfaceConfig(ADDRESS, 8, 0, MAC))
                .set(Setting.TCP_ISN_KEY_0, TcpTestbed.ISN_KEY_0).set(Setting.TCP_ISN_KEY_1, TcpTestbed.ISN_KEY_1)
                .countersManager(EmbeddedStack.newCountersManager())
                .conclude();
            counters = new EngineCounters(context.countersManager(), context.name());
            final EngineTimers timers = new EngineTimers(NOW_NS);
            final Ipv4Output output =
                new Ipv4Output(context.interfaceConfig(), counters, EngineTap.NONE, loopback, null, Ipv4Output.MTU);
            final TcpSender sender = new TcpSender(new TcpSegmentOutput(output, loopback, counters), timers,
                (nowNs, timer) -> { }, counters, new TcpNegotiation(context.settings(), output, counters),
                new AppRingLook(EngineTap.NONE));
            recovery = new LossRecovery(sender, counters, timers, (nowNs, timer) -> { });
            connection = establishedConnection(context);
        }

        /**
         * ESTABLISHED, ten segments sent from a send ring that holds them, the peer's window wide open.
         */
        private static TcpConnection establishedConnection(final EngineContext context)
        {
            final Settings settings = context.settings();
            final RttEstimator rtt = new RttEstimator(settings.longValue(Setting.TCP_RTO_MIN_NS),
                settings.longValue(Setting.TCP_RTO_MAX_NS), settings.longValue(Setting.TCP_RTO_INITIAL_NS),
                Timers.GRANULARITY_NS);
            final TcpConnection connection = new TcpConnection(
                0, new RenoCongestionControl(), rtt, new TcpSocketOptions(settings), 8, 8);
            connection.stream = new TcpStream(1 << 16, 1 << 16);
            connection.rack = new Rack(64, 8);
            connection.state = TcpState.ESTABLISHED;
            connection.localAddress = ADDRESS;
            connection.remoteAddress = PEER;
            connection.localPort = 40000;
            connection.remotePort = 80;
            connection.initialSequence(SND_UNA - 1);
            connection.sendUnacknowledged = SND_UNA;
            connection.receiveNext = 5000;
            connection.sendMss = SMSS;
            connection.receiveMss = SMSS;
            connection.sendWindow = 65535;
            connection.maxSendWindow = 65535;
            connection.congestion.start(SMSS, NOW_NS);
            final byte[] data = new byte[SEGMENTS * SMSS];
            for (int i = 0; i < data.length; i++)
            {
                data[i] = (byte)i;
            }
            assertEquals(data.length, connection.stream.sendRing().write(data, 0, data.length));
            connection.stream.sendRing().takeWritten();
            connection.sendNext = SND_MAX;
            connection.sendMax = SND_MAX;
            return connection;
        }

        /**
         * @return every segment sent since the last call, oldest first.
         */
        List<SentSegment> sent()
        {
            final List<SentSegment> segments = new ArrayList<>();
            loopback.read((type, buffer, index, length) ->
            {
                final byte[] frame = new byte[length];
                buffer.getBytes(index, frame);
                segments.add(SentSegment.parse(frame));
            });
            return segments;
        }
    }
}
