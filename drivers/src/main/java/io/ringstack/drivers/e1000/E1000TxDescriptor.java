package io.ringstack.drivers.e1000;

/**
 * The legacy transmit descriptor (8254x SDM 3.3.3): 16 bytes in guest memory, little-endian. The driver writes it
 * whole; the device writes back only the status byte, and only when the command asked for it with
 * {@link #CMD_RS}. A frame may span several descriptors; the last carries {@link #CMD_EOP}.
 * <pre>
 *   0                   1                   2                   3
 *   0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 *  +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *  |                  Buffer Address (64), bytes 0-7               |
 *  +                                                               +
 *  |                                                               |
 *  +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *  |          Length (16)          |    CSO (8)    |    CMD (8)    |
 *  +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *  |  Status (8)   |    CSS (8)    |          Special (16)         |
 *  +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *
 *  CMD:  7   6    5    4   3   2   1    0          Status:  7..4   3   2   1   0
 *      +---+---+----+---+---+---+----+---+                +------+---+---+---+---+
 *      |IDE|VLE|DEXT|RPS|RS |IC |IFCS|EOP|                | rsvd |TU |LC |EC |DD |
 *      +---+---+----+---+---+---+----+---+                +------+---+---+---+---+
 * </pre>
 */
public final class E1000TxDescriptor
{
    public static final int LENGTH = 16;

    public static final int BUFFER_ADDRESS_OFFSET = 0;
    public static final int LENGTH_OFFSET = 8;
    public static final int CSO_OFFSET = 10;
    public static final int CMD_OFFSET = 11;
    public static final int STATUS_OFFSET = 12;
    public static final int CSS_OFFSET = 13;
    public static final int SPECIAL_OFFSET = 14;

    /** End of Packet: the last descriptor of a frame. */
    public static final int CMD_EOP = 1;
    /** Insert FCS: the device appends the Ethernet CRC; when clear, the buffer already ends with it. */
    public static final int CMD_IFCS = 1 << 1;
    /** Report Status: the device sets {@link #STATUS_DD} when done with this descriptor. */
    public static final int CMD_RS = 1 << 3;
    /** Descriptor Extension: a context or data descriptor, not the legacy format. */
    public static final int CMD_DEXT = 1 << 5;

    /** Descriptor Done. */
    public static final int STATUS_DD = 1;

    private E1000TxDescriptor()
    {
    }
}
