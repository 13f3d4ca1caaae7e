package io.ringstack.tcp;

import io.ringstack.engine.EngineTimers;
import io.ringstack.iface.TimerListener;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The half-open connections of passive opens: a SYN reached a listener (RFC 9293 section 3.10.7.2, LISTEN) and was
 * answered with a SYN-ACK; the entry lives until the final ACK or the last SYN-ACK retransmission. A bounded pool
 * of a few words per entry, so that a SYN flood fills it and no more (RFC 4987 section 3.1, then SYN cookies), found
 * by its peer and local address, each entry with its own SYN-ACK retransmission timer.
 */
class SynQueueTest implements TimerListener
{
    private static final long START_NS = WheelTime.START_NS;
    private static final long TICK_NS = WheelTime.TICK_NS;
    private static final long RTO_NS = 1_000_000_000L;
    private static final int LOCAL = 0x0A00_020F;
    private static final int PEER = 0x0A00_0202;

    private final WheelTime time = new WheelTime();
    private final EngineTimers timers = time.timers();
    private final List<Fired> fired = new ArrayList<>();
    private final SynQueue queue = new SynQueue(4);

    public void onTimer(final long firedNs, final long context)
    {
        final int entry = ConnectionTimer.indexOf(context);
        assertEquals(SynQueue.TIMER_SYN_ACK, ConnectionTimer.kindOf(context));
        if (queue.isInUse(entry) && queue.timers[entry].onExpiry(context, firedNs, timers, this))
        {
            fired.add(new Fired(entry, firedNs - START_NS));
        }
    }

    @Test
    void anEmptyQueueFindsNothing()
    {
        assertEquals(4, queue.capacity());
        assertFalse(queue.isFull());
        assertEquals(-1, queue.lookup(key(50000), LOCAL));
    }

    @Test
    void entriesAreHandedOutUntilThePoolIsFull()
    {
        final Set<Integer> entries = new HashSet<>();
        for (int i = 0; i < queue.capacity(); i++)
        {
            assertFalse(queue.isFull());
            final int entry = add(50000 + i);
            assertTrue(queue.isInUse(entry));
            assertTrue(entries.add(entry), "a fresh entry each time");
        }

        assertTrue(queue.isFull(), "a SYN flood stops here: the listener answers with cookies or drops");
        assertEquals(-1, queue.add(key(50099)));
    }

    @Test
    void anEntryIsFoundByItsPeerAndLocalAddress()
    {
        final int entry = add(50000);
        add(50001);

        assertEquals(entry, queue.lookup(key(50000), LOCAL));
        assertEquals(-1, queue.lookup(key(50000), LOCAL + 1), "the same ports at another local address");
        assertEquals(-1, queue.lookup(key(50002), LOCAL));
        assertEquals(key(50000), queue.keys[entry]);
    }

    @Test
    void aRemovedEntryIsGoneAndItsPlaceServesTheNextSyn()
    {
        for (int i = 0; i < queue.capacity(); i++)
        {
            add(50000 + i);
        }
        final int entry = queue.lookup(key(50001), LOCAL);

        queue.remove(entry, timers);

        assertFalse(queue.isInUse(entry));
        assertFalse(queue.isFull());
        assertEquals(-1, queue.lookup(key(50001), LOCAL));
        assertEquals(entry, add(50100), "the freed entry");
        assertEquals(entry, queue.lookup(key(50100), LOCAL));
    }

    @Test
    void aReusedEntryStartsWithNoRetransmissions()
    {
        final int entry = add(50000);
        queue.retransmissions[entry] = 5;
        queue.remove(entry, timers);

        assertEquals(entry, add(50001));
        assertEquals(0, queue.retransmissions[entry]);
    }

    @Test
    void theSynAckTimerFiresForItsEntryAtItsDeadline()
    {
        add(50000);
        final int entry = add(50001);

        queue.armRetransmission(entry, START_NS + RTO_NS, timers, this);
        time.advanceTo(START_NS + RTO_NS - TICK_NS);
        assertTrue(fired.isEmpty());
        time.advanceTo(START_NS + RTO_NS + TICK_NS);

        assertEquals(1, fired.size(), fired::toString);
        assertEquals(entry, fired.get(0).entry);
        final long afterNs = fired.get(0).afterNs;
        assertTrue(afterNs >= RTO_NS && afterNs < RTO_NS + 2 * TICK_NS, () -> "after " + afterNs + " ns");
    }

    @Test
    void rearmingTheTimerMovesItsDeadline()
    {
        final int entry = add(50000);
        queue.armRetransmission(entry, START_NS + RTO_NS, timers, this);
        queue.armRetransmission(entry, START_NS + 2 * RTO_NS, timers, this);

        time.advanceTo(START_NS + RTO_NS + TICK_NS);
        assertTrue(fired.isEmpty(), "the first deadline no longer counts");
        time.advanceTo(START_NS + 2 * RTO_NS + TICK_NS);
        assertEquals(1, fired.size());
    }

    @Test
    void aRemovedEntrysTimerNeverFiresNotEvenForTheEntrysNextOccupant()
    {
        final int entry = add(50000);
        queue.armRetransmission(entry, START_NS + RTO_NS, timers, this);
        queue.remove(entry, timers);
        assertEquals(entry, add(50001));

        time.advanceTo(START_NS + 3 * RTO_NS);

        assertTrue(fired.isEmpty(), fired::toString);
    }

    /**
     * Random SYNs and completions against a model of the half-open connections: lookups, fullness and entries in
     * use must agree with it, and no two live connections share an entry.
     */
    @ParameterizedTest(name = "seed {0}")
    @ValueSource(longs = { 1, 2, 3, 4987 })
    void agreesWithAModelOfTheHalfOpenConnections(final long seed)
    {
        final SplittableRandom random = new SplittableRandom(seed);
        final SynQueue pool = new SynQueue(16);
        final Map<Integer, Integer> entryByPort = new HashMap<>();

        for (int step = 0; step < 5000; step++)
        {
            final int port = 40000 + random.nextInt(64);
            final Integer held = entryByPort.get(port);
            final String state = "seed " + seed + ", step " + step + ", port " + port + ", " + entryByPort;
            if (held == null)
            {
                assertEquals(-1, pool.lookup(key(port), LOCAL), state);
                final int entry = pool.add(key(port));
                if (entryByPort.size() == pool.capacity())
                {
                    assertEquals(-1, entry, state);
                    continue;
                }
                assertTrue(entry >= 0, state);
                assertFalse(entryByPort.containsValue(entry), state);
                pool.localAddresses[entry] = LOCAL;
                entryByPort.put(port, entry);
            }
            else
            {
                assertEquals(held, pool.lookup(key(port), LOCAL), state);
                pool.remove(held, timers);
                entryByPort.remove(port);
                assertNotEquals(held, pool.lookup(key(port), LOCAL), state);
            }
            assertEquals(entryByPort.size() == pool.capacity(), pool.isFull(), state);
            for (int entry = 0; entry < pool.capacity(); entry++)
            {
                assertEquals(entryByPort.containsValue(entry), pool.isInUse(entry), state);
            }
        }
    }

    private int add(final int peerPort)
    {
        final int entry = queue.add(key(peerPort));
        assertTrue(entry >= 0, "added");
        queue.localAddresses[entry] = LOCAL;
        return entry;
    }

    private static long key(final int peerPort)
    {
        return TcpConnectionTable.key(PEER, peerPort, 80);
    }

    private record Fired(int entry, long afterNs)
    {
    }
}
