package io.ringstack.journal;

import java.nio.ByteOrder;
import org.agrona.MutableDirectBuffer;

/**
 * The journal's binary layout, version {@value #VERSION}: the one place every byte of a journal is described. All
 * fields are little-endian; frames and command messages are copied as the engine had them (command messages in the
 * engine's native order, little-endian on the x86-64 and AArch64 machines ringstack runs on).
 * <p>
 * A journal directory is one Chronicle Queue holding one engine session. Each Chronicle document is a <b>batch</b>:
 * a batch header followed by whole records, as many as the journal agent drained from the tap ring at once.
 * <pre>
 *   Batch (one Chronicle document)
 *   0                   1                   2                   3
 *   0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 *  +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *  |              Magic "RSJL" (0x4C4A5352 little-endian)          |
 *  +-------------------------------+-------------------------------+
 *  |        Format version         |           Reserved            |
 *  +-------------------------------+-------------------------------+
 *  |                         Record ...                            |
 *  +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * </pre>
 * Every <b>record</b> has a 20-byte header. Sequence numbers start at 0 (the session header) and go up by one per
 * record, with no gaps: records lost to a full tap ring under {@link TapPolicy#DROP} never get one, and a
 * {@link #LOSS} record says how many were lost there. One CRC-32C (RFC 3720, appendix B.4) covers a whole batch: the
 * CRC field of the batch's first record holds the CRC of the batch from that record's sequence field to the batch's
 * end, and the CRC fields of the records after it are 0; the session header is a batch of its own, so that a damaged
 * batch never hides it. A version 2 batch has a CRC in every record instead, of the
 * record from its sequence field to its end; readers read both.
 * <pre>
 *   Record
 *   0                   1                   2                   3
 *   0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 *  +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *  |            Record length (header and body, bytes)             |  0
 *  +---------------------------------------------------------------+
 *  |     CRC-32C of the batch from byte 8 (first record), else 0   |  4
 *  +---------------------------------------------------------------+
 *  |                                                               |  8
 *  +                        Sequence (64)                          +
 *  |                                                               |
 *  +-------------------------------+-------------------------------+
 *  |             Type              |           Reserved            | 16
 *  +-------------------------------+-------------------------------+
 *  |                          Body ...                             | 20
 *  +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * </pre>
 * The bodies, by type (offsets are from the start of the body; the tap ring carries the same bodies, with the
 * type as the ring's message type):
 * <pre>
 *  SESSION (1): the engine's configuration, first record of every journal
 *  +-------------------------------+-------------------------------+
 *  |        Format version         |  Flags (bit 0: has a device)  |  0
 *  +-------------------------------+-------------------------------+
 *  |                   Interface IPv4 address                      |  4
 *  +---------------------------------------------------------------+
 *  |                   Gateway IPv4 address (0: none)              |  8
 *  +---------------------------------------------------------------+
 *  |                       Prefix length                           | 12
 *  +---------------------------------------------------------------+
 *  |                  MAC address (64, low 48 bits)                | 16
 *  +---------------------------------------------------------------+
 *  |    Clock origin (64): the engine clock's first reading, ns    | 24
 *  +---------------------------------------------------------------+
 *  |  Epoch offset (64): wall clock ns since 1970 minus engine ns  | 32
 *  +---------------------------------------------------------------+
 *  |                       Device MTU (0: none)                    | 40
 *  +---------------------------------------------------------------+
 *  |                 Tap policy (0 BLOCK, 1 DROP)                  | 44
 *  +---------------------------------------------------------------+
 *  | Strings, each a 16-bit length then UTF-8: engine name,        | 48
 *  | platform profile, device name, ringstack version, JVM version |
 *  +---------------------------------------------------------------+
 *  | Settings: 16-bit count, each a string name and a 64-bit value |
 *  | (the {@link io.ringstack.config.Setting}s that change behaviour)|
 *  +---------------------------------------------------------------+
 *  | Drop reasons: 16-bit count, then each name as a string; the   |
 *  | i-th name is the reason a verdict of i stands for             |
 *  +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *
 *  CYCLE (2): a duty cycle in which something was recorded
 *  +---------------------------------------------------------------+
 *  |            Engine clock for the whole cycle (64), ns          |  0
 *  +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *
 *  IDLE (3): a run of duty cycles in which nothing was recorded
 *  +---------------------------------------------------------------+
 *  |                     Cycle count (n >= 1)                      |  0
 *  +---------------------------------------------------------------+
 *  |                          Reserved                             |  4
 *  +---------------------------------------------------------------+
 *  |                  Clock of the first cycle (64)                |  8
 *  +---------------------------------------------------------------+
 *  | n - 1 clock deltas from the previous cycle, zig-zag LEB128    | 16
 *  +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *
 *  RX_FRAME (4) and TX_FRAME (6): a frame into or out of the engine
 *  +---------------------------------------------------------------+
 *  |                 Timestamp (64): the cycle's clock             |  0
 *  +---------------------------------------------------------------+
 *  | RX: verdict: -1 delivered, -2 in a later VERDICT record, -3   |  8
 *  |     held (a fragment, counted with its datagram later), else  |
 *  |     the index of the drop reason in the session header       |
 *  | TX: result: the io.ringstack.iface.TxResult the sender was    |
 *  |     given: 0 SENT, -1 NO_BUFFER, -2 NOT_READY, -3 OVERSIZE    |
 *  +-------------------------------+-------------------------------+
 *  |   Interface (0 dev, 1 loop)   |  RX: offloads, TX: reserved   | 12
 *  +-------------------------------+-------------------------------+
 *  |                      Ethernet frame ...                       | 16
 *  +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *
 *  RX offloads: bit 0, the device (or its link) vouched for the frame's TCP or UDP checksum and the engine did not
 *  check it ({@code phy.FrameHandler.CHECKSUM_GOOD}); every other bit 0, and 0 on the loopback interface.
 *
 *  VERDICT (5): the verdict of the last RX_FRAME, when records came between the two
 *  +---------------------------------------------------------------+
 *  |                 Verdict, as in RX_FRAME                       |  0
 *  +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *
 *  COMMAND (7): an application call as it was on the engine's command ring
 *  +---------------------------------------------------------------+
 *  |                 Timestamp (64): the cycle's clock             |  0
 *  +---------------------------------------------------------------+
 *  |                  Operation (io.ringstack.engine.Command)       |  8
 *  +---------------------------------------------------------------+
 *  |                          Reserved                             | 12
 *  +---------------------------------------------------------------+
 *  |     Command message: slot, arguments, call sequence, payload  | 16
 *  +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *
 *  RESPONSE (8): the engine's answer to a call
 *  +---------------------------------------------------------------+
 *  |                 Timestamp (64): the cycle's clock             |  0
 *  +---------------------------------------------------------------+
 *  |                            Slot                               |  8
 *  +---------------------------------------------------------------+
 *  |                          Reserved                             | 12
 *  +---------------------------------------------------------------+
 *  |                     Call sequence (64)                        | 16
 *  +---------------------------------------------------------------+
 *  |                        Result (64)                            | 24
 *  +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *
 *  LOSS (9): records the tap dropped because its ring was full (DROP policy)
 *  +---------------------------------------------------------------+
 *  |                    Records lost here (64)                     |  0
 *  +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *
 *  END (10): the journal was closed; its absence means the tail was cut
 *  +---------------------------------------------------------------+
 *  |                Records before this one (64)                   |  0
 *  +---------------------------------------------------------------+
 *  |                 Records lost in all (64)                      |  8
 *  +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *
 *  APP_DATA (11): bytes the engine took from a TCP send ring, in stream order (one take may span records)
 *  +---------------------------------------------------------------+
 *  |                 Timestamp (64): the cycle's clock             |  0
 *  +---------------------------------------------------------------+
 *  |                  Slot of the application's socket             |  8
 *  +---------------------------------------------------------------+
 *  |                          Reserved                             | 12
 *  +---------------------------------------------------------------+
 *  |                          Bytes ...                            | 16
 *  +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *
 *  APP_CONSUMED (12): the engine looked at a socket's TCP rings; ends every look, after its APP_DATA records
 *  +---------------------------------------------------------------+
 *  |                 Timestamp (64): the cycle's clock             |  0
 *  +---------------------------------------------------------------+
 *  |                  Slot of the application's socket             |  8
 *  +---------------------------------------------------------------+
 *  |   Bytes the application read from the receive ring (may be 0) | 12
 *  +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *
 *  NOTE (13): what an imported capture said of the device RX_FRAME that follows, written before its cycle
 *  +---------------------------------------------------------------+
 *  |   Length on the wire when the capture cut the frame, else 0   |  0
 *  +---------------------------------------------------------------+
 *  |             The capture's comment on it, UTF-8 (may be empty) |  4
 *  +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * </pre>
 * Within a duty cycle the records follow the engine's own order: a CYCLE record, then the commands it carried
 * out with what they caused, then each received frame with what it caused. A received frame's verdict is in its
 * RX_FRAME record when nothing was recorded while it was dispatched, else in the VERDICT record after what it
 * caused. Device RX frames, commands and what the engine took from the application's TCP rings (APP_DATA,
 * APP_CONSUMED, where the engine looked) are the inputs; NOTE records are neither (a replay passes over them, an
 * export puts them back on their frame); everything else is output.
 */
public final class JournalFormat
{
    /**
     * Version of this layout, in every batch header and in the session header. Version 3: one CRC per batch, in its
     * first record, where version 2 had one in every record. Version 2: a TX_FRAME's result is a
     * {@link io.ringstack.iface.TxResult}, where version 1 had the sender's {@code -errno}.
     */
    public static final int VERSION = 3;
    /** The oldest version this build reads: version 2, whose records each carry their own CRC. */
    public static final int OLDEST_READABLE_VERSION = 2;
    /** Byte order of every field the journal defines. */
    public static final ByteOrder BYTE_ORDER = ByteOrder.LITTLE_ENDIAN;

    public static final int BATCH_MAGIC = 0x4C4A_5352;
    public static final int BATCH_MAGIC_OFFSET = 0;
    public static final int BATCH_VERSION_OFFSET = 4;
    public static final int BATCH_HEADER_LENGTH = 8;

    public static final int RECORD_LENGTH_OFFSET = 0;
    public static final int RECORD_CRC_OFFSET = 4;
    public static final int RECORD_SEQUENCE_OFFSET = 8;
    public static final int RECORD_TYPE_OFFSET = 16;
    public static final int RECORD_HEADER_LENGTH = 20;
    /** A CRC covers its batch (version 2: its record) from here in the batch's first record to the end. */
    public static final int RECORD_CRC_START = RECORD_SEQUENCE_OFFSET;

    public static final int SESSION = 1;
    public static final int CYCLE = 2;
    public static final int IDLE = 3;
    public static final int RX_FRAME = 4;
    public static final int VERDICT = 5;
    public static final int TX_FRAME = 6;
    public static final int COMMAND = 7;
    public static final int RESPONSE = 8;
    public static final int LOSS = 9;
    public static final int END = 10;
    public static final int APP_DATA = 11;
    public static final int APP_CONSUMED = 12;
    /** The highest record type of this layout. */
    public static final int NOTE = 13;

    public static final int LAST_TYPE = NOTE;

    public static final int SESSION_VERSION_OFFSET = 0;
    public static final int SESSION_FLAGS_OFFSET = 2;
    public static final int SESSION_ADDRESS_OFFSET = 4;
    public static final int SESSION_GATEWAY_OFFSET = 8;
    public static final int SESSION_PREFIX_LENGTH_OFFSET = 12;
    public static final int SESSION_MAC_OFFSET = 16;
    public static final int SESSION_CLOCK_ORIGIN_OFFSET = 24;
    public static final int SESSION_EPOCH_OFFSET_OFFSET = 32;
    public static final int SESSION_MTU_OFFSET = 40;
    public static final int SESSION_POLICY_OFFSET = 44;
    public static final int SESSION_VARIABLE_OFFSET = 48;
    public static final int SESSION_FLAG_DEVICE = 1;

    public static final int CYCLE_TIME_OFFSET = 0;
    public static final int CYCLE_LENGTH = 8;

    public static final int IDLE_COUNT_OFFSET = 0;
    public static final int IDLE_FIRST_TIME_OFFSET = 8;
    public static final int IDLE_DELTAS_OFFSET = 16;

    public static final int FRAME_TIMESTAMP_OFFSET = 0;
    public static final int FRAME_VERDICT_OFFSET = 8;
    public static final int FRAME_RESULT_OFFSET = 8;
    public static final int FRAME_INTERFACE_OFFSET = 12;
    public static final int FRAME_OFFLOADS_OFFSET = 14;
    /** RX_FRAME offloads: the device vouched for the transport checksum ({@code phy.FrameHandler.CHECKSUM_GOOD}). */
    public static final int OFFLOAD_CHECKSUM_GOOD = 1;
    public static final int FRAME_DATA_OFFSET = 16;

    /** RX_FRAME verdict: the frame was delivered (the engine's {@code EngineTap.DELIVERED}). */
    public static final int VERDICT_DELIVERED = -1;
    /** RX_FRAME verdict: see the VERDICT record that follows what the frame caused. */
    public static final int VERDICT_PENDING = -2;
    /** Verdict of a fragment held for reassembly (the engine's {@code EngineTap.HELD}); its datagram's fate follows. */
    public static final int VERDICT_HELD = -3;

    public static final int VERDICT_VALUE_OFFSET = 0;
    public static final int VERDICT_LENGTH = 4;

    public static final int COMMAND_TIMESTAMP_OFFSET = 0;
    public static final int COMMAND_OPERATION_OFFSET = 8;
    public static final int COMMAND_MESSAGE_OFFSET = 16;

    public static final int RESPONSE_TIMESTAMP_OFFSET = 0;
    public static final int RESPONSE_SLOT_OFFSET = 8;
    public static final int RESPONSE_SEQUENCE_OFFSET = 16;
    public static final int RESPONSE_RESULT_OFFSET = 24;
    public static final int RESPONSE_LENGTH = 32;

    public static final int LOSS_COUNT_OFFSET = 0;
    public static final int LOSS_LENGTH = 8;

    public static final int END_RECORDS_OFFSET = 0;
    public static final int END_LOST_OFFSET = 8;
    public static final int END_LENGTH = 16;

    public static final int APP_TIMESTAMP_OFFSET = 0;
    /** The same as {@link #RESPONSE_SLOT_OFFSET}: one accessor reads the slot of all three. */
    public static final int APP_SLOT_OFFSET = RESPONSE_SLOT_OFFSET;
    public static final int APP_DATA_OFFSET = 16;
    public static final int APP_CONSUMED_BYTES_OFFSET = 12;
    public static final int APP_CONSUMED_LENGTH = 16;

    public static final int NOTE_WIRE_LENGTH_OFFSET = 0;
    public static final int NOTE_TEXT_OFFSET = 4;

    private JournalFormat()
    {
    }

    /**
     * Write a record header at {@code index}, its CRC 0 until its batch is sealed.
     */
    public static void putRecordHeader(
        final MutableDirectBuffer buffer, final int index, final int recordLength, final long sequence, final int type)
    {
        buffer.putInt(index + RECORD_LENGTH_OFFSET, recordLength, BYTE_ORDER);
        buffer.putInt(index + RECORD_CRC_OFFSET, 0, BYTE_ORDER);
        buffer.putLong(index + RECORD_SEQUENCE_OFFSET, sequence, BYTE_ORDER);
        buffer.putInt(index + RECORD_TYPE_OFFSET, type & 0xFFFF, BYTE_ORDER);
    }

    /**
     * @return whether this build reads a journal of format {@code version}.
     */
    public static boolean isReadable(final int version)
    {
        return version >= OLDEST_READABLE_VERSION && version <= VERSION;
    }

    /**
     * @return the one-line refusal of a journal written in another format version, naming the versions read.
     */
    public static String unsupportedVersion(final int version)
    {
        return "journal format version " + version + " is not supported (this build reads versions " +
            OLDEST_READABLE_VERSION + " to " + VERSION + ")";
    }

    /**
     * @return the name of a record type, e.g. {@code "RX_FRAME"}, or {@code "type N"} for an unknown one.
     */
    public static String typeName(final int type)
    {
        switch (type)
        {
            case SESSION: return "SESSION";
            case CYCLE: return "CYCLE";
            case IDLE: return "IDLE";
            case RX_FRAME: return "RX_FRAME";
            case VERDICT: return "VERDICT";
            case TX_FRAME: return "TX_FRAME";
            case COMMAND: return "COMMAND";
            case RESPONSE: return "RESPONSE";
            case LOSS: return "LOSS";
            case END: return "END";
            case APP_DATA: return "APP_DATA";
            case APP_CONSUMED: return "APP_CONSUMED";
            case NOTE: return "NOTE";
            default: return "type " + type;
        }
    }

    /**
     * @return the shortest body a record of this type may have, or -1 when the type is unknown.
     */
    public static int minimumBodyLength(final int type)
    {
        switch (type)
        {
            case SESSION: return SESSION_VARIABLE_OFFSET;
            case CYCLE: return CYCLE_LENGTH;
            case IDLE: return IDLE_DELTAS_OFFSET;
            case RX_FRAME:
            case TX_FRAME: return FRAME_DATA_OFFSET;
            case VERDICT: return VERDICT_LENGTH;
            case COMMAND: return COMMAND_MESSAGE_OFFSET;
            case RESPONSE: return RESPONSE_LENGTH;
            case LOSS: return LOSS_LENGTH;
            case END: return END_LENGTH;
            case APP_DATA: return APP_DATA_OFFSET;
            case APP_CONSUMED: return APP_CONSUMED_LENGTH;
            case NOTE: return NOTE_TEXT_OFFSET;
            default: return -1;
        }
    }
}
