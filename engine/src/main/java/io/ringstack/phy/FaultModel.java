package io.ringstack.phy;

import org.agrona.MutableDirectBuffer;

import java.util.SplittableRandom;

/**
 * The fault model: what happens to one frame on a misbehaving wire, drawn from a seeded generator so that the same
 * seed and the same frames give the same faults. {@link FaultInjectingDevice} applies it to what an engine
 * transmits, the relay to what passes between two links. Each frame draws, in this order: loss (a lost frame draws
 * nothing more), corruption (and, when corrupted, which bit), duplication, and reordering when the caller can hold
 * a frame back. A frame held back for reordering is not also duplicated.
 * <p>
 * Corruption flips one bit past the 14-byte Ethernet header, so the frame still reaches its destination and the
 * receiver's IPv4, ICMP, UDP or TCP checksum catches it. One thread; nothing allocates.
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
            return verdict | REORDER;
        }
        return duplicate ? verdict | DUPLICATE : verdict;
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
