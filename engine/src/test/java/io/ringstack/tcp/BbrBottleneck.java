package io.ringstack.tcp;

import java.util.ArrayDeque;
import java.util.Random;

/**
 * One BBR sender against a bottleneck, on a virtual clock, for the model's golden scenarios: the sender paces at the
 * controller's rate as {@link Pacing} does and keeps its window, the bottleneck serves one segment at a time at its rate in the order sent,
 * and each segment's ACK comes back a propagation delay after it left the bottleneck. Each ACK goes through
 * {@link DeliveryRate} as the engine's ACK processor takes it: sample begun with the pipe, the delivered
 * transmission's logged state, the bytes lost, then {@link BbrCongestionControl#onDelivered}. A segment the path
 * drops (seeded, originals only) is deemed lost when a later one is delivered, as RACK finds it with a reordering
 * window of 0, starts a recovery if none runs, and goes again before new data; the recovery ends once every
 * segment sent before it was delivered.
 */
final class BbrBottleneck
{
    static final int MSS = 1448;
    static final long STEP_NS = 10_000;

    final BbrCongestionControl bbr = new BbrCongestionControl();
    final DeliveryRate rate = new DeliveryRate();
    private final long bottleneckBytesPerSecond;
    private final long propagationNs;
    private final double loss;
    private final Random random;
    private final ArrayDeque<Segment> flight = new ArrayDeque<>();
    private final ArrayDeque<Segment> lost = new ArrayDeque<>();
    private long nowNs;
    private long releaseNs;
    private long bottleneckFreeNs;
    private long pipe;
    private long minRttNs = Long.MAX_VALUE;
    private long nextId;
    private boolean recovering;
    private long recoveryPoint;
    private long deliveredBytes;
    private long lostSegments;
    /** Segments deemed lost and counted out of the pipe, waiting for their repair. */
    private int pendingRepairs;
    private int repairsInFlight;

    private static final class Segment
    {
        long id;
        long delivered;
        long deliveredNs;
        long firstSentNs;
        long sentNs;
        long arrivalNs;
        boolean appLimited;
        boolean retransmission;
        boolean dropped;
    }

    BbrBottleneck(final long bottleneckBitsPerSecond, final long rttNs, final double loss, final long seed)
    {
        bottleneckBytesPerSecond = bottleneckBitsPerSecond / 8;
        propagationNs = rttNs;
        this.loss = loss;
        random = new Random(seed);
        bbr.start(MSS, 0);
    }

    long nowNs()
    {
        return nowNs;
    }

    long pipe()
    {
        return pipe;
    }

    long deliveredBytes()
    {
        return deliveredBytes;
    }

    long lostSegments()
    {
        return lostSegments;
    }

    /**
     * @return the bottleneck-delay product in bytes.
     */
    long bdp()
    {
        return bottleneckBytesPerSecond * propagationNs / 1_000_000_000L;
    }

    long bottleneckBytesPerSecond()
    {
        return bottleneckBytesPerSecond;
    }

    /**
     * One step of the clock: the ACKs due, then what the window and pacing let go.
     *
     * @return whether an ACK was taken.
     */
    boolean step()
    {
        nowNs += STEP_NS;
        boolean acked = false;
        while (!flight.isEmpty() && flight.peekFirst().arrivalNs <= nowNs)
        {
            final Segment segment = flight.pollFirst();
            if (segment.dropped)
            {
                lost.addLast(segment);
                continue;
            }
            ack(segment);
            acked = true;
        }
        send();
        return acked;
    }

    private void ack(final Segment segment)
    {
        rate.beginSample(pipe);
        final int newlyLost = lost.size() - pendingRepairs;
        if (newlyLost > 0)
        {
            rate.onLost((long)newlyLost * MSS);
            pipe -= (long)newlyLost * MSS;
            pendingRepairs = lost.size();
            lostSegments += newlyLost;
            if (!recovering)
            {
                bbr.onLoss(pipe, nowNs);
                recovering = true;
                recoveryPoint = nextId;
            }
        }
        rate.onDelivered(segment.delivered, segment.deliveredNs, segment.firstSentNs, segment.sentNs,
            segment.appLimited, segment.retransmission, nowNs);
        if (!segment.retransmission)
        {
            minRttNs = Math.min(minRttNs, nowNs - segment.sentNs);
        }
        else
        {
            repairsInFlight--;
        }
        pipe -= MSS;
        deliveredBytes += MSS;
        rate.endSample(MSS, minRttNs, nowNs);
        if (recovering && lost.isEmpty() && repairsInFlight == 0 && segment.id >= recoveryPoint)
        {
            recovering = false;
        }
        bbr.onDelivered(rate, pipe, recovering, nowNs);
    }

    private void send()
    {
        final long pacingRate = bbr.pacingRate(0);
        while (pipe + MSS <= bbr.congestionWindow() && releaseNs <= nowNs)
        {
            final Segment segment = new Segment();
            final boolean repair = !lost.isEmpty();
            if (repair)
            {
                lost.pollFirst();
                pendingRepairs--;
                repairsInFlight++;
                segment.id = -1;
            }
            else
            {
                segment.id = nextId++;
            }
            rate.onSend(flight.isEmpty() && pipe == 0, nowNs);
            segment.delivered = rate.delivered();
            segment.deliveredNs = rate.deliveredNs();
            segment.firstSentNs = rate.firstSentNs();
            segment.appLimited = rate.isAppLimited();
            segment.sentNs = nowNs;
            segment.retransmission = repair;
            segment.dropped = !repair && random.nextDouble() < loss;
            final long departureNs = Math.max(nowNs, bottleneckFreeNs) + MSS * 1_000_000_000L / bottleneckBytesPerSecond;
            bottleneckFreeNs = departureNs;
            segment.arrivalNs = departureNs + propagationNs;
            flight.addLast(segment);
            pipe += MSS;
            releaseNs = Math.max(releaseNs, nowNs - Pacing.BURST_NS) + (long)(MSS * 1e9 / pacingRate);
        }
    }
}
