package io.ringstack.journal;

import org.agrona.DirectBuffer;

import static io.ringstack.journal.JournalFormat.APP_CONSUMED_BYTES_OFFSET;
import static io.ringstack.journal.JournalFormat.APP_DATA_OFFSET;
import static io.ringstack.journal.JournalFormat.APP_SLOT_OFFSET;
import static io.ringstack.journal.JournalFormat.BYTE_ORDER;
import static io.ringstack.journal.JournalFormat.COMMAND_MESSAGE_OFFSET;
import static io.ringstack.journal.JournalFormat.COMMAND_OPERATION_OFFSET;
import static io.ringstack.journal.JournalFormat.CYCLE_TIME_OFFSET;
import static io.ringstack.journal.JournalFormat.END_LOST_OFFSET;
import static io.ringstack.journal.JournalFormat.END_RECORDS_OFFSET;
import static io.ringstack.journal.JournalFormat.FRAME_DATA_OFFSET;
import static io.ringstack.journal.JournalFormat.FRAME_INTERFACE_OFFSET;
import static io.ringstack.journal.JournalFormat.FRAME_OFFLOADS_OFFSET;
import static io.ringstack.journal.JournalFormat.FRAME_RESULT_OFFSET;
import static io.ringstack.journal.JournalFormat.FRAME_TIMESTAMP_OFFSET;
import static io.ringstack.journal.JournalFormat.FRAME_VERDICT_OFFSET;
import static io.ringstack.journal.JournalFormat.IDLE_COUNT_OFFSET;
import static io.ringstack.journal.JournalFormat.IDLE_FIRST_TIME_OFFSET;
import static io.ringstack.journal.JournalFormat.LOSS_COUNT_OFFSET;
import static io.ringstack.journal.JournalFormat.NOTE_TEXT_OFFSET;
import static io.ringstack.journal.JournalFormat.NOTE_WIRE_LENGTH_OFFSET;
import static io.ringstack.journal.JournalFormat.RECORD_HEADER_LENGTH;
import static io.ringstack.journal.JournalFormat.RECORD_LENGTH_OFFSET;
import static io.ringstack.journal.JournalFormat.RECORD_SEQUENCE_OFFSET;
import static io.ringstack.journal.JournalFormat.RECORD_TYPE_OFFSET;
import static io.ringstack.journal.JournalFormat.RESPONSE_RESULT_OFFSET;
import static io.ringstack.journal.JournalFormat.RESPONSE_SEQUENCE_OFFSET;
import static io.ringstack.journal.JournalFormat.VERDICT_VALUE_OFFSET;

/**
 * A flyweight over one {@link JournalFormat} record that the reader has checked (length, CRC, sequence, type and
 * the body's minimum length). Accessors named after a record type read that type's fields only. Valid during the
 * {@link RecordHandler} call that it was passed to. The record's length, type and sequence, which every reader asks
 * for and most ask for more than once, are read once, when it is wrapped.
 */
public final class JournalRecord
{
    private DirectBuffer buffer;
    private int offset;
    private int length;
    private int type;
    private long sequence;

    /**
     * Point at a record that starts at {@code offset}: its whole header must lie in {@code buffer}, and its bytes
     * stay as they are while it is used.
     */
    public JournalRecord wrap(final DirectBuffer buffer, final int offset)
    {
        this.buffer = buffer;
        this.offset = offset;
        length = buffer.getInt(offset + RECORD_LENGTH_OFFSET, BYTE_ORDER);
        type = buffer.getShort(offset + RECORD_TYPE_OFFSET, BYTE_ORDER) & 0xFFFF;
        sequence = buffer.getLong(offset + RECORD_SEQUENCE_OFFSET, BYTE_ORDER);
        return this;
    }

    public DirectBuffer buffer()
    {
        return buffer;
    }

    public int offset()
    {
        return offset;
    }

    /**
     * @return bytes of the whole record, header included.
     */
    public int length()
    {
        return length;
    }

    public long sequence()
    {
        return sequence;
    }

    public int type()
    {
        return type;
    }

    public int bodyOffset()
    {
        return offset + RECORD_HEADER_LENGTH;
    }

    public int bodyLength()
    {
        return length - RECORD_HEADER_LENGTH;
    }

    /**
     * @return whether the record carries a timestamp: CYCLE, RX_FRAME, TX_FRAME, COMMAND, RESPONSE, APP_DATA,
     * APP_CONSUMED and IDLE (its first cycle).
     */
    public boolean hasTimestamp()
    {
        switch (type())
        {
            case JournalFormat.CYCLE:
            case JournalFormat.IDLE:
            case JournalFormat.RX_FRAME:
            case JournalFormat.TX_FRAME:
            case JournalFormat.COMMAND:
            case JournalFormat.RESPONSE:
            case JournalFormat.APP_DATA:
            case JournalFormat.APP_CONSUMED:
                return true;
            default:
                return false;
        }
    }

    /**
     * @return the engine clock of the record's duty cycle (for IDLE, of the run's first cycle); every timed record
     * has it at the same place except IDLE.
     */
    public long timestampNs()
    {
        return buffer.getLong(bodyOffset() + timestampOffset(), BYTE_ORDER);
    }

    /**
     * @return where {@link #timestampNs()} lies in the body of a timed record.
     */
    int timestampOffset()
    {
        final int type = type();
        return type == JournalFormat.IDLE ? IDLE_FIRST_TIME_OFFSET :
            type == JournalFormat.CYCLE ? CYCLE_TIME_OFFSET : FRAME_TIMESTAMP_OFFSET;
    }

    /**
     * @return RX_FRAME and TX_FRAME: 0 for the device, 1 for loopback.
     */
    public int interfaceId()
    {
        return buffer.getShort(bodyOffset() + FRAME_INTERFACE_OFFSET, BYTE_ORDER) & 0xFFFF;
    }

    /**
     * @return RX_FRAME: the offloads the device took for the frame ({@link JournalFormat#OFFLOAD_CHECKSUM_GOOD}),
     * which a replay hands its device with the frame; 0 in a journal written before they were recorded.
     */
    public int offloads()
    {
        return buffer.getShort(bodyOffset() + FRAME_OFFLOADS_OFFSET, BYTE_ORDER) & 0xFFFF;
    }

    /**
     * @return RX_FRAME: the verdict ({@link JournalFormat#VERDICT_DELIVERED}, {@link JournalFormat#VERDICT_PENDING}
     * or a drop reason index); VERDICT: the verdict it carries.
     */
    public int verdict()
    {
        final int field = type() == JournalFormat.VERDICT ? VERDICT_VALUE_OFFSET : FRAME_VERDICT_OFFSET;
        return buffer.getInt(bodyOffset() + field, BYTE_ORDER);
    }

    /**
     * @return TX_FRAME: the {@link io.ringstack.iface.TxResult} the sender was given.
     */
    public int txResult()
    {
        return buffer.getInt(bodyOffset() + FRAME_RESULT_OFFSET, BYTE_ORDER);
    }

    public int frameOffset()
    {
        return bodyOffset() + FRAME_DATA_OFFSET;
    }

    public int frameLength()
    {
        return bodyLength() - FRAME_DATA_OFFSET;
    }

    /**
     * @return COMMAND: the operation, an {@link io.ringstack.engine.Command} code.
     */
    public int operation()
    {
        return buffer.getInt(bodyOffset() + COMMAND_OPERATION_OFFSET, BYTE_ORDER);
    }

    /**
     * @return COMMAND: where the command message starts, in the engine's {@link io.ringstack.engine.Command} layout.
     */
    public int messageOffset()
    {
        return bodyOffset() + COMMAND_MESSAGE_OFFSET;
    }

    public int messageLength()
    {
        return bodyLength() - COMMAND_MESSAGE_OFFSET;
    }

    /**
     * @return RESPONSE: the caller's slot; APP_DATA and APP_CONSUMED: the slot of the application's socket.
     */
    public int slot()
    {
        return buffer.getInt(bodyOffset() + APP_SLOT_OFFSET, BYTE_ORDER);
    }

    /**
     * @return APP_DATA: where the bytes start.
     */
    public int appDataOffset()
    {
        return bodyOffset() + APP_DATA_OFFSET;
    }

    public int appDataLength()
    {
        return bodyLength() - APP_DATA_OFFSET;
    }

    /**
     * @return NOTE: the frame's length on the wire when the capture cut it, else 0.
     */
    public int noteWireLength()
    {
        return buffer.getInt(bodyOffset() + NOTE_WIRE_LENGTH_OFFSET, BYTE_ORDER);
    }

    /**
     * @return NOTE: where the capture's comment starts, {@link #noteTextLength()} bytes of UTF-8.
     */
    public int noteTextOffset()
    {
        return bodyOffset() + NOTE_TEXT_OFFSET;
    }

    public int noteTextLength()
    {
        return bodyLength() - NOTE_TEXT_OFFSET;
    }

    /**
     * @return NOTE: the capture's comment, empty when it had none.
     */
    public String noteText()
    {
        return buffer.getStringWithoutLengthUtf8(noteTextOffset(), noteTextLength());
    }

    /**
     * @return APP_CONSUMED: bytes the application had read from its receive ring since the engine's last look.
     */
    public int consumedBytes()
    {
        return buffer.getInt(bodyOffset() + APP_CONSUMED_BYTES_OFFSET, BYTE_ORDER);
    }

    /**
     * @return RESPONSE: the sequence of the call answered.
     */
    public long callSequence()
    {
        return buffer.getLong(bodyOffset() + RESPONSE_SEQUENCE_OFFSET, BYTE_ORDER);
    }

    /**
     * @return RESPONSE: the engine's answer.
     */
    public long callResult()
    {
        return buffer.getLong(bodyOffset() + RESPONSE_RESULT_OFFSET, BYTE_ORDER);
    }

    /**
     * @return IDLE: how many duty cycles the run holds.
     */
    public int idleCount()
    {
        return buffer.getInt(bodyOffset() + IDLE_COUNT_OFFSET, BYTE_ORDER);
    }

    /**
     * @return LOSS: records lost at this point.
     */
    public long lostCount()
    {
        return buffer.getLong(bodyOffset() + LOSS_COUNT_OFFSET, BYTE_ORDER);
    }

    /**
     * @return END: records written before it.
     */
    public long endRecordCount()
    {
        return buffer.getLong(bodyOffset() + END_RECORDS_OFFSET, BYTE_ORDER);
    }

    /**
     * @return END: records lost in the whole session.
     */
    public long endLostCount()
    {
        return buffer.getLong(bodyOffset() + END_LOST_OFFSET, BYTE_ORDER);
    }
}
