package io.ringstack.phy;

import org.agrona.BufferUtil;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.NanoClock;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * A device that makes the wire misbehave, as smoltcp's fault injector does: stacked around any
 * {@link NetworkDevice}, it loses, duplicates, reorders and corrupts the frames the engine transmits, each with its
 * own probability, drawn by the seeded {@link FaultModel} so that a run is repeatable. Received frames pass untouched; wrap
 * both ends of a wire to disturb both directions.
 * <ul>
 *   <li>loss: the frame is dropped (the engine is told it went);</li>
 *   <li>duplication: the frame goes twice;</li>
 *   <li>reordering: the frame is held back and goes after the next one (or after {@link Faults#holdNs} if no
 *       other frame comes);</li>
 *   <li>corruption: one bit past the Ethernet header is flipped, which the receiver's checksums catch;</li>
 *   <li>congestion marks: an ECN-capable IPv4 packet gets CE in its ECN field (RFC 3168 section 5).</li>
 * </ul>
 * A held frame that no successor releases goes out from {@link #receive}, which the engine calls every duty cycle.
 * Same thread as the engine; nothing allocates per frame.
 */
public final class FaultInjectingDevice implements NetworkDevice
{
    private static final int MAX_FRAME = 2048;

    private final NetworkDevice inner;
    private final Faults faults;
    private final NanoClock clock;
    private final FaultModel model;
    private final UnsafeBuffer scratch = new UnsafeBuffer(BufferUtil.allocateDirectAligned(MAX_FRAME, 64));
    private final UnsafeBuffer held = new UnsafeBuffer(BufferUtil.allocateDirectAligned(MAX_FRAME, 64));
    private int heldLength;
    private long heldSinceNs;
    private long lost;
    private long duplicated;
    private long reordered;
    private long corrupted;
    private long marked;

    /**
     * @param clock the engine's clock: it times held frames.
     */
    public FaultInjectingDevice(final NetworkDevice inner, final Faults faults, final NanoClock clock)
    {
        this.inner = inner;
        this.faults = faults;
        this.clock = clock;
        model = new FaultModel(faults);
    }

    public String name()
    {
        return inner.name() + "+faults";
    }

    public long macAddress()
    {
        return inner.macAddress();
    }

    public int mtu()
    {
        return inner.mtu();
    }

    public int receive(final FrameHandler handler, final int limit)
    {
        final long nowNs = clock.nanoTime();
        if (heldLength > 0 && nowNs - heldSinceNs >= faults.holdNs)
        {
            releaseHeld();
        }
        return inner.receive(handler, limit);
    }

    public int transmit(final DirectBuffer buffer, final int offset, final int length)
    {
        if (length > MAX_FRAME)
        {
            return TX_OVERSIZE;
        }
        final long nowNs = clock.nanoTime();
        final int verdict = model.decide(length, heldLength == 0);
        if (verdict == FaultModel.LOSE)
        {
            lost++;
            return TX_OK;
        }
        scratch.putBytes(0, buffer, offset, length);
        if ((verdict & FaultModel.MARK) != 0 && FaultModel.isEcnCapable(scratch, 0, length))
        {
            marked++;
            FaultModel.markCongestion(scratch, 0);
        }
        if ((verdict & FaultModel.CORRUPT) != 0)
        {
            corrupted++;
            model.corrupt(scratch, 0);
        }
        if ((verdict & FaultModel.REORDER) != 0)
        {
            reordered++;
            held.putBytes(0, scratch, 0, length);
            heldLength = length;
            heldSinceNs = nowNs;
            return TX_OK;
        }
        final int result = inner.transmit(scratch, 0, length);
        if ((verdict & FaultModel.DUPLICATE) != 0)
        {
            duplicated++;
            inner.transmit(scratch, 0, length);
        }
        if (heldLength > 0)
        {
            releaseHeld();
        }
        return result;
    }

    private void releaseHeld()
    {
        inner.transmit(held, 0, heldLength);
        heldLength = 0;
    }

    public long lost()
    {
        return lost;
    }

    public long duplicated()
    {
        return duplicated;
    }

    public long reordered()
    {
        return reordered;
    }

    public long corrupted()
    {
        return corrupted;
    }

    public long marked()
    {
        return marked;
    }

    public String toString()
    {
        return name() + "{lost=" + lost + ", duplicated=" + duplicated + ", reordered=" + reordered +
            ", corrupted=" + corrupted + ", marked=" + marked + "}";
    }

    /**
     * What goes wrong, and how often: probabilities per transmitted frame, and the seed that makes it repeatable.
     */
    public static final class Faults
    {
        private long seed = 1;
        private double lossRate;
        private double duplicationRate;
        private double reorderRate;
        private double corruptionRate;
        private double markRate;
        private long holdNs = 1_000_000;

        public Faults seed(final long seed)
        {
            this.seed = seed;
            return this;
        }

        public Faults loss(final double rate)
        {
            lossRate = rate;
            return this;
        }

        public Faults duplication(final double rate)
        {
            duplicationRate = rate;
            return this;
        }

        public Faults reordering(final double rate)
        {
            reorderRate = rate;
            return this;
        }

        public Faults corruption(final double rate)
        {
            corruptionRate = rate;
            return this;
        }

        /**
         * The probability that an ECN-capable IPv4 packet is marked congestion experienced (RFC 3168 section 5)
         * instead of passing unchanged.
         */
        public Faults congestionMarks(final double rate)
        {
            markRate = rate;
            return this;
        }

        /**
         * How long a frame held back for reordering waits for a successor before it goes anyway (default 1 ms).
         */
        public Faults holdNs(final long holdNs)
        {
            this.holdNs = holdNs;
            return this;
        }

        public long seed()
        {
            return seed;
        }

        public double lossRate()
        {
            return lossRate;
        }

        public double duplicationRate()
        {
            return duplicationRate;
        }

        public double reorderRate()
        {
            return reorderRate;
        }

        public double corruptionRate()
        {
            return corruptionRate;
        }

        public double markRate()
        {
            return markRate;
        }

        /**
         * @return how long a frame held back for reordering is held.
         */
        public long holdNs()
        {
            return holdNs;
        }
    }
}
