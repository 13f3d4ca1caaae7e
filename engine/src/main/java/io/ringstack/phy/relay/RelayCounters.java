package io.ringstack.phy.relay;

import org.agrona.concurrent.status.AtomicCounter;
import org.agrona.concurrent.status.CountersManager;

/**
 * One direction of a relay, counted, so that {@code ringstack stat} shows what the impairment did. Every frame
 * received ends forwarded, lost or refused under one reason, or is still in a delay line; a duplicate adds one
 * frame: {@code rx + duplicated = forwarded + lost + queue_full + line_full + oversize + in flight}. Corrupted,
 * reordered and congestion-marked (ECN CE) frames are forwarded (or refused) like the others and counted once more
 * under their fault. A frame the
 * next link refuses stays at the head of its line and is tried again: each refusal is a {@code link_busy}.
 */
public final class RelayCounters
{
    public static final int TYPE_RELAY = 3001;

    public final AtomicCounter rxFrames;
    public final AtomicCounter forwarded;
    public final AtomicCounter lost;
    public final AtomicCounter corrupted;
    public final AtomicCounter duplicated;
    public final AtomicCounter reordered;
    public final AtomicCounter marked;
    public final AtomicCounter queueFull;
    public final AtomicCounter lineFull;
    public final AtomicCounter oversize;
    public final AtomicCounter linkBusy;

    /**
     * @param prefix of every label, e.g. {@code "relay.a-to-b"}.
     */
    public RelayCounters(final CountersManager manager, final String prefix)
    {
        rxFrames = manager.newCounter(prefix + ": relay_rx_frames", TYPE_RELAY);
        forwarded = manager.newCounter(prefix + ": relay_forwarded", TYPE_RELAY);
        lost = manager.newCounter(prefix + ": relay_lost", TYPE_RELAY);
        corrupted = manager.newCounter(prefix + ": relay_corrupted", TYPE_RELAY);
        duplicated = manager.newCounter(prefix + ": relay_duplicated", TYPE_RELAY);
        reordered = manager.newCounter(prefix + ": relay_reordered", TYPE_RELAY);
        marked = manager.newCounter(prefix + ": relay_marked", TYPE_RELAY);
        queueFull = manager.newCounter(prefix + ": relay_queue_full", TYPE_RELAY);
        lineFull = manager.newCounter(prefix + ": relay_line_full", TYPE_RELAY);
        oversize = manager.newCounter(prefix + ": relay_oversize", TYPE_RELAY);
        linkBusy = manager.newCounter(prefix + ": relay_link_busy", TYPE_RELAY);
    }
}
