package io.ringstack.drivers.e1000;

/**
 * The legacy receive descriptor (8254x SDM 3.2.3): 16 bytes in guest memory, little-endian. The driver writes the
 * buffer address and clears the status; the device writes everything after the address once it has stored a
 * frame, status last, so that {@link #STATUS_DD} set means the rest is valid.
 * <pre>
 *   0                   1                   2                   3
 *   0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 *  +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *  |                  Buffer Address (64), bytes 0-7               |
 *  +                                                               +
 *  |                                                               |
 *  +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *  |          Length (16)          |      Packet Checksum (16)     |
 *  +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *  |  Status (8)   |  Errors (8)   |          Special (16)         |
 *  +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *
 *  Status:  7    6    5     4     3   2    1   0        Errors:  7   6   5    4   3  2   1  0
 *         +----+----+-----+-----+---+----+---+---+              +---+---+----+---+--+---+--+--+
 *         |PIF |IPCS|TCPCS|UDPCS|VP |IXSM|EOP|DD |              |RXE|IPE|TCPE|CXE|- |SEQ|SE|CE|
 *         +----+----+-----+-----+---+----+---+---+              +---+---+----+---+--+---+--+--+
 * </pre>
 */
public final class E1000RxDescriptor
{
    public static final int LENGTH = 16;

    public static final int BUFFER_ADDRESS_OFFSET = 0;
    public static final int LENGTH_OFFSET = 8;
    public static final int CHECKSUM_OFFSET = 10;
    public static final int STATUS_OFFSET = 12;
    public static final int ERRORS_OFFSET = 13;
    public static final int SPECIAL_OFFSET = 14;

    /** Descriptor Done: the device has written this descriptor back. */
    public static final int STATUS_DD = 1;
    /** End of Packet: the last descriptor of a frame. */
    public static final int STATUS_EOP = 1 << 1;
    /** Ignore Checksum Indication: no receive checksum offload was done. */
    public static final int STATUS_IXSM = 1 << 2;
    /** TCP Checksum Calculated on Packet: the TCP or UDP checksum was checked, and is right unless TCPE is set. */
    public static final int STATUS_TCPCS = 1 << 5;

    /** RX Data Error; the model sets it when it could not store the frame (bad buffer address). */
    public static final int ERRORS_RXE = 1 << 7;

    private E1000RxDescriptor()
    {
    }
}
