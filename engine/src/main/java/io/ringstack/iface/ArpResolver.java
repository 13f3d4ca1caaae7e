package io.ringstack.iface;

import io.ringstack.config.Setting;
import io.ringstack.config.Settings;
import io.ringstack.phy.NetworkDevice;
import io.ringstack.wire.ArpPacket;
import io.ringstack.wire.EthernetFrame;
import org.agrona.BufferUtil;
import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * Address resolution for the engine's device (RFC 826): answers requests for our address, learns mappings,
 * queues outgoing frames while their next hop is resolved, and retries requests on a timer before giving up
 * and counting the queued frames as {@link DropReason#ARP_UNRESOLVED}.
 * <p>
 * Learning follows RFC 826's merge rule as Linux applies it: any ARP packet updates an entry already in the table
 * (a gratuitous announcement, RFC 5227 2.4, included); only a request for our address creates one. A reply to us for
 * an address we are not resolving is {@link DropReason#ARP_UNSOLICITED_REPLY}, so spoofed replies cannot fill the
 * table. At most {@code incompleteCapacity} addresses are resolved at once, each holding at most
 * {@code pendingPerNeighbour} frames: a flood of packets to sources that never answer (spoofed SYNs) evicts its own
 * oldest resolutions ({@link DropReason#ARP_INCOMPLETE_EVICTED}) and never the resolved entries of real neighbours.
 * An entry in use is confirmed by unicast requests (RFC 1122 2.3.2.1) in the last {@code maxAttempts} retry
 * intervals of its lifetime, while frames keep going to the MAC it holds.
 */
public final class ArpResolver implements TimerListener
{
    private final InterfaceConfig config;
    private final NetworkDevice device;
    private final EngineCounters counters;
    private final FrameTap tap;
    private final Timers timers;
    private final ArpCache cache;
    private final ArpPendingQueue pending;
    private final long retryIntervalNs;
    private final int maxAttempts;
    private final long refreshAfterNs;
    private final int incompleteCapacity;
    private final int pendingPerNeighbour;
    private final int segmentOffloadBytes;
    private final UnsafeBuffer arpFrame = new UnsafeBuffer(BufferUtil.allocateDirectAligned(64, 64));
    /** The next hop's MAC address found by the last {@link #claimSegmented}. */
    private long claimedMac;

    /**
     * @param settings the {@code arp*} settings: cache and queue sizes, retry interval and attempts, entry lifetime;
     *                 and {@code segmentOffloadBytes}, what the device is trusted to cut.
     */
    public ArpResolver(
        final InterfaceConfig config,
        final NetworkDevice device,
        final EngineCounters counters,
        final FrameTap tap,
        final Timers timers,
        final Settings settings)
    {
        this.config = config;
        this.device = device;
        this.counters = counters;
        this.tap = tap;
        this.timers = timers;
        final long entryLifetimeNs = settings.longValue(Setting.ARP_ENTRY_LIFETIME_NS);
        cache = new ArpCache(settings.intValue(Setting.ARP_CACHE_CAPACITY), entryLifetimeNs);
        pending = new ArpPendingQueue(settings.intValue(Setting.ARP_PENDING_CAPACITY));
        retryIntervalNs = settings.longValue(Setting.ARP_RETRY_INTERVAL_NS);
        maxAttempts = settings.intValue(Setting.ARP_MAX_ATTEMPTS);
        refreshAfterNs = Math.max(0, entryLifetimeNs - retryIntervalNs * maxAttempts);
        incompleteCapacity = settings.intValue(Setting.ARP_INCOMPLETE_CAPACITY);
        pendingPerNeighbour = settings.intValue(Setting.ARP_PENDING_PER_NEIGHBOUR);
        segmentOffloadBytes = settings.intValue(Setting.SEGMENT_OFFLOAD_BYTES);
    }

    public ArpCache cache()
    {
        return cache;
    }

    public ArpPendingQueue pending()
    {
        return pending;
    }

    /**
     * @return the largest IP packet of one TCP segment the engine hands the device to cut
     * ({@link Setting#SEGMENT_OFFLOAD_BYTES}), 0 for none.
     */
    public int segmentOffloadBytes()
    {
        return segmentOffloadBytes;
    }

    /**
     * @return the largest IP packet the device carries.
     */
    public int deviceMtu()
    {
        return device.mtu();
    }

    /**
     * Send an Ethernet frame whose destination MAC is not yet filled in, resolving {@code nextHop} first if needed.
     * The caller has counted the attempt in {@code tx_requests}.
     *
     * A frame of a TCP segment for the device to cut ({@code segmentSize} not 0, the frame larger than the MTU)
     * cannot wait in the queue of a resolution, whose slots hold one frame of the MTU each: it is refused as
     * {@link TxResult#ARP_QUEUE_FULL}, a segment lost for TCP to send again.
     *
     * @param segmentSize the TCP payload of each segment the device cuts the frame into, 0 for a frame it sends as
     *                    it is ({@link io.ringstack.phy.NetworkDevice#transmitSegmented}).
     * @return {@link TxResult#SENT} when sent or queued for resolution, else the {@link TxResult} failure.
     */
    public int transmit(final MutableDirectBuffer frame, final int offset, final int length, final int nextHop,
        final int segmentSize, final long nowNs)
    {
        final long mac = cache.lookup(nextHop, nowNs);
        if (mac != ArpCache.NOT_RESOLVED)
        {
            EthernetFrame.writeMac(frame, offset + EthernetFrame.DESTINATION_OFFSET, mac);
            final int result = sendToDevice(frame, offset, length, segmentSize);
            probeIfDue(nextHop, nowNs);
            return result;
        }
        final boolean resolving = cache.isPending(nextHop);
        if ((resolving && pending.count(nextHop) >= pendingPerNeighbour) ||
            (!resolving && !makeRoomForResolution()) || !pending.add(nextHop, frame, offset, length))
        {
            counters.dropTx(DropReason.ARP_PENDING_FULL);
            return TxResult.ARP_QUEUE_FULL;
        }
        if (!resolving)
        {
            final int slot = cache.startResolution(nextHop, nowNs);
            if (slot == ArpCache.FULL)
            {
                dropPending(nextHop, DropReason.ARP_PENDING_FULL);
                return TxResult.ARP_QUEUE_FULL;
            }
            sendRequest(EthernetFrame.BROADCAST, nextHop);
            cache.timerId(slot, timers.schedule(nowNs + retryIntervalNs, this, slot));
        }
        return TxResult.SENT;
    }

    /**
     * Lend the device's memory for a frame of {@code length} bytes carrying a TCP segment for it to cut
     * ({@link NetworkDevice#claimSegmented}), when the MAC address of {@code nextHop} is known: a frame that would wait
     * for a resolution goes by {@link #transmit}. Nothing is counted.
     *
     * @return where the frame starts in {@link #transmitBuffer()}, or -1.
     */
    public int claimSegmented(final int length, final int nextHop, final long nowNs)
    {
        final long mac = cache.lookup(nextHop, nowNs);
        if (mac == ArpCache.NOT_RESOLVED)
        {
            return -1;
        }
        claimedMac = mac;
        return device.claimSegmented(length);
    }

    /**
     * @return the device's memory a {@link #claimSegmented} claim lends.
     */
    public MutableDirectBuffer transmitBuffer()
    {
        return device.transmitBuffer();
    }

    /**
     * Send the frame written where {@link #claimSegmented} said, to the MAC address the claim found, for the device
     * to cut into segments of {@code segmentSize} (more than 0) payload bytes: tapped before the device takes it (a
     * device may rewrite its own copy's headers for the cutting) and counted as {@link #transmit} counts a frame.
     * The caller has counted the attempt in {@code tx_requests}.
     *
     * @return {@link TxResult#SENT}: the claim found the device's room.
     */
    public int commitSegmented(final int claimed, final int length, final int nextHop, final int segmentSize,
        final long nowNs)
    {
        final MutableDirectBuffer buffer = device.transmitBuffer();
        EthernetFrame.writeMac(buffer, claimed + EthernetFrame.DESTINATION_OFFSET, claimedMac);
        tap.onTxFrame(FrameTap.INTERFACE_DEVICE, buffer, claimed, length, TxResult.SENT);
        final int result = counted(device.commitSegmented(claimed, length, segmentSize), segmentSize);
        probeIfDue(nextHop, nowNs);
        return result;
    }

    /**
     * Probe a resolved neighbour whose entry is due for a refresh, by unicast to the address it has.
     */
    private void probeIfDue(final int nextHop, final long nowNs)
    {
        final long probeMac = cache.refreshProbeDue(nextHop, nowNs, refreshAfterNs, retryIntervalNs);
        if (probeMac != ArpCache.NOT_RESOLVED)
        {
            sendRequest(probeMac, nextHop);
        }
    }

    /**
     * Keep the number of addresses being resolved below {@code incompleteCapacity} by giving up on the one that has
     * waited longest, as Linux's neighbour table forgets INCOMPLETE entries first.
     *
     * @return {@code false} when there is no room and nothing to evict (an incomplete capacity of 0).
     */
    private boolean makeRoomForResolution()
    {
        if (cache.pendingCount() < incompleteCapacity)
        {
            return true;
        }
        final int oldest = cache.oldestPending();
        if (oldest < 0)
        {
            return false;
        }
        final int address = cache.pendingAddress(oldest);
        cancelRetry(oldest);
        cache.fail(oldest);
        dropPending(address, DropReason.ARP_INCOMPLETE_EVICTED);
        return true;
    }

    /**
     * Send a frame to a known MAC address, e.g. broadcast, without resolution. The caller has counted the attempt.
     *
     * @return the device's result, a {@link TxResult}.
     */
    public int transmitTo(final MutableDirectBuffer frame, final int offset, final int length, final long mac)
    {
        EthernetFrame.writeMac(frame, offset + EthernetFrame.DESTINATION_OFFSET, mac);
        return sendToDevice(frame, offset, length, 0);
    }

    /**
     * Handle a received ARP packet (RFC 826, "Packet Reception").
     *
     * @return {@code null} when it was delivered (learned from, answered), else why it was dropped.
     */
    public DropReason onArp(final ArpPacket arp, final long nowNs)
    {
        final int operation = arp.operation();
        if (operation != ArpPacket.OPERATION_REQUEST && operation != ArpPacket.OPERATION_REPLY)
        {
            return DropReason.ARP_OPERATION_UNSUPPORTED;
        }
        final boolean forUs = arp.targetAddress() == config.address();
        final boolean request = operation == ArpPacket.OPERATION_REQUEST;
        final int sender = arp.senderAddress();
        final int slot = cache.slotOf(sender);
        if (forUs && !request && slot < 0)
        {
            return DropReason.ARP_UNSOLICITED_REPLY;
        }
        if (sender != 0 && cache.update(sender, arp.senderMac(), nowNs, forUs && request))
        {
            cancelRetry(slot);
            flushPending(sender, arp.senderMac());
        }
        if (!forUs)
        {
            return DropReason.ARP_NOT_FOR_US;
        }
        if (request)
        {
            sendArp(ArpPacket.OPERATION_REPLY, arp.senderMac(), arp.senderMac(), sender);
        }
        return null;
    }

    /**
     * A pending resolution's retry timer.
     */
    public void onTimer(final long nowNs, final long context)
    {
        final int slot = (int)context;
        cache.timerId(slot, ArpCache.NO_TIMER);
        final int address = cache.pendingAddress(slot);
        if (address == 0)
        {
            return;
        }
        if (cache.recordAttempt(slot) <= maxAttempts)
        {
            sendRequest(EthernetFrame.BROADCAST, address);
            cache.timerId(slot, timers.schedule(nowNs + retryIntervalNs, this, slot));
        }
        else
        {
            cache.fail(slot);
            dropPending(address, DropReason.ARP_UNRESOLVED);
        }
    }

    private void cancelRetry(final int slot)
    {
        final long timerId = cache.timerId(slot);
        if (timerId != ArpCache.NO_TIMER)
        {
            timers.cancel(timerId);
            cache.timerId(slot, ArpCache.NO_TIMER);
        }
    }

    /**
     * Ask who has {@code address}: broadcast to resolve it, unicast to its known MAC to confirm it.
     */
    private void sendRequest(final long destinationMac, final int address)
    {
        counters.arpRequestsSent.incrementRelease();
        sendArp(ArpPacket.OPERATION_REQUEST, destinationMac, 0, address);
    }

    private void sendArp(final int operation, final long destinationMac, final long targetMac, final int target)
    {
        counters.txRequests.incrementRelease();
        counters.txArp.incrementRelease();
        final int payload = EthernetFrame.writeHeader(
            arpFrame, 0, destinationMac, config.macAddress(), EthernetFrame.ETHER_TYPE_ARP);
        final int end = ArpPacket.write(
            arpFrame, payload, operation, config.macAddress(), config.address(), targetMac, target);
        sendToDevice(arpFrame, 0, end, 0);
    }

    private void flushPending(final int nextHop, final long mac)
    {
        final UnsafeBuffer frames = pending.buffer();
        for (int slot = pending.next(nextHop); slot >= 0; slot = pending.next(nextHop))
        {
            final int offset = pending.offsetOf(slot);
            EthernetFrame.writeMac(frames, offset + EthernetFrame.DESTINATION_OFFSET, mac);
            sendToDevice(frames, offset, pending.lengthOf(slot), 0);
            pending.release(slot);
        }
    }

    private void dropPending(final int nextHop, final DropReason reason)
    {
        for (int slot = pending.next(nextHop); slot >= 0; slot = pending.next(nextHop))
        {
            counters.dropTx(reason);
            pending.release(slot);
        }
    }

    private int sendToDevice(final DirectBuffer frame, final int offset, final int length, final int segmentSize)
    {
        final int result = deviceTransmit(frame, offset, length, segmentSize);
        tap.onTxFrame(FrameTap.INTERFACE_DEVICE, frame, offset, length, result);
        return result;
    }

    /**
     * @return the device's {@code TX_} code, which is the {@link TxResult} of the same value, its failure counted.
     */
    private int deviceTransmit(final DirectBuffer frame, final int offset, final int length, final int segmentSize)
    {
        return counted(segmentSize == 0 ? device.transmit(frame, offset, length) :
            device.transmitSegmented(frame, offset, length, segmentSize), segmentSize);
    }

    /**
     * Count what the device did with a frame: sent, or refused for the reason its code gives.
     *
     * @return the device's {@code TX_} code.
     */
    private int counted(final int result, final int segmentSize)
    {
        if (result == TxResult.SENT)
        {
            counters.txFrames.incrementRelease();
            counters.deviceTxFrames.incrementRelease();
            if (segmentSize != 0)
            {
                counters.deviceTxSegmentOffload.incrementRelease();
            }
        }
        else
        {
            counters.dropTx(result == TxResult.NO_BUFFER ? DropReason.DEVICE_TX_FULL : DropReason.DEVICE_TX_REJECTED);
        }
        return result;
    }
}
