package io.ringstack.iface;

import io.ringstack.wire.InternetChecksum;
import io.ringstack.wire.Ipv4Packet;
import io.ringstack.wire.TcpSegment;
import java.nio.ByteOrder;
import java.util.Arrays;
import org.agrona.BufferUtil;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * IPv4 reassembly (RFC 791 3.2, RFC 1122 3.3.2): the fragments of a datagram, keyed by source, destination, protocol
 * and identification, are held until every byte from 0 to the end of the last fragment has come, then laid out
 * whole in one buffer, under the first fragment's header, so that the datagram goes through the protocol switch
 * exactly as an unfragmented one would. Every fragment received ends in one of three ways:
 * <ul>
 *   <li>held ({@link #HELD}): counted in {@code ipv4_fragments_held}; when its datagram completes, fails or times
 *       out, it is counted delivered or dropped with the datagram, so that {@code rx_frames = rx_delivered + Σ drops}
 *       holds again once nothing is held;</li>
 *   <li>dropped on its own: an exact duplicate of a fragment held ({@link DropReason#IPV4_FRAGMENT_DUPLICATE}), a
 *       tiny TCP fragment (RFC 1858: {@link DropReason#IPV4_FRAGMENT_TINY}), or the first fragment of a datagram
 *       for which no slot is free;</li>
 *   <li>dropped with its whole datagram: overlapping a fragment held (as Linux does, and RFC 5722 for IPv6), past
 *       65535 bytes, inconsistent with the datagram's length, one fragment too many, or no page left.</li>
 * </ul>
 * A datagram not complete {@code ipv4ReassemblyTimeoutNs} after its first fragment came is dropped; if its first
 * fragment (offset 0) was among those held and it was answerable, ICMP time exceeded, code 1, goes to its source
 * quoting that fragment's header and 8 bytes (RFC 792, RFC 1122 3.2.2.4).
 * <p>
 * Memory is allocated once, here, and bounded by three settings:
 * <pre>
 *   pages     ipv4ReassemblyBytes off-heap, in 1 KiB pages: a datagram takes the pages its fragments touch,
 *             through its page table (64 entries cover 65535 bytes), and gives them back when it ends
 *   slots     ipv4ReassemblyDatagrams: key, timer, fragment list of ipv4ReassemblyFragments (start, end),
 *             page table, and the first fragment's header and 8 bytes (off-heap, for the ICMP quote)
 *   assembly  one 65535-byte off-heap buffer that a completed datagram is copied into, read until the next one
 * </pre>
 * A fragment's slot is found by a scan of the slots in use. Engine thread only; nothing here allocates.
 */
public final class Ipv4Reassembly implements TimerListener
{
    /** {@link #onFragment} result: the datagram is complete, in {@link #datagram()}. */
    public static final int COMPLETE = -1;
    /** {@link #onFragment} result: the fragment is held until its datagram's fate is known. */
    public static final int HELD = -2;
    /** Bytes of a page of fragment data. */
    public static final int PAGE_LENGTH = 1024;

    private static final int PAGE_SHIFT = 10;
    private static final int MAX_DATAGRAM_LENGTH = 0xFFFF;
    private static final int PAGES_PER_DATAGRAM = (MAX_DATAGRAM_LENGTH + PAGE_LENGTH - 1) >> PAGE_SHIFT;
    private static final int MAX_HEADER_LENGTH = 60;
    private static final int QUOTED_PAYLOAD_LENGTH = 8;
    private static final int FIRST_LENGTH = MAX_HEADER_LENGTH + QUOTED_PAYLOAD_LENGTH;
    /** RFC 1858 3.4: a TCP fragment at offset 1 (8 bytes) can only serve to rewrite the TCP header's flags. */
    private static final int TINY_TCP_OFFSET = 8;
    private static final int NO_PAGE = -1;
    private static final int UNKNOWN = -1;
    private static final long NO_TIMER = Long.MIN_VALUE;

    private final Ipv4Packet datagram = new Ipv4Packet();
    private final EngineCounters counters;
    private final IcmpResponder icmp;
    private final Timers timers;
    private final long timeoutNs;
    private final int maxFragments;

    private final int[] sources;
    private final int[] destinations;
    private final int[] protocolsAndIds;
    private final int[] totalLengths;
    private final int[] highestEnds;
    private final int[] receivedBytes;
    private final int[] fragmentCounts;
    private final int[] fragmentStarts;
    private final int[] fragmentEnds;
    private final int[] pageTables;
    private final int[] firstHeaderLengths;
    private final int[] firstQuotedLengths;
    private final int[] firstArrivals;
    private final long[] timerIds;
    private final UnsafeBuffer firsts;

    private final int[] activeSlots;
    private final int[] activePositions;
    private int activeCount;
    private final int[] freeSlots;
    private int freeSlotCount;
    private final int[] freePages;
    private int freePageCount;
    private final UnsafeBuffer pages;
    private final UnsafeBuffer assembly;

    private int completedArrival;
    private int completedHeld;

    /**
     * @param datagrams    datagrams reassembled at once.
     * @param bytes        bytes of fragment data held at once, rounded down to whole pages.
     * @param maxFragments fragments one datagram may come in.
     * @param timeoutNs    how long a datagram may take from its first fragment on.
     */
    public Ipv4Reassembly(
        final int datagrams,
        final int bytes,
        final int maxFragments,
        final long timeoutNs,
        final EngineCounters counters,
        final IcmpResponder icmp,
        final Timers timers)
    {
        this.counters = counters;
        this.icmp = icmp;
        this.timers = timers;
        this.timeoutNs = timeoutNs;
        this.maxFragments = maxFragments;
        sources = new int[datagrams];
        destinations = new int[datagrams];
        protocolsAndIds = new int[datagrams];
        totalLengths = new int[datagrams];
        highestEnds = new int[datagrams];
        receivedBytes = new int[datagrams];
        fragmentCounts = new int[datagrams];
        fragmentStarts = new int[datagrams * maxFragments];
        fragmentEnds = new int[datagrams * maxFragments];
        pageTables = new int[datagrams * PAGES_PER_DATAGRAM];
        Arrays.fill(pageTables, NO_PAGE);
        firstHeaderLengths = new int[datagrams];
        firstQuotedLengths = new int[datagrams];
        firstArrivals = new int[datagrams];
        timerIds = new long[datagrams];
        firsts = new UnsafeBuffer(BufferUtil.allocateDirectAligned(datagrams * FIRST_LENGTH, 64));
        activeSlots = new int[datagrams];
        activePositions = new int[datagrams];
        freeSlots = new int[datagrams];
        for (int slot = 0; slot < datagrams; slot++)
        {
            freeSlots[freeSlotCount++] = datagrams - 1 - slot;
        }
        final int pageCount = bytes >> PAGE_SHIFT;
        freePages = new int[pageCount];
        for (int page = 0; page < pageCount; page++)
        {
            freePages[freePageCount++] = pageCount - 1 - page;
        }
        pages = new UnsafeBuffer(BufferUtil.allocateDirectAligned(pageCount << PAGE_SHIFT, 64));
        assembly = new UnsafeBuffer(BufferUtil.allocateDirectAligned(MAX_DATAGRAM_LENGTH, 64));
    }

    /**
     * Take one fragment: {@code fragment} is an accepted IPv4 packet with More Fragments set or a non-zero offset.
     *
     * @param arrival the fragment's {@link Ipv4Protocol} arrival flags; the datagram keeps its first fragment's.
     * @return {@link #COMPLETE}, then {@link #datagram()} and {@link #arrival()} hold the datagram and
     * {@link #settle} must be called with its fate; {@link #HELD}; or the ordinal of the {@link DropReason} the
     * fragment is dropped under.
     */
    public int onFragment(final Ipv4Packet fragment, final int arrival, final long nowNs)
    {
        counters.rxIpv4Fragments.increment();
        final int start = fragment.fragmentByteOffset();
        final int length = fragment.payloadLength();
        final int end = start + length;
        final boolean last = !fragment.moreFragments();
        if (fragment.protocol() == Ipv4Packet.PROTOCOL_TCP &&
            (start == TINY_TCP_OFFSET || (start == 0 && length < TcpSegment.HEADER_LENGTH)))
        {
            return DropReason.IPV4_FRAGMENT_TINY.ordinal();
        }
        int slot = find(fragment.source(), fragment.destination(), protocolAndId(fragment));
        if (slot < 0 ? fragment.headerLength() + end > MAX_DATAGRAM_LENGTH : isTooBig(slot, fragment, start, end))
        {
            return fail(slot, DropReason.IPV4_FRAGMENT_TOO_BIG);
        }
        if (length == 0 || (!last && (length & 7) != 0) || (slot >= 0 && contradicts(slot, end, last)))
        {
            return fail(slot, DropReason.IPV4_FRAGMENT_INCONSISTENT);
        }
        if (slot < 0)
        {
            if (freeSlotCount == 0)
            {
                return DropReason.IPV4_REASSEMBLY_NO_SLOT.ordinal();
            }
            slot = open(fragment, nowNs);
        }
        else
        {
            final int overlap = overlap(slot, start, end);
            if (overlap != UNKNOWN)
            {
                return overlap == DropReason.IPV4_FRAGMENT_DUPLICATE.ordinal() ? overlap :
                    fail(slot, DropReason.IPV4_FRAGMENT_OVERLAP);
            }
            if (fragmentCounts[slot] == maxFragments)
            {
                return fail(slot, DropReason.IPV4_REASSEMBLY_TOO_MANY_FRAGMENTS);
            }
        }
        if (!store(slot, fragment.buffer(), fragment.payloadOffset(), start, end))
        {
            return fail(slot, DropReason.IPV4_REASSEMBLY_NO_MEMORY);
        }
        final int index = slot * maxFragments + fragmentCounts[slot]++;
        fragmentStarts[index] = start;
        fragmentEnds[index] = end;
        receivedBytes[slot] += length;
        highestEnds[slot] = Math.max(highestEnds[slot], end);
        if (last)
        {
            totalLengths[slot] = end;
        }
        if (start == 0)
        {
            keepFirst(slot, fragment, arrival);
        }
        if (receivedBytes[slot] == totalLengths[slot])
        {
            return complete(slot);
        }
        counters.hold();
        return HELD;
    }

    /**
     * @return the datagram completed by the last {@link #onFragment}, valid until the next.
     */
    public Ipv4Packet datagram()
    {
        return datagram;
    }

    /**
     * @return the completed datagram's arrival flags: its first fragment's.
     */
    public int arrival()
    {
        return completedArrival;
    }

    /**
     * Give the fragments held for the completed datagram its fate, the one the protocol switch gave it.
     *
     * @param drop {@code null} when the datagram was delivered.
     */
    public void settle(final DropReason drop)
    {
        counters.settleHeld(completedHeld, drop);
    }

    /**
     * The reassembly timer of the datagram in slot {@code context} expired.
     */
    public void onTimer(final long nowNs, final long context)
    {
        final int slot = (int)context;
        timerIds[slot] = NO_TIMER;
        counters.settleHeld(fragmentCounts[slot], DropReason.IPV4_REASSEMBLY_TIMEOUT);
        if (firstHeaderLengths[slot] != 0 && (firstArrivals[slot] & Ipv4Protocol.ANSWERABLE) != 0)
        {
            icmp.reassemblyTimeExceeded(firsts, slot * FIRST_LENGTH, firstQuotedLengths[slot], sources[slot],
                destinations[slot], nowNs);
        }
        free(slot);
    }

    private static int protocolAndId(final Ipv4Packet fragment)
    {
        return (fragment.protocol() << 16) | fragment.identification();
    }

    private int find(final int source, final int destination, final int protocolAndId)
    {
        for (int i = 0; i < activeCount; i++)
        {
            final int slot = activeSlots[i];
            if (protocolsAndIds[slot] == protocolAndId && sources[slot] == source && destinations[slot] == destination)
            {
                return slot;
            }
        }
        return UNKNOWN;
    }

    /**
     * @return whether the datagram would pass 65535 bytes: its header is the first fragment's, once that came.
     */
    private boolean isTooBig(final int slot, final Ipv4Packet fragment, final int start, final int end)
    {
        final int headerLength = start == 0 || firstHeaderLengths[slot] == 0 ?
            fragment.headerLength() : firstHeaderLengths[slot];
        return headerLength + Math.max(end, highestEnds[slot]) > MAX_DATAGRAM_LENGTH;
    }

    /**
     * @return whether a fragment ending at {@code end} disagrees with the datagram's length as its last fragment
     * set it, or, being the last, with the data already held.
     */
    private boolean contradicts(final int slot, final int end, final boolean last)
    {
        final int total = totalLengths[slot];
        if (total != UNKNOWN)
        {
            return end > total || (last && end != total);
        }
        return last && highestEnds[slot] > end;
    }

    /**
     * @return {@link #UNKNOWN} when {@code [start, end)} touches no fragment held, the ordinal of
     * {@link DropReason#IPV4_FRAGMENT_DUPLICATE} when it is exactly one of them, else that of
     * {@link DropReason#IPV4_FRAGMENT_OVERLAP}.
     */
    private int overlap(final int slot, final int start, final int end)
    {
        final int first = slot * maxFragments;
        for (int i = first, last = first + fragmentCounts[slot]; i < last; i++)
        {
            final int heldStart = fragmentStarts[i];
            final int heldEnd = fragmentEnds[i];
            if (start == heldStart && end == heldEnd)
            {
                return DropReason.IPV4_FRAGMENT_DUPLICATE.ordinal();
            }
            if (start < heldEnd && heldStart < end)
            {
                return DropReason.IPV4_FRAGMENT_OVERLAP.ordinal();
            }
        }
        return UNKNOWN;
    }

    private int open(final Ipv4Packet fragment, final long nowNs)
    {
        final int slot = freeSlots[--freeSlotCount];
        activePositions[slot] = activeCount;
        activeSlots[activeCount++] = slot;
        sources[slot] = fragment.source();
        destinations[slot] = fragment.destination();
        protocolsAndIds[slot] = protocolAndId(fragment);
        totalLengths[slot] = UNKNOWN;
        timerIds[slot] = timers.schedule(nowNs + timeoutNs, this, slot);
        return slot;
    }

    /**
     * Copy {@code [start, end)} of the datagram into its pages, taking free pages for those it has not yet.
     *
     * @return {@code false} when no page was left.
     */
    private boolean store(
        final int slot, final DirectBuffer buffer, final int offset, final int start, final int end)
    {
        final int table = slot * PAGES_PER_DATAGRAM;
        int from = offset;
        for (int position = start; position < end; )
        {
            final int entry = table + (position >> PAGE_SHIFT);
            if (pageTables[entry] == NO_PAGE)
            {
                if (freePageCount == 0)
                {
                    return false;
                }
                pageTables[entry] = freePages[--freePageCount];
            }
            final int within = position & (PAGE_LENGTH - 1);
            final int count = Math.min(end - position, PAGE_LENGTH - within);
            pages.putBytes((pageTables[entry] << PAGE_SHIFT) + within, buffer, from, count);
            position += count;
            from += count;
        }
        return true;
    }

    private void keepFirst(final int slot, final Ipv4Packet fragment, final int arrival)
    {
        final int headerLength = fragment.headerLength();
        final int quotedLength = headerLength + Math.min(QUOTED_PAYLOAD_LENGTH, fragment.payloadLength());
        firsts.putBytes(slot * FIRST_LENGTH, fragment.buffer(), fragment.offset(), quotedLength);
        firstHeaderLengths[slot] = headerLength;
        firstQuotedLengths[slot] = quotedLength;
        firstArrivals[slot] = arrival;
    }

    /**
     * Lay the datagram out in {@link #assembly}: the first fragment's header, its Total Length set, More Fragments
     * and the offset cleared and the checksum made again, then the data from the pages.
     */
    private int complete(final int slot)
    {
        final int headerLength = firstHeaderLengths[slot];
        final int dataLength = totalLengths[slot];
        assembly.putBytes(0, firsts, slot * FIRST_LENGTH, headerLength);
        final int table = slot * PAGES_PER_DATAGRAM;
        for (int position = 0; position < dataLength; position += PAGE_LENGTH)
        {
            final int page = pageTables[table + (position >> PAGE_SHIFT)];
            assembly.putBytes(headerLength + position, pages, page << PAGE_SHIFT,
                Math.min(PAGE_LENGTH, dataLength - position));
        }
        assembly.putShort(Ipv4Packet.TOTAL_LENGTH_OFFSET, (short)(headerLength + dataLength), ByteOrder.BIG_ENDIAN);
        final int flags = assembly.getShort(Ipv4Packet.FLAGS_FRAGMENT_OFFSET_OFFSET, ByteOrder.BIG_ENDIAN);
        assembly.putShort(Ipv4Packet.FLAGS_FRAGMENT_OFFSET_OFFSET, (short)(flags & Ipv4Packet.FLAG_DONT_FRAGMENT),
            ByteOrder.BIG_ENDIAN);
        assembly.putShort(Ipv4Packet.CHECKSUM_OFFSET, (short)0, ByteOrder.BIG_ENDIAN);
        assembly.putShort(Ipv4Packet.CHECKSUM_OFFSET, (short)InternetChecksum.compute(assembly, 0, headerLength),
            ByteOrder.BIG_ENDIAN);
        datagram.wrap(assembly, 0, headerLength + dataLength);
        completedArrival = firstArrivals[slot];
        completedHeld = fragmentCounts[slot] - 1;
        counters.ipv4Reassembled.increment();
        free(slot);
        return COMPLETE;
    }

    /**
     * Drop the datagram in {@code slot}, if any, with the fragments it holds, all under {@code reason}.
     *
     * @return the ordinal of {@code reason}, for the fragment that caused it.
     */
    private int fail(final int slot, final DropReason reason)
    {
        if (slot >= 0)
        {
            counters.settleHeld(fragmentCounts[slot], reason);
            free(slot);
        }
        return reason.ordinal();
    }

    private void free(final int slot)
    {
        if (timerIds[slot] != NO_TIMER)
        {
            timers.cancel(timerIds[slot]);
            timerIds[slot] = NO_TIMER;
        }
        final int table = slot * PAGES_PER_DATAGRAM;
        for (int entry = table; entry < table + PAGES_PER_DATAGRAM; entry++)
        {
            if (pageTables[entry] != NO_PAGE)
            {
                freePages[freePageCount++] = pageTables[entry];
                pageTables[entry] = NO_PAGE;
            }
        }
        final int position = activePositions[slot];
        final int moved = activeSlots[--activeCount];
        activeSlots[position] = moved;
        activePositions[moved] = position;
        fragmentCounts[slot] = 0;
        receivedBytes[slot] = 0;
        highestEnds[slot] = 0;
        firstHeaderLengths[slot] = 0;
        freeSlots[freeSlotCount++] = slot;
    }
}
