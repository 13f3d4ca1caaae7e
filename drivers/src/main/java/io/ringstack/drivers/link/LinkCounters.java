package io.ringstack.drivers.link;

import org.agrona.concurrent.status.AtomicCounter;
import org.agrona.concurrent.status.CountersManager;

/**
 * A link's own counters, beside the device model's and the engine's in one counters file, so that
 * {@code ringstack stat} shows what the wire below the NIC did: every frame read and written, every read that
 * found nothing ({@code EAGAIN}), every write the kernel refused for now or took only in part, every other error,
 * and every time the link went down. Written by the thread that runs the link. They are not freed when the link
 * closes: they keep their last values as long as the counters they were allocated in, which may be unmapped first,
 * as an engine's counters file is when the engine closes before its wire.
 */
public final class LinkCounters
{
    public static final int TYPE_LINK = 2002;

    public final AtomicCounter rxFrames;
    public final AtomicCounter txFrames;
    public final AtomicCounter rxEagain;
    public final AtomicCounter txEagain;
    public final AtomicCounter txShort;
    public final AtomicCounter errors;
    public final AtomicCounter down;
    /** Frames read with a virtio-net header that asks for an offload the link did not offer, not handed on. */
    public final AtomicCounter rxOffloadRefused;
    /** TCP segments larger than the MTU read whole through a virtio-net header ({@code GSO_TCPV4}). */
    public final AtomicCounter rxSegmentOffload;
    /** Frames read with a checksum the kernel left partial ({@code NEEDS_CSUM}), finished by the link. */
    public final AtomicCounter rxChecksumFinished;

    /**
     * @param linkName prefix of every label, e.g. {@code "serve-e1000.tap:rstap0"}.
     */
    public LinkCounters(final CountersManager manager, final String linkName)
    {
        rxFrames = manager.newCounter(linkName + ": link_rx_frames", TYPE_LINK);
        txFrames = manager.newCounter(linkName + ": link_tx_frames", TYPE_LINK);
        rxEagain = manager.newCounter(linkName + ": link_rx_eagain", TYPE_LINK);
        txEagain = manager.newCounter(linkName + ": link_tx_eagain", TYPE_LINK);
        txShort = manager.newCounter(linkName + ": link_tx_short_writes", TYPE_LINK);
        errors = manager.newCounter(linkName + ": link_errors", TYPE_LINK);
        down = manager.newCounter(linkName + ": link_down", TYPE_LINK);
        rxOffloadRefused = manager.newCounter(linkName + ": link_rx_offload_refused", TYPE_LINK);
        rxSegmentOffload = manager.newCounter(linkName + ": link_rx_segment_offload", TYPE_LINK);
        rxChecksumFinished = manager.newCounter(linkName + ": link_rx_checksum_finished", TYPE_LINK);
    }
}
