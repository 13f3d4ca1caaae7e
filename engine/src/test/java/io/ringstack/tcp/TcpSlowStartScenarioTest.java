package io.ringstack.tcp;

import io.ringstack.config.Setting;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static io.ringstack.wire.TcpSegment.FLAG_ACK;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Slow start when the peer's ACKs arrive together: a NIC hands the engine a batch of frames per duty cycle, so the
 * ACKs of a whole flight are taken one after another before anything is sent. Each ACK drains the flight, yet the
 * sender used its whole window for that flight, so the window doubles (RFC 5681 section 3.1, judged as Linux's
 * {@code tcp_is_cwnd_limited} judges it, by the peak flight of the window); and a window larger than one flush's
 * budget of segments goes out over the next duty cycles, not when the next ACK comes.
 */
class TcpSlowStartScenarioTest
{
    private static final int PAYLOAD = 1460;
    private static final int RTT_MS = 1;

    private TcpTestbed bed;
    private ScriptedConnection connection;

    @BeforeEach
    void open()
    {
        bed = TcpTestbed.start(context -> context.set(Setting.TCP_TIMESTAMPS, false));
        connection = ConnectionSetup.active(bed).ourPort(40000).peerPort(80).peerWindowShift(7).open();
        assertEquals(160 * PAYLOAD, bed.write(connection.fd, new byte[160 * PAYLOAD]));
    }

    @AfterEach
    void close()
    {
        bed.close();
    }

    @Test
    void aFlightAcknowledgedInOneDutyCycleDoublesTheWindow()
    {
        final List<SentSegment> first = bed.sent();
        assertEquals(10, first.size(), "the initial window of RFC 6928");

        final List<SentSegment> second = ackEachInOneBatch(first);

        assertEquals(20, second.size(), "ten segments acknowledged in slow start add ten: " + second.size());
    }

    /**
     * A receiver that acknowledges every third segment, as Linux's does when a burst reaches it in one batch, still
     * doubles the window each round trip: slow start counts every byte an ACK acknowledges, as Linux's
     * {@code tcp_slow_start} does, where RFC 3465's limit of two segments per ACK grew it by 7 of 10.
     */
    @Test
    void stretchAcksOfThreeSegmentsStillDoubleTheWindow()
    {
        final List<SentSegment> first = bed.sent();
        first.forEach(connection::noteSent);
        bed.advanceMillis(RTT_MS);
        for (final int segments : new int[] { 3, 6, 9, 10 })
        {
            final SentSegment last = first.get(segments - 1);
            bed.device().inject(connection.peer(FLAG_ACK).ack(last.sequence + last.payload.length).frame());
        }

        assertEquals(20, bed.sent().size(), "ten segments acknowledged by four ACKs add ten");
    }

    @Test
    void aWindowPastOneFlushBudgetGoesOutWithoutWaitingForAnAck()
    {
        List<SentSegment> flight = bed.sent();
        for (final int expected : new int[] { 20, 40 })
        {
            flight = ackEachInOneBatch(flight);
            assertEquals(expected, flight.size());
        }

        final List<SentSegment> fourth = ackEachInOneBatch(flight);

        assertEquals(80, fourth.size(), "80 segments of cwnd, past the 64 of one flush");
        for (int i = 1; i < fourth.size(); i++)
        {
            assertEquals(fourth.get(i - 1).sequence + PAYLOAD, fourth.get(i).sequence, "in order, none twice");
        }
    }

    /**
     * The peer acknowledges each segment of {@code flight} on its own, and the engine takes the ACKs in one duty
     * cycle.
     *
     * @return what the engine sent for them.
     */
    private List<SentSegment> ackEachInOneBatch(final List<SentSegment> flight)
    {
        flight.forEach(connection::noteSent);
        bed.advanceMillis(RTT_MS);
        for (final SentSegment segment : flight)
        {
            bed.device().inject(connection.peer(FLAG_ACK).ack(segment.sequence + segment.payload.length).frame());
        }
        return bed.sent();
    }
}
