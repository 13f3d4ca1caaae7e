package io.ringstack.drivers.e1000;

/**
 * The TCP/IP data transmit descriptor (8254x SDM 3.3.7): 16 bytes in guest memory, little-endian, a buffer of a
 * frame like a legacy descriptor's, with {@link E1000TxDescriptor#CMD_DEXT} set and a descriptor type of 1. Its
 * frame takes the offloads the last {@link E1000TxContextDescriptor context descriptor} describes: the checksums
 * its first descriptor's POPTS asks for, and TCP segmentation when DCMD has TSE.
 * <pre>
 *   0                   1                   2                   3
 *   0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 *  +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *  |                  Buffer Address (64), bytes 0-7               |
 *  +                                                               +
 *  |                                                               |
 *  +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *  |               DTALEN (20)             |DTYP=1 |   DCMD (8)    |  bytes 8-11
 *  +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *  |STA (4)| rsvd  |   POPTS (8)   |          Special (16)         |  bytes 12-15
 *  +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *
 *  DCMD:  7   6    5    4   3   2    1    0          POPTS:  7..2   1    0
 *       +---+---+----+----+---+---+----+---+               +------+----+----+
 *       |IDE|VLE|DEXT|rsvd|RS |TSE|IFCS|EOP|               | rsvd |TXSM|IXSM|
 *       +---+---+----+----+---+---+----+---+               +------+----+----+
 * </pre>
 */
public final class E1000TxDataDescriptor
{
    public static final int BUFFER_ADDRESS_OFFSET = E1000TxDescriptor.BUFFER_ADDRESS_OFFSET;
    /** DTALEN in bits 0-19 of the 32-bit word at byte 8, the descriptor type in bits 20-23. */
    public static final int LENGTH_OFFSET = E1000TxDescriptor.LENGTH_OFFSET;
    /** The byte whose high nibble is the descriptor type, in every extended descriptor. */
    public static final int TYPE_OFFSET = 10;
    public static final int DCMD_OFFSET = E1000TxDescriptor.CMD_OFFSET;
    public static final int STATUS_OFFSET = E1000TxDescriptor.STATUS_OFFSET;
    public static final int POPTS_OFFSET = 13;

    /** The descriptor type of a data descriptor, in bits 20-23 of the word at byte 8. */
    public static final int DTYP_DATA = 1;
    /** Mask of DTALEN in the word at byte 8. */
    public static final int LENGTH_MASK = 0xF_FFFF;
    /** Shift of the descriptor type in the word at byte 8. */
    public static final int TYPE_SHIFT = 20;

    /** TCP segmentation of this frame by the current context. */
    public static final int DCMD_TSE = 1 << 2;

    /** Insert the IP checksum (IPCSS to IPCSE, stored at IPCSO). */
    public static final int POPTS_IXSM = 1;
    /** Insert the TCP/UDP checksum (TUCSS to TUCSE, stored at TUCSO). */
    public static final int POPTS_TXSM = 1 << 1;

    private E1000TxDataDescriptor()
    {
    }
}
