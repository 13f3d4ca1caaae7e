package io.ringstack.tcp;

import io.ringstack.config.Setting;
import io.ringstack.iface.DropReason;
import io.ringstack.iface.EngineCounters;
import io.ringstack.wire.EthernetFrame;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static io.ringstack.tcp.SequenceNumbers.after;
import static io.ringstack.wire.TcpSegment.FLAG_ACK;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * A neighbour that falls silent while a connection has data for it (RFC 1122 2.3.2.2: while its address is resolved
 * only a few packets may wait for it). The engine queues {@code arpPendingPerNeighbour} segments behind the ARP
 * request; the next one the queue refuses is lost as if on the wire ({@code tcp_arp_queue_full}): the connection
 * keeps it unacknowledged, sends nothing more in that flush, and leaves it to its retransmission timer, RACK or the
 * tail loss probe. So a silent neighbour costs a connection one attempt per timer, not one per duty cycle (every
 * duty cycle of the testbed ends idle, or the testbed fails), and once the neighbour answers, the transfer completes.
 */
class TcpArpQueueScenarioTest
{
    private static final int MSS = 1460;
    private static final int SEGMENTS = 20;
    private static final int WAITING_PER_NEIGHBOUR = 2;
    private static final long ENTRY_LIFETIME_NS = TimeUnit.SECONDS.toNanos(10);
    private static final long SILENCE_NS = TimeUnit.SECONDS.toNanos(10);
    private static final long TRANSFER_LIMIT_NS = TimeUnit.SECONDS.toNanos(60);

    private TcpTestbed bed;

    @AfterEach
    void close()
    {
        bed.close();
    }

    @ParameterizedTest(name = "peer SACK-permitted: {0}")
    @ValueSource(booleans = { false, true })
    void aFullArpQueueLosesTheSegmentToTheTimersAndTheTransferCompletesOnceTheNeighbourAnswers(final boolean sack)
    {
        bed = TcpTestbed.start(context -> context
            .set(Setting.ARP_PENDING_PER_NEIGHBOUR, WAITING_PER_NEIGHBOUR)
            .set(Setting.ARP_ENTRY_LIFETIME_NS, ENTRY_LIFETIME_NS));
        final ConnectionSetup setup = ConnectionSetup.active(bed).ourPort(40000).peerPort(80).peerWindowShift(4);
        final ScriptedConnection connection = (sack ? setup.peerSackPermitted() : setup).open();
        final EngineCounters counters = bed.counters();
        final int start = connection.ourNext;
        bed.device().answerArp(false);
        bed.advance(ENTRY_LIFETIME_NS);

        final byte[] data = new byte[SEGMENTS * MSS];
        assertEquals(data.length, bed.write(connection.fd, data), "the send ring takes it all");
        assertEquals(1, counters.tcpArpQueueFull.get(),
            "two segments wait for the neighbour; the third is refused and ends the flush");
        assertEquals(1, bed.drops(DropReason.ARP_PENDING_FULL));

        bed.advance(SILENCE_NS);
        final long refused = counters.tcpArpQueueFull.get();
        final long timers = counters.tcpRetransmissionTimeouts.get() + counters.tcpLossProbes.get();
        assertTrue(refused >= 2 && refused <= 1 + timers,
            () -> refused + " refused in " + TimeUnit.NANOSECONDS.toSeconds(SILENCE_NS) + " s of silence, " + timers +
            " retransmission timeouts and loss probes: at most one attempt per timer\n" + bed.diagnostics());
        assertEquals(refused, bed.drops(DropReason.ARP_PENDING_FULL), "every refusal a counted drop");
        assertEquals(0, framesOtherThanArp(bed.device().takeTransmitted()), "nothing reached the wire but ARP");

        bed.device().answerArp(true);
        final int end = start + data.length;
        final long tookNs = peerAcknowledgesInOrderUntil(connection, end);

        assertEquals(refused, counters.tcpArpQueueFull.get(), "no refusal once the neighbour answers");
        assertTrue(tookNs < TRANSFER_LIMIT_NS);
    }

    /**
     * The peer acknowledges what it has received in order, each time the engine sends, until {@code end}.
     *
     * @return how long it took.
     */
    private long peerAcknowledgesInOrderUntil(final ScriptedConnection connection, final int end)
    {
        final long startNs = bed.nowNs();
        int received = connection.ourNext;
        while (received != end)
        {
            if (bed.nowNs() - startNs > TRANSFER_LIMIT_NS)
            {
                fail("transfer not done after the neighbour answered: " + (end - received) + " bytes unacknowledged\n" +
                    bed.diagnostics());
            }
            bed.advance(TcpTestbed.TICK_NS);
            final List<SentSegment> segments = bed.sent();
            for (final SentSegment segment : segments)
            {
                if (!after(segment.sequence, received) && after(segment.end(), received))
                {
                    received = segment.end();
                }
            }
            if (!segments.isEmpty())
            {
                bed.send(connection.peer(FLAG_ACK).ack(received));
            }
        }
        return bed.nowNs() - startNs;
    }

    private static long framesOtherThanArp(final List<byte[]> frames)
    {
        final EthernetFrame ethernet = new EthernetFrame();
        return frames.stream()
            .filter(frame -> !ethernet.wrap(new UnsafeBuffer(frame), 0, frame.length) ||
                ethernet.etherType() != EthernetFrame.ETHER_TYPE_ARP)
            .count();
    }
}
