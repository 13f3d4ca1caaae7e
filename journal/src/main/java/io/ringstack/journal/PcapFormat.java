package io.ringstack.journal;

/**
 * The capture file formats the journal exports to and imports from: pcapng (draft-ietf-opsawg-pcapng) block types
 * and option codes, and classic pcap's magic numbers. Only Ethernet (link type 1) is supported.
 */
public final class PcapFormat
{
    public static final int SECTION_HEADER_BLOCK = 0x0A0D_0D0A;
    public static final int INTERFACE_DESCRIPTION_BLOCK = 1;
    /** Obsolete Packet Block, still written by old tools. */
    public static final int PACKET_BLOCK = 2;
    public static final int SIMPLE_PACKET_BLOCK = 3;
    public static final int ENHANCED_PACKET_BLOCK = 6;
    public static final int BYTE_ORDER_MAGIC = 0x1A2B_3C4D;
    public static final int LINKTYPE_ETHERNET = 1;

    public static final int OPT_END_OF_OPT = 0;
    public static final int OPT_COMMENT = 1;
    public static final int SHB_USER_APPLICATION = 4;
    public static final int IF_NAME = 2;
    public static final int IF_DESCRIPTION = 3;
    public static final int IF_IPV4_ADDRESS = 4;
    public static final int IF_MAC_ADDRESS = 6;
    public static final int IF_TSRESOL = 9;
    public static final int IF_TSOFFSET = 14;
    public static final int EPB_FLAGS = 2;
    /**
     * {@code epb_verdict}: what became of the packet, one octet naming the kind of verdict, then its value. The
     * engine's verdict is written as the Linux eBPF XDP kind (a 64-bit {@code enum xdp_action}, in the section's byte
     * order), whose {@link #XDP_PASS} and {@link #XDP_DROP} mean what a delivered and a dropped frame are.
     */
    public static final int EPB_VERDICT = 7;
    public static final int VERDICT_TYPE_LINUX_EBPF_XDP = 2;
    /** {@code XDP_DROP}: the frame was dropped. */
    public static final int XDP_DROP = 1;
    /** {@code XDP_PASS}: the frame went on up the stack. */
    public static final int XDP_PASS = 2;
    /** No {@code epb_verdict} option: the frame's fate is not known or not a verdict (a frame sent). */
    public static final int NO_VERDICT = -1;

    /** {@code epb_flags} direction bits (the low two): not known. */
    public static final int DIRECTION_UNKNOWN = 0;
    public static final int DIRECTION_INBOUND = 1;
    public static final int DIRECTION_OUTBOUND = 2;
    public static final int DIRECTION_MASK = 3;
    /** {@code if_tsresol} value: 10^-9 s. */
    public static final int NANOSECOND_RESOLUTION = 9;

    /** Classic pcap, microsecond timestamps, as written in the file's byte order. */
    public static final int PCAP_MAGIC_MICROSECONDS = 0xA1B2_C3D4;
    /** Classic pcap, nanosecond timestamps. */
    public static final int PCAP_MAGIC_NANOSECONDS = 0xA1B2_3C4D;
    public static final int PCAP_FILE_HEADER_LENGTH = 24;
    public static final int PCAP_RECORD_HEADER_LENGTH = 16;

    private PcapFormat()
    {
    }
}
