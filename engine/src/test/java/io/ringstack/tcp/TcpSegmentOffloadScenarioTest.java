package io.ringstack.tcp;

import io.ringstack.config.Setting;
import io.ringstack.wire.EthernetFrame;
import io.ringstack.wire.InternetChecksum;
import io.ringstack.wire.TcpSegment;
import java.io.ByteArrayOutputStream;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static io.ringstack.wire.TcpSegment.FLAG_ACK;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * TCP segmentation offload as the device sees it: on a device that cuts segments itself, new data leaves in segments
 * of up to 64 KiB, whole multiples of the MSS's payload but for the last of the data, each with the segment size
 * the device is to cut it into and only the pseudo-header's sum in its checksum field; the windows bound them as
 * they bind MSS-sized segments, and what loss recovery sends again is one MSS. The setting at 0 turns it off.
 */
class TcpSegmentOffloadScenarioTest
{
    /** An MSS of 1460 less the 12 bytes of timestamps. */
    private static final int PAYLOAD = 1460 - 12;
    /** The most whole segments one IP packet of 65535 bytes holds behind 20 bytes of IP and 32 of TCP. */
    private static final int MOST_SEGMENTS = (0xFFFF - 20 - 32) / PAYLOAD;

    private TcpTestbed bed;

    @AfterEach
    void close()
    {
        bed.close();
    }

    /**
     * The same bytes leave whether the engine builds each segment in its own frame and the device copies it, or
     * writes it in place in memory the device lends (as a NIC driver lends its transmit buffers), its payload then
     * copied once from the socket's ring.
     */
    @ParameterizedTest(name = "written in the device's memory: {0}")
    @ValueSource(booleans = {false, true})
    void newDataLeavesInWholeMultiplesOfTheMssForTheDeviceToCut(final boolean inPlace)
    {
        bed = TcpTestbed.withSegmentOffload(0xFFFF, context -> context);
        bed.device().lendMemory(inPlace);
        final ScriptedConnection connection = open();
        final int start = connection.ourNext;
        final byte[] data = pattern(150 * PAYLOAD + 100);
        assertEquals(data.length, bed.write(connection.fd, data));

        final ByteArrayOutputStream delivered = new ByteArrayOutputStream();
        final List<Integer> pieces = new ArrayList<>();
        int acknowledged = 0;
        for (int round = 0; round < 10 && delivered.size() < data.length; round++)
        {
            bed.runUntilIdle();
            final List<Integer> sizes = bed.device().takeSegmentSizes();
            final List<byte[]> frames = bed.device().takeTransmitted();
            for (int i = 0; i < frames.size(); i++)
            {
                final boolean cut = sizes.get(i) != 0;
                final SentSegment segment = SentSegment.parse(cut ? finishChecksum(frames.get(i)) : frames.get(i));
                assertTrue(segment.checksumValid, () -> "the checksum, finished by the device if cut: " + segment);
                final boolean last = segment.end() == start + data.length;
                assertTrue(segment.payload.length % PAYLOAD == 0 || last, () -> "a piece cut short: " + segment);
                assertTrue(segment.payload.length <= MOST_SEGMENTS * PAYLOAD, segment::toString);
                assertEquals(segment.payload.length > PAYLOAD ? PAYLOAD : 0, sizes.get(i), segment::toString);
                delivered.writeBytes(segment.payload);
                pieces.add(segment.payload.length);
                connection.noteSent(segment);
            }
            bed.advanceMillis(1);
            acknowledgeEverySecondPiece(connection, start + acknowledged, start + delivered.size());
            acknowledged = delivered.size();
        }

        assertArrayEquals(data, delivered.toByteArray(), "every byte once, in order");
        assertEquals(10 * PAYLOAD, pieces.get(0), "the initial window of 10 segments goes as one: " + pieces);
        assertTrue(pieces.size() < data.length / PAYLOAD, "fewer frames than MSS-sized segments: " + pieces);
        final long cut = pieces.stream().filter(length -> length > PAYLOAD).count();
        assertEquals(cut, bed.counters().deviceTxSegmentOffload.get());
        assertEquals(inPlace ? cut : 0, bed.device().framesWrittenInPlace(), "segments written in place: " + pieces);
        assertTrue(bed.counters().rxBalanced(), bed.diagnostics());
    }

    /**
     * A receiver that took a cut segment in whole acknowledges it with one ACK, as Linux does: slow start counts
     * every byte that ACK acknowledges, not two MSS, so the window doubles each round trip as it does when every
     * second MSS-sized segment is acknowledged.
     */
    @Test
    void oneAckForEachCutSegmentDoublesTheWindowEachRoundTrip()
    {
        bed = TcpTestbed.withSegmentOffload(0xFFFF, context -> context);
        final ScriptedConnection connection = open();
        assertEquals(150 * PAYLOAD, bed.write(connection.fd, new byte[150 * PAYLOAD]));

        final List<List<Integer>> rounds = new ArrayList<>();
        for (int round = 0; round < 4; round++)
        {
            final List<SentSegment> sent = bed.sent();
            sent.forEach(connection::noteSent);
            rounds.add(sent.stream().map(segment -> segment.payload.length / PAYLOAD).toList());
            bed.advanceMillis(1);
            connection.peerAcksAll();
        }

        assertEquals(List.of(List.of(10), List.of(20), List.of(40), List.of(MOST_SEGMENTS, 80 - MOST_SEGMENTS)), rounds,
            "MSS-sized segments in each cut segment, per round trip");
    }

    /**
     * A segment of ten MSS, as a device that took the peer's segments in whole hands it over, is acknowledged at
     * once: it holds more than one full-sized segment, so no delayed ACK waits for a second (RFC 9293 3.8.6.3).
     */
    @Test
    void aSegmentOfManyMssTakenInWholeIsAcknowledgedAtOnce()
    {
        bed = TcpTestbed.withSegmentOffload(0xFFFF, context -> context);
        final ScriptedConnection connection = open();

        bed.send(connection.peer(FLAG_ACK).payload(new byte[10 * PAYLOAD]));
        connection.peerNext += 10 * PAYLOAD;

        final SentSegment ack = connection.expect();
        assertEquals(connection.peerNext, ack.acknowledgment, "everything, without waiting for the delayed ACK");
        assertEquals(0, ack.payload.length);
    }

    @Test
    void noSegmentIsLargerThanTheDeviceCuts()
    {
        bed = TcpTestbed.withSegmentOffload(6000, context -> context);
        final ScriptedConnection connection = open();
        assertEquals(10 * PAYLOAD, bed.write(connection.fd, new byte[10 * PAYLOAD]));

        bed.runUntilIdle();
        assertEquals(List.of(PAYLOAD, PAYLOAD, PAYLOAD), bed.device().takeSegmentSizes());
        final List<SentSegment> sent = bed.sent();
        assertEquals(List.of(4 * PAYLOAD, 4 * PAYLOAD, 2 * PAYLOAD),
            sent.stream().map(segment -> segment.payload.length).toList(),
            "the initial window in packets of at most 6,000 bytes, whole segments each");
    }

    @Test
    void aHoleInACutSegmentIsResentAsOneMssSegmentWithItsWholeChecksum()
    {
        bed = TcpTestbed.withSegmentOffload(0xFFFF, context -> context.set(Setting.TCP_TIMESTAMPS, false));
        final ScriptedConnection connection = ConnectionSetup.active(bed).ourPort(40000).peerPort(80)
            .peerWindowShift(7).peerSackPermitted().roundTripMs(10).open();
        final int payload = 1460;
        final int start = connection.ourNext;
        assertEquals(10 * payload, bed.write(connection.fd, new byte[10 * payload]));
        final List<SentSegment> flight = bed.sent();
        assertEquals(1, flight.size(), flight::toString);
        assertEquals(10 * payload, connection.noteSent(flight.get(0)).payload.length,
            "one segment for the device to cut into ten");
        bed.advanceMillis(10);

        bed.send(connection.peer(FLAG_ACK).ack(start).sack(start + payload, start + 10 * payload));
        bed.advanceUntilSent(TimeUnit.SECONDS.toNanos(1));
        final SentSegment resent = bed.expectSegment();

        assertEquals(start, resent.sequence, "the first piece, lost on the wire");
        assertEquals(payload, resent.payload.length, "one MSS, not the whole segment again");
        assertEquals(1, bed.counters().tcpRackLosses.get(), "RACK counts the piece, not the segment");
        assertEquals(0, bed.counters().tcpRetransmissionTimeouts.get());
    }

    @Test
    void theSettingAtZeroSendsOnlySegmentsThatFitTheMtu()
    {
        bed = TcpTestbed.withSegmentOffload(0xFFFF, context -> context.set(Setting.SEGMENT_OFFLOAD_BYTES, 0));
        final ScriptedConnection connection = open();
        assertEquals(10 * PAYLOAD, bed.write(connection.fd, new byte[10 * PAYLOAD]));

        bed.runUntilIdle();
        assertEquals(List.of(0, 0, 0, 0, 0, 0, 0, 0, 0, 0), bed.device().takeSegmentSizes());
        final List<SentSegment> sent = bed.sent();
        assertEquals(10, sent.size());
        assertTrue(sent.stream().allMatch(segment -> segment.payload.length == PAYLOAD && segment.checksumValid),
            sent::toString);
        assertEquals(0, bed.counters().deviceTxSegmentOffload.get());
        assertEquals(0L, bed.engine().context().settings().longValue(Setting.SEGMENT_OFFLOAD_BYTES));
    }

    @Test
    void aDeviceThatDoesNotCutLeavesTheSettingAtZero()
    {
        bed = TcpTestbed.start();
        assertEquals(0L, bed.engine().context().settings().longValue(Setting.SEGMENT_OFFLOAD_BYTES));
        bed.close();
        bed = TcpTestbed.withSegmentOffload(0xFFFF, context -> context);
        assertEquals(0xFFFFL, bed.engine().context().settings().longValue(Setting.SEGMENT_OFFLOAD_BYTES),
            "what the device offers, journaled with the other settings");
    }

    /**
     * The peer acknowledges as a receiver that sees the cut pieces does: every second one, then the rest.
     */
    private void acknowledgeEverySecondPiece(final ScriptedConnection connection, final int from, final int end)
    {
        for (int ack = from + 2 * PAYLOAD; SequenceNumbers.before(ack, end); ack += 2 * PAYLOAD)
        {
            bed.send(connection.peer(FLAG_ACK).ack(ack));
        }
        bed.send(connection.peer(FLAG_ACK).ack(end));
    }

    private ScriptedConnection open()
    {
        return ConnectionSetup.active(bed).ourPort(40000).peerPort(80).peerWindowShift(7).peerSackPermitted()
            .peerTimestamps().roundTripMs(1).open();
    }

    private static byte[] pattern(final int length)
    {
        final byte[] bytes = new byte[length];
        for (int i = 0; i < length; i++)
        {
            bytes[i] = (byte)(i % 251);
        }
        return bytes;
    }

    /**
     * What a device does to a frame it is to finish: sum the TCP segment from its first byte, the pseudo-header's
     * sum already in the checksum field, and store the complement there.
     */
    private static byte[] finishChecksum(final byte[] frame)
    {
        final byte[] finished = Arrays.copyOf(frame, frame.length);
        final UnsafeBuffer buffer = new UnsafeBuffer(finished);
        final int tcp = EthernetFrame.HEADER_LENGTH + ((finished[EthernetFrame.HEADER_LENGTH] & 0x0F) << 2);
        final int checksum = InternetChecksum.fold(InternetChecksum.sum(buffer, tcp, finished.length - tcp, 0));
        buffer.putShort(tcp + TcpSegment.CHECKSUM_OFFSET, (short)checksum, ByteOrder.BIG_ENDIAN);
        return finished;
    }
}
