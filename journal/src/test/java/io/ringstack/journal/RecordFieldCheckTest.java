package io.ringstack.journal;

import io.ringstack.engine.EngineContext;
import io.ringstack.iface.DropReason;
import io.ringstack.iface.InterfaceConfig;
import io.ringstack.iface.TxResult;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import static io.ringstack.journal.JournalFormat.BYTE_ORDER;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

/**
 * A record whose checksum is right but whose fields the engine cannot have written is refused with its sequence,
 * type and the value; the engine clock may stand still within a duty cycle but never go back.
 */
class RecordFieldCheckTest
{
    private static final SessionHeader HEADER = SessionHeader.of(new EngineContext()
        .interfaceConfig(InterfaceConfig.parse("10.0.2.15/24", "10.0.2.2", 0x5254_0012_3456L)),
        "x86_64/e1000", TapPolicy.BLOCK, 0, 0);
    private static final int REASONS = HEADER.dropReasons().size();

    private final RecordFieldCheck check = new RecordFieldCheck(HEADER);
    private final UnsafeBuffer buffer = new UnsafeBuffer(new byte[256]);
    private final JournalRecord record = new JournalRecord();

    @Test
    void verdictsAreDeliveredPendingOrADropReasonTheHeaderNames()
    {
        assertNull(check.check(rxFrame(1, 1_000, JournalFormat.VERDICT_DELIVERED, 0)));
        assertNull(check.check(rxFrame(2, 1_000, JournalFormat.VERDICT_PENDING, 1)));
        assertNull(check.check(rxFrame(3, 1_000, DropReason.UDP_NO_SOCKET.ordinal(), 0)));
        assertNull(check.check(verdict(4, REASONS - 1)));
        assertNull(check.check(rxFrame(4, 1_000, JournalFormat.VERDICT_HELD, 0)), "a fragment held for reassembly");

        assertEquals("record 5: RX_FRAME with verdict -251 (delivered is -1, held -3; the header names " + REASONS +
            " drop reasons)", check.check(rxFrame(5, 1_000, -251, 0)));
        assertEquals("record 6: VERDICT with verdict " + REASONS + " (delivered is -1, held -3; the header names " + REASONS +
            " drop reasons)", check.check(verdict(6, REASONS)));
        assertEquals("record 7: RX_FRAME with interface 2", check.check(rxFrame(7, 1_000, -1, 2)));
    }

    @Test
    void aReceivedFrameCarriesNoOffloadButTheChecksumOneAndThatOnlyFromTheDevice()
    {
        assertNull(check.check(rxFrame(1, 1_000, -1, 0, JournalFormat.OFFLOAD_CHECKSUM_GOOD)));
        assertEquals("record 2: RX_FRAME with offloads 2", check.check(rxFrame(2, 1_000, -1, 0, 2)));
        assertEquals("record 3: RX_FRAME with offloads 1", check.check(rxFrame(3, 1_000, -1, 1, 1)),
            "the loopback ring takes no offloads");
    }

    @Test
    void transmitResultsAreTxResultCodes()
    {
        assertNull(check.check(txFrame(1, 1_000, TxResult.NO_BUFFER)));
        assertNull(check.check(txFrame(2, 1_000, TxResult.NO_ROUTE)));
        assertEquals("record 3: TX_FRAME with transmit result -105", check.check(txFrame(3, 1_000, -105)));
        assertEquals("record 4: TX_FRAME with transmit result 1", check.check(txFrame(4, 1_000, 1)));
    }

    @Test
    void theEngineClockStandsStillWithinACycleAndNeverGoesBack()
    {
        assertNull(check.check(cycle(1, 5_000_000_000L)));
        assertNull(check.check(rxFrame(2, 5_000_000_000L, -1, 0)));
        assertNull(check.check(cycle(3, 5_000_000_100L)));
        assertEquals("record 4: CYCLE where the engine clock goes back 1099000000100 ns",
            check.check(cycle(4, 5_000_000_100L - 1_099_000_000_100L)));
    }

    private JournalRecord rxFrame(final long sequence, final long timeNs, final int verdict, final int interfaceId)
    {
        return rxFrame(sequence, timeNs, verdict, interfaceId, 0);
    }

    private JournalRecord rxFrame(
        final long sequence, final long timeNs, final int verdict, final int interfaceId, final int offloads)
    {
        final int body = header(sequence, JournalFormat.RX_FRAME, JournalFormat.FRAME_DATA_OFFSET + 14);
        buffer.putLong(body + JournalFormat.FRAME_TIMESTAMP_OFFSET, timeNs, BYTE_ORDER);
        buffer.putInt(body + JournalFormat.FRAME_VERDICT_OFFSET, verdict, BYTE_ORDER);
        buffer.putShort(body + JournalFormat.FRAME_INTERFACE_OFFSET, (short)interfaceId, BYTE_ORDER);
        buffer.putShort(body + JournalFormat.FRAME_OFFLOADS_OFFSET, (short)offloads, BYTE_ORDER);
        return record.wrap(buffer, 0);
    }

    private JournalRecord txFrame(final long sequence, final long timeNs, final int result)
    {
        final int body = header(sequence, JournalFormat.TX_FRAME, JournalFormat.FRAME_DATA_OFFSET + 14);
        buffer.putLong(body + JournalFormat.FRAME_TIMESTAMP_OFFSET, timeNs, BYTE_ORDER);
        buffer.putInt(body + JournalFormat.FRAME_RESULT_OFFSET, result, BYTE_ORDER);
        buffer.putShort(body + JournalFormat.FRAME_INTERFACE_OFFSET, (short)0, BYTE_ORDER);
        return record.wrap(buffer, 0);
    }

    private JournalRecord verdict(final long sequence, final int verdict)
    {
        final int body = header(sequence, JournalFormat.VERDICT, 4);
        buffer.putInt(body + JournalFormat.VERDICT_VALUE_OFFSET, verdict, BYTE_ORDER);
        return record.wrap(buffer, 0);
    }

    private JournalRecord cycle(final long sequence, final long timeNs)
    {
        final int body = header(sequence, JournalFormat.CYCLE, 8);
        buffer.putLong(body + JournalFormat.CYCLE_TIME_OFFSET, timeNs, BYTE_ORDER);
        return record.wrap(buffer, 0);
    }

    private int header(final long sequence, final int type, final int bodyLength)
    {
        buffer.setMemory(0, buffer.capacity(), (byte)0);
        buffer.putInt(JournalFormat.RECORD_LENGTH_OFFSET, JournalFormat.RECORD_HEADER_LENGTH + bodyLength, BYTE_ORDER);
        buffer.putLong(JournalFormat.RECORD_SEQUENCE_OFFSET, sequence, BYTE_ORDER);
        buffer.putShort(JournalFormat.RECORD_TYPE_OFFSET, (short)type, BYTE_ORDER);
        return JournalFormat.RECORD_HEADER_LENGTH;
    }
}
