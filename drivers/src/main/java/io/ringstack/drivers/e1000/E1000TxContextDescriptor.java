package io.ringstack.drivers.e1000;

/**
 * The TCP/IP context transmit descriptor (8254x SDM 3.3.6): 16 bytes in guest memory, little-endian, told from a
 * legacy descriptor by {@link E1000TxDescriptor#CMD_DEXT} and from a data descriptor by a descriptor type of 0. It
 * sends nothing: it loads the offload context that the {@link E1000TxDataDescriptor data descriptors} after it use,
 * where the IP and the TCP/UDP checksums start (CSS), where they are stored (CSO) and where they end (CSE, 0 for
 * the end of the frame), and for TCP segmentation the header length, the MSS and the payload length of the frame
 * that the device cuts.
 * <pre>
 *   0                   1                   2                   3
 *   0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 *  +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *  |   IPCSS (8)   |   IPCSO (8)   |          IPCSE (16)           |  bytes 0-3
 *  +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *  |   TUCSS (8)   |   TUCSO (8)   |          TUCSE (16)           |  bytes 4-7
 *  +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *  |               PAYLEN (20)             |DTYP=0 |   TUCMD (8)   |  bytes 8-11
 *  +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *  |STA (4)| rsvd  |  HDRLEN (8)   |            MSS (16)           |  bytes 12-15
 *  +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *
 *  TUCMD:  7    6    5    4   3   2   1    0
 *        +---+----+----+----+---+---+---+---+
 *        |IDE|rsvd|DEXT|rsvd|RS |TSE|IP |TCP|
 *        +---+----+----+----+---+---+---+---+
 * </pre>
 * The command byte lies where a legacy descriptor's CMD does, so bit 0 is TCP here, not EOP: a context descriptor
 * never ends a frame.
 */
public final class E1000TxContextDescriptor
{
    public static final int IPCSS_OFFSET = 0;
    public static final int IPCSO_OFFSET = 1;
    public static final int IPCSE_OFFSET = 2;
    public static final int TUCSS_OFFSET = 4;
    public static final int TUCSO_OFFSET = 5;
    public static final int TUCSE_OFFSET = 6;
    /** PAYLEN in bits 0-19 of the 32-bit word at byte 8, the descriptor type in bits 20-23. */
    public static final int PAYLEN_OFFSET = 8;
    public static final int TUCMD_OFFSET = E1000TxDescriptor.CMD_OFFSET;
    public static final int STATUS_OFFSET = E1000TxDescriptor.STATUS_OFFSET;
    public static final int HDRLEN_OFFSET = 13;
    public static final int MSS_OFFSET = 14;

    /** The descriptor type of a context descriptor, in bits 20-23 of the word at byte 8. */
    public static final int DTYP_CONTEXT = 0;
    /** Mask of PAYLEN in the word at byte 8. */
    public static final int PAYLEN_MASK = 0xF_FFFF;

    /** The packet is TCP; clear, UDP. */
    public static final int TUCMD_TCP = 1;
    /** The packet is IPv4; clear, IPv6. */
    public static final int TUCMD_IP = 1 << 1;
    /** TCP segmentation: data descriptors with {@link E1000TxDataDescriptor#DCMD_TSE} are cut by this context. */
    public static final int TUCMD_TSE = 1 << 2;

    private E1000TxContextDescriptor()
    {
    }
}
