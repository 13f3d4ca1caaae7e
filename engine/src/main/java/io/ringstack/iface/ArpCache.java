package io.ringstack.iface;

import java.util.Arrays;

/**
 * The neighbour table of RFC 826: IPv4 address to MAC, bounded. An entry is either resolved (with an expiry)
 * or pending (a request is out, with a retry count; Linux's INCOMPLETE). When the table is full a new resolution
 * takes the slot of the least recently confirmed resolved entry; pending entries are never evicted here: the
 * resolver bounds how many there are ({@link #pendingCount()}, {@link #oldestPending()}).
 * <p>
 * A resolved entry in use is confirmed before it expires (RFC 1122 2.3.2.1): {@link #refreshProbeDue} says when a
 * unicast request should go to it, so traffic keeps flowing while it is re-resolved.
 * <p>
 * Engine thread only; no allocation after construction.
 */
public final class ArpCache
{
    /** {@link #lookup} result when the address has no resolved entry. */
    public static final long NOT_RESOLVED = -1;
    /** {@link #startResolution} result when every slot is pending. */
    public static final int FULL = -1;
    /** {@link #timerId} of a slot with no retry timer scheduled; timer ids are never negative. */
    public static final long NO_TIMER = -1;

    private static final byte FREE = 0;
    private static final byte PENDING = 1;
    private static final byte RESOLVED = 2;

    private final int[] addresses;
    private final long[] macs;
    private final byte[] states;
    private final long[] updatedNs;
    private final int[] attempts;
    private final long[] timerIds;
    private final long[] probedNs;
    private final long entryLifetimeNs;
    private int pendingCount;

    public ArpCache(final int capacity, final long entryLifetimeNs)
    {
        addresses = new int[capacity];
        macs = new long[capacity];
        states = new byte[capacity];
        updatedNs = new long[capacity];
        attempts = new int[capacity];
        timerIds = new long[capacity];
        probedNs = new long[capacity];
        Arrays.fill(timerIds, NO_TIMER);
        this.entryLifetimeNs = entryLifetimeNs;
    }

    public int capacity()
    {
        return addresses.length;
    }

    /**
     * @return the MAC of a resolved, unexpired entry, else {@link #NOT_RESOLVED}.
     */
    public long lookup(final int address, final long nowNs)
    {
        final int slot = slotOf(address);
        if (slot >= 0 && states[slot] == RESOLVED)
        {
            if (nowNs - updatedNs[slot] < entryLifetimeNs)
            {
                return macs[slot];
            }
            states[slot] = FREE;
        }
        return NOT_RESOLVED;
    }

    /**
     * @return {@code true} when a request for the address is already outstanding.
     */
    public boolean isPending(final int address)
    {
        final int slot = slotOf(address);
        return slot >= 0 && states[slot] == PENDING;
    }

    /**
     * Record that a request is going out for an address.
     *
     * @return the slot, or {@link #FULL} when every slot is pending.
     */
    public int startResolution(final int address, final long nowNs)
    {
        int slot = slotOf(address);
        if (slot < 0)
        {
            slot = freeOrOldestResolved();
            if (slot < 0)
            {
                return FULL;
            }
        }
        if (states[slot] != PENDING)
        {
            pendingCount++;
        }
        addresses[slot] = address;
        macs[slot] = 0;
        states[slot] = PENDING;
        updatedNs[slot] = nowNs;
        attempts[slot] = 1;
        timerIds[slot] = NO_TIMER;
        return slot;
    }

    /**
     * Learn or refresh a mapping (RFC 826 "merge" and "add").
     *
     * @param create add the mapping if it is not in the table; when {@code false} only an existing entry is
     *               updated, as RFC 826 does for packets not addressed to us.
     * @return {@code true} if a pending entry became resolved: queued packets may now go.
     */
    public boolean update(final int address, final long mac, final long nowNs, final boolean create)
    {
        int slot = slotOf(address);
        if (slot < 0)
        {
            if (!create)
            {
                return false;
            }
            slot = freeOrOldestResolved();
            if (slot < 0)
            {
                return false;
            }
            addresses[slot] = address;
            states[slot] = FREE;
        }
        final boolean wasPending = states[slot] == PENDING;
        if (wasPending)
        {
            pendingCount--;
        }
        macs[slot] = mac;
        states[slot] = RESOLVED;
        updatedNs[slot] = nowNs;
        attempts[slot] = 0;
        return wasPending;
    }

    /**
     * Whether a unicast request should confirm a resolved entry now: it has lived {@code refreshAfterNs} of its
     * lifetime without being confirmed, and no probe went to it in the last {@code intervalNs}. A {@code true}
     * answer records the probe.
     *
     * @return the MAC to probe, or {@link #NOT_RESOLVED} when no probe is due.
     */
    public long refreshProbeDue(final int address, final long nowNs, final long refreshAfterNs, final long intervalNs)
    {
        final int slot = slotOf(address);
        if (slot < 0 || states[slot] != RESOLVED || nowNs - updatedNs[slot] < refreshAfterNs)
        {
            return NOT_RESOLVED;
        }
        if (attempts[slot] != 0 && nowNs - probedNs[slot] < intervalNs)
        {
            return NOT_RESOLVED;
        }
        attempts[slot]++;
        probedNs[slot] = nowNs;
        return macs[slot];
    }

    /**
     * @return how many entries are pending.
     */
    public int pendingCount()
    {
        return pendingCount;
    }

    /**
     * @return the slot of the pending entry whose resolution started first, or -1 when none is pending.
     */
    public int oldestPending()
    {
        int oldest = -1;
        for (int i = 0; i < states.length; i++)
        {
            if (states[i] == PENDING && (oldest < 0 || updatedNs[i] - updatedNs[oldest] < 0))
            {
                oldest = i;
            }
        }
        return oldest;
    }

    /**
     * @return the address a pending slot is resolving, or 0 when the slot is no longer pending.
     */
    public int pendingAddress(final int slot)
    {
        return states[slot] == PENDING ? addresses[slot] : 0;
    }

    public long timerId(final int slot)
    {
        return timerIds[slot];
    }

    public void timerId(final int slot, final long timerId)
    {
        timerIds[slot] = timerId;
    }

    /**
     * Count one more request for a pending slot.
     *
     * @return the number of requests sent so far, including this one.
     */
    public int recordAttempt(final int slot)
    {
        return ++attempts[slot];
    }

    /**
     * Give up on a pending slot.
     */
    public void fail(final int slot)
    {
        if (states[slot] == PENDING)
        {
            pendingCount--;
        }
        states[slot] = FREE;
    }

    /**
     * @return the slot holding {@code address}, resolved or pending, or -1.
     */
    public int slotOf(final int address)
    {
        for (int i = 0; i < addresses.length; i++)
        {
            if (states[i] != FREE && addresses[i] == address)
            {
                return i;
            }
        }
        return -1;
    }

    private int freeOrOldestResolved()
    {
        int oldest = -1;
        for (int i = 0; i < states.length; i++)
        {
            if (states[i] == FREE)
            {
                return i;
            }
            if (states[i] == RESOLVED && (oldest < 0 || updatedNs[i] - updatedNs[oldest] < 0))
            {
                oldest = i;
            }
        }
        return oldest;
    }
}
