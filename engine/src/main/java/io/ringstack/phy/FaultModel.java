package io.ringstack.phy;

import io.ringstack.wire.EthernetFrame;
import io.ringstack.wire.InternetChecksum;
import io.ringstack.wire.Ipv4Packet;
import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;

import java.nio.ByteOrder;
import java.util.SplittableRandom;

/**
 * The fault model: what happens to one frame on a misbehaving wire, drawn from a seeded generator so that the same
 * seed and the same frames give the same faults. {@link FaultInjectingDevice} applies it to what an engine
 * transmits, the relay to what passes between two links. Each frame draws, in this order: loss (a lost frame draws
 * nothing more), corruption (and, when corrupted, which bit), duplication, and reordering when the caller can hold
 * a frame back. A frame held back for reordering is not also duplicated. With a congestion mark rate set, each
 * frame not lost then draws a mark, after the others, so a seed without marks picks the same faults as before.
 * <p>
 * Corruption flips one bit past the 14-byte Ethernet header, so the frame still reaches its destination and the
 * receiver's IPv4, ICMP, UDP or TCP checksum catches it. A mark is what an ECN router does instead of dropping
 * (RFC 3168 section 5): an IPv4 packet whose ECN field says ECT(0) or ECT(1) gets CE, and its header checksum is
 * made right again; a packet that is not ECN-capable is never marked ({@link #isEcnCapable}). One thread; nothing
 * allocates.
 */
public final class FaultModel
{
    /** The frame is lost. */
    public static final int LOSE = 1;
    /** One bit of the frame is flipped: {@link #corrupt} flips it. */
    public static final int CORRUPT = 2;
    /** The frame goes twice. */
    public static final int DUPLICATE = 4;
    /** The frame is held back so that the frames after it overtake it. */
    public static final int REORDER = 8;
    /** An ECN-capable IPv4 packet's ECN field is set to CE: {@link #markCongestion} sets it. */
    public static final int MARK = 16;

    private static final int ETHERNET_HEADER_LENGTH = 14;

    private final FaultInjectingDevice.Faults faults;
    private final SplittableRandom random;
    private int corruptBit;

    public FaultModel(final FaultInjectingDevice.Faults faults)
    {
        this.faults = faults;
        random = new SplittableRandom(faults.seed());
    }

    /**
     * Draw the faults of the next frame.
     *
     * @param length     of the frame in bytes; one no longer than an Ethernet header is never corrupted.
     * @param mayReorder whether the caller can hold this frame back now.
     * @return the sum of the fault flags, 0 for a frame that passes untouched.
     */
    public int decide(final int length, final boolean mayReorder)
    {
        if (random.nextDouble() < faults.lossRate())
        {
            return LOSE;
        }
        int verdict = 0;
        if (random.nextDouble() < faults.corruptionRate() && length > ETHERNET_HEADER_LENGTH)
        {
            verdict |= CORRUPT;
            corruptBit = ETHERNET_HEADER_LENGTH * 8 + random.nextInt((length - ETHERNET_HEADER_LENGTH) * 8);
        }
        final boolean duplicate = random.nextDouble() < faults.duplicationRate();
        if (mayReorder && random.nextDouble() < faults.reorderRate())
        {
            verdict |= REORDER;
        }
        else if (duplicate)
        {
            verdict |= DUPLICATE;
        }
        if (faults.markRate() > 0 && random.nextDouble() < faults.markRate())
        {
            verdict |= MARK;
        }
        return verdict;
    }

    /**
     * @return whether the Ethernet frame at {@code offset} holds an IPv4 packet with ECT(0) or ECT(1) in its ECN
     * field, one a {@link #MARK} may mark.
     */
    public static boolean isEcnCapable(final DirectBuffer frame, final int offset, final int length)
    {
        if (length < EthernetFrame.HEADER_LENGTH + Ipv4Packet.HEADER_LENGTH ||
            (frame.getShort(offset + EthernetFrame.ETHER_TYPE_OFFSET, ByteOrder.BIG_ENDIAN) & 0xFFFF) !=
                EthernetFrame.ETHER_TYPE_IPV4)
        {
            return false;
        }
        final int ip = offset + EthernetFrame.HEADER_LENGTH;
        final int versionIhl = frame.getByte(ip + Ipv4Packet.VERSION_IHL_OFFSET) & 0xFF;
        final int ecn = frame.getByte(ip + Ipv4Packet.DSCP_ECN_OFFSET) & Ipv4Packet.ECN_MASK;
        return versionIhl >>> 4 == Ipv4Packet.VERSION && (versionIhl & 0x0F) << 2 >= Ipv4Packet.HEADER_LENGTH &&
            EthernetFrame.HEADER_LENGTH + ((versionIhl & 0x0F) << 2) <= length &&
            (ecn == Ipv4Packet.ECN_ECT_0 || ecn == Ipv4Packet.ECN_ECT_1);
    }

    /**
     * Set CE in the ECN field of the frame at {@code offset}, which {@link #isEcnCapable} accepted, and write its
     * IPv4 header checksum again (RFC 791 3.1), as a router that marks it does.
     */
    public static void markCongestion(final MutableDirectBuffer frame, final int offset)
    {
        final int ip = offset + EthernetFrame.HEADER_LENGTH;
        final int headerLength = (frame.getByte(ip + Ipv4Packet.VERSION_IHL_OFFSET) & 0x0F) << 2;
        frame.putByte(ip + Ipv4Packet.DSCP_ECN_OFFSET,
            (byte)(frame.getByte(ip + Ipv4Packet.DSCP_ECN_OFFSET) | Ipv4Packet.ECN_CE));
        frame.putShort(ip + Ipv4Packet.CHECKSUM_OFFSET, (short)0);
        frame.putShort(ip + Ipv4Packet.CHECKSUM_OFFSET, (short)InternetChecksum.compute(frame, ip, headerLength),
            ByteOrder.BIG_ENDIAN);
    }

    /**
     * Flip the bit the last {@link #decide} chose, in the copy of that frame at {@code offset}.
     */
    public void corrupt(final MutableDirectBuffer frame, final int offset)
    {
        final int index = offset + (corruptBit >>> 3);
        frame.putByte(index, (byte)(frame.getByte(index) ^ (1 << (corruptBit & 7))));
    }

    /**
     * @return the bit the last corrupting {@link #decide} chose, counted from the frame's first byte.
     */
    public int corruptBit()
    {
        return corruptBit;
    }
}
