package io.ringstack.drivers.e1000;

/**
 * The 82540EM register file as the Intel PCI/PCI-X Family of Gigabit Ethernet Controllers Software Developer's
 * Manual (8254x SDM, 317453006) lays it out: byte offsets into the 128 KiB memory BAR and the bits the model and
 * its driver use. Every register is 32 bits wide and accessed as a whole.
 * <p>
 * Ethernet addresses in registers follow the manual's convention: the first octet on the wire is the least
 * significant byte of the low register. Here, as everywhere in ringstack, a MAC address is the low 48 bits of a
 * {@code long} with the first octet most significant; {@link #receiveAddressLow} and friends convert.
 */
public final class E1000Registers
{
    /** Size of the memory BAR that holds the register file. */
    public static final int BAR_SIZE = 128 * 1024;

    /** Device Control (RW). */
    public static final int CTRL = 0x0000;
    /** Device Status (RO). */
    public static final int STATUS = 0x0008;
    /** EEPROM Read (RW), the 82540EM layout: {@link #EERD_START}, {@link #EERD_DONE}, address and data fields. */
    public static final int EERD = 0x0014;
    /** Interrupt Cause Read: read-to-clear; writing ones also clears those bits. */
    public static final int ICR = 0x00C0;
    /** Interrupt Cause Set (WO): sets the written bits in ICR, as if the events had happened. */
    public static final int ICS = 0x00C8;
    /** Interrupt Mask Set (write ORs into the mask) and Read (returns the mask). */
    public static final int IMS = 0x00D0;
    /** Interrupt Mask Clear (WO): clears the written bits of the mask. */
    public static final int IMC = 0x00D8;
    /** Receive Control (RW). */
    public static final int RCTL = 0x0100;
    /** Transmit Control (RW). */
    public static final int TCTL = 0x0400;
    /** Transmit Inter-Packet Gap (RW): IPGT bits 9:0, IPGR1 bits 19:10, IPGR2 bits 29:20. */
    public static final int TIPG = 0x0410;

    /** Receive Descriptor Base Address Low (RW), 16-byte aligned: bits 3:0 read as zero. */
    public static final int RDBAL = 0x2800;
    /** Receive Descriptor Base Address High (RW). */
    public static final int RDBAH = 0x2804;
    /** Receive Descriptor Length (RW) in bytes, a multiple of 128: bits 19:7. */
    public static final int RDLEN = 0x2808;
    /** Receive Descriptor Head (RW, 16 bits): the next descriptor the device fills. */
    public static final int RDH = 0x2810;
    /** Receive Descriptor Tail (RW, 16 bits): one past the last descriptor the device may fill. */
    public static final int RDT = 0x2818;
    /** Receive Delay Timer (RW); the model interrupts at once, as with 0. */
    public static final int RDTR = 0x2820;
    /** Receive Interrupt Absolute Delay Timer (RW); the model interrupts at once, as with 0. */
    public static final int RADV = 0x282C;
    /** Receive Checksum Control (RW): which receive checksum offloads the device reports (8254x SDM 13.4.26). */
    public static final int RXCSUM = 0x5000;

    /** Transmit Descriptor Base Address Low (RW), 16-byte aligned. */
    public static final int TDBAL = 0x3800;
    /** Transmit Descriptor Base Address High (RW). */
    public static final int TDBAH = 0x3804;
    /** Transmit Descriptor Length (RW) in bytes, a multiple of 128. */
    public static final int TDLEN = 0x3808;
    /** Transmit Descriptor Head (RW, 16 bits): the next descriptor the device processes. */
    public static final int TDH = 0x3810;
    /** Transmit Descriptor Tail (RW, 16 bits): one past the last descriptor the driver has filled. */
    public static final int TDT = 0x3818;

    /** Missed Packets Count (read-to-clear): frames lost for want of receive buffers; raises ICR.RXO. */
    public static final int MPC = 0x4010;
    /** Good Packets Received Count (read-to-clear). */
    public static final int GPRC = 0x4074;
    /** Good Packets Transmitted Count (read-to-clear). */
    public static final int GPTC = 0x4080;
    /** Good Octets Received Count, low half; DA through CRC. The pair clears when {@link #GORCH} is read. */
    public static final int GORCL = 0x4088;
    /** Good Octets Received Count, high half; reading it clears the 64-bit count. */
    public static final int GORCH = 0x408C;
    /** Good Octets Transmitted Count, low half; DA through CRC. The pair clears when {@link #GOTCH} is read. */
    public static final int GOTCL = 0x4090;
    /** Good Octets Transmitted Count, high half; reading it clears the 64-bit count. */
    public static final int GOTCH = 0x4094;
    /** Receive No Buffers Count (read-to-clear): frames that found head equal to tail. */
    public static final int RNBC = 0x40A0;

    /** Multicast Table Array: 128 registers, 0x5200-0x53FC. */
    public static final int MTA = 0x5200;
    /** Number of {@link #MTA} registers. */
    public static final int MTA_ENTRIES = 128;
    /** Receive Address Low, entry 0: the station address, octets 1-4. */
    public static final int RAL0 = 0x5400;
    /** Receive Address High, entry 0: octets 5-6 and {@link #RAH_AV}. */
    public static final int RAH0 = 0x5404;
    /** Number of receive address entries (RAL/RAH pairs, 8 bytes apart). */
    public static final int RECEIVE_ADDRESS_ENTRIES = 16;

    /** CTRL: Auto-Speed Detection Enable. */
    public static final int CTRL_ASDE = 1 << 5;
    /** CTRL: Set Link Up. */
    public static final int CTRL_SLU = 1 << 6;
    /** CTRL: Device Reset; self-clearing. */
    public static final int CTRL_RST = 1 << 26;

    /** STATUS: Full Duplex. */
    public static final int STATUS_FD = 1;
    /** STATUS: Link Up. */
    public static final int STATUS_LU = 1 << 1;
    /** STATUS: Link speed, bits 7:6: 00 = 10, 01 = 100, 10 or 11 = 1000 Mb/s. */
    public static final int STATUS_SPEED_MASK = 0b11 << 6;
    /** STATUS speed field value for 1000 Mb/s. */
    public static final int STATUS_SPEED_1000 = 0b10 << 6;

    /** EERD: Start Read. */
    public static final int EERD_START = 1;
    /** EERD: Read Done (bit 4 on the 82540EM; later parts moved it to bit 1). */
    public static final int EERD_DONE = 1 << 4;
    /** EERD: the word address, bits 15:8. */
    public static final int EERD_ADDRESS_SHIFT = 8;
    /** EERD: the data read, bits 31:16. */
    public static final int EERD_DATA_SHIFT = 16;

    /** Interrupt cause: Transmit Descriptor Written Back. */
    public static final int ICR_TXDW = 1;
    /** Interrupt cause: Transmit Queue Empty. */
    public static final int ICR_TXQE = 1 << 1;
    /** Interrupt cause: Link Status Change. */
    public static final int ICR_LSC = 1 << 2;
    /** Interrupt cause: Receive Descriptor Minimum Threshold reached. */
    public static final int ICR_RXDMT0 = 1 << 4;
    /** Interrupt cause: Receiver Overrun (a frame was missed, see {@link #MPC}). */
    public static final int ICR_RXO = 1 << 6;
    /** Interrupt cause: Receiver Timer Interrupt (a frame was stored). */
    public static final int ICR_RXT0 = 1 << 7;

    /** RCTL: Receiver Enable. */
    public static final int RCTL_EN = 1 << 1;
    /** RCTL: Receive Descriptor Minimum Threshold Size, bits 9:8: 00 = 1/2, 01 = 1/4, 10 = 1/8 of the ring. */
    public static final int RCTL_RDMTS_SHIFT = 8;
    /** RCTL: Broadcast Accept Mode. */
    public static final int RCTL_BAM = 1 << 15;
    /** RCTL: Receive Buffer Size, bits 17:16: 00 = 2048, 01 = 1024, 10 = 512, 11 = 256 (x16 with BSEX). */
    public static final int RCTL_BSIZE_SHIFT = 16;
    /** RCTL BSIZE value for 2048-byte buffers (with BSEX clear). */
    public static final int RCTL_BSIZE_2048 = 0;
    /** RCTL: Buffer Size Extension: BSIZE 01, 10, 11 mean 16384, 8192, 4096. */
    public static final int RCTL_BSEX = 1 << 25;
    /** RCTL: Strip Ethernet CRC from incoming frames. */
    public static final int RCTL_SECRC = 1 << 26;

    /** RXCSUM: TCP/UDP Checksum Off-load Enable: report TCP and UDP checksums checked (RX descriptor TCPCS). */
    public static final int RXCSUM_TUOFLD = 1 << 9;

    /** TCTL: Transmit Enable. */
    public static final int TCTL_EN = 1 << 1;
    /** TCTL: Pad Short Packets to 64 bytes with FCS. */
    public static final int TCTL_PSP = 1 << 3;
    /** TCTL: Collision Threshold, bits 11:4. */
    public static final int TCTL_CT_SHIFT = 4;
    /** TCTL: Collision Distance, bits 21:12. */
    public static final int TCTL_COLD_SHIFT = 12;

    /** TIPG: IPGR1, bits 19:10 (IPGT is bits 9:0). */
    public static final int TIPG_IPGR1_SHIFT = 10;
    /** TIPG: IPGR2, bits 29:20. */
    public static final int TIPG_IPGR2_SHIFT = 20;

    /** RAH: Address Valid; cleared by reset except on entry 0 when an EEPROM supplies the address. */
    public static final int RAH_AV = 1 << 31;
    /** RAH: the address bits (15:0) and Address Select (17:16); bits 30:18 are reserved. */
    public static final int RAH_WRITABLE = RAH_AV | 0x3_FFFF;

    private E1000Registers()
    {
    }

    /**
     * @return the RAL value holding octets 1-4 of {@code macAddress}, first octet in the least significant byte.
     */
    public static int receiveAddressLow(final long macAddress)
    {
        return (int)(octet(macAddress, 0) | octet(macAddress, 1) << 8 | octet(macAddress, 2) << 16 |
            octet(macAddress, 3) << 24);
    }

    /**
     * @return the RAH address bits holding octets 5-6 of {@code macAddress}, without {@link #RAH_AV}.
     */
    public static int receiveAddressHigh(final long macAddress)
    {
        return (int)(octet(macAddress, 4) | octet(macAddress, 5) << 8);
    }

    /**
     * @return the MAC address a RAL/RAH pair holds, ignoring {@link #RAH_AV} and Address Select.
     */
    public static long macFromReceiveAddress(final int low, final int high)
    {
        final long octets = (low & 0xFFFF_FFFFL) | (high & 0xFFFFL) << 32;
        long macAddress = 0;
        for (int i = 0; i < 6; i++)
        {
            macAddress = macAddress << 8 | (octets >>> (8 * i)) & 0xFF;
        }
        return macAddress;
    }

    /**
     * @return octet {@code index} (0 = first on the wire) of a MAC address.
     */
    static long octet(final long macAddress, final int index)
    {
        return (macAddress >>> (40 - 8 * index)) & 0xFF;
    }
}
