package io.ringstack.tcp;

import io.ringstack.engine.EngineTimers;
import io.ringstack.iface.TimerListener;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Connections in TIME-WAIT (RFC 9293 section 3.6.1): each remembered for 2 MSL in a few words, found by its peer and
 * local address, waiting again after a retransmitted FIN (RFC 9293 section 3.10.7.4, TIME-WAIT STATE), forgotten
 * early on a reset or a reopening SYN, and handed back when its wait is over, through one wheel timer for the
 * table. The table is bounded.
 * <p>
 * The tests drive the table as the engine does: its timer fires into {@link #onTimer}, which takes every expired
 * entry and removes it.
 */
class TimeWaitTableTest implements TimerListener
{
    private static final long START_NS = WheelTime.START_NS;
    private static final long TICK_NS = WheelTime.TICK_NS;
    private static final long TWO_MSL_NS = 60_000_000_000L;
    private static final int LOCAL = 0x0A00_020F;
    private static final int PEER = 0x0A00_0202;

    private final WheelTime time = new WheelTime();
    private final EngineTimers timers = time.timers();
    private final List<Expiry> expired = new ArrayList<>();
    private TimeWaitTable table = new TimeWaitTable(4);

    public void onTimer(final long firedNs, final long context)
    {
        assertEquals(TimeWaitTable.TIMER_TIME_WAIT, ConnectionTimer.kindOf(context));
        if (table.onTimer(context, firedNs, timers, this))
        {
            int entry;
            while ((entry = table.pollExpired(firedNs, timers, this)) >= 0)
            {
                expired.add(new Expiry(table.keys[entry], firedNs));
                table.remove(entry);
            }
        }
    }

    @Test
    void anEntryKeepsWhatTimeWaitNeedsToAnswerThePeer()
    {
        final TcpConnection connection = connection(50000);
        connection.sendNext = 0x1234_5678;
        connection.receiveNext = 0x0FED_CBA9;
        connection.timestamps = true;
        connection.timestampRecent = 777;
        connection.timestampOffset = 42;

        final int entry = table.add(connection, 1024, time.nowNs() + TWO_MSL_NS, timers, this);

        assertEquals(entry, table.lookup(connection.key, LOCAL));
        assertEquals(1, table.size());
        assertEquals(connection.key, table.keys[entry], "the peer's address and port and our port");
        assertEquals(LOCAL, table.localAddresses[entry]);
        assertEquals(80, table.localPorts[entry]);
        assertEquals(0x1234_5678, table.sendNext[entry]);
        assertEquals(0x0FED_CBA9, table.receiveNext[entry]);
        assertEquals(1024, table.receiveWindows[entry]);
        assertTrue(table.timestamps[entry]);
        assertEquals(777, table.timestampRecent[entry]);
        assertEquals(42, table.timestampOffsets[entry]);
        assertEquals(time.nowNs() + TWO_MSL_NS, table.expiriesNs[entry]);
    }

    @Test
    void anEntryIsFoundOnlyForItsPeerAndLocalAddress()
    {
        final TcpConnection connection = connection(50000);
        enterTimeWait(connection);

        assertEquals(-1, table.lookup(connection.key, LOCAL + 1), "the same ports at another local address");
        assertEquals(-1, table.lookup(connection(50001).key, LOCAL), "another peer port");
    }

    @Test
    void anEntryExpiresTwoMslAfterItWasAddedAndNotBefore()
    {
        final TcpConnection connection = connection(50000);
        enterTimeWait(connection);

        advanceTo(START_NS + TWO_MSL_NS - TICK_NS);
        assertTrue(expired.isEmpty());
        assertEquals(1, table.size());

        advanceTo(START_NS + TWO_MSL_NS + TICK_NS);
        assertExpired(connection, START_NS + TWO_MSL_NS);
        assertEquals(0, table.size());
        assertEquals(-1, table.lookup(connection.key, LOCAL));
    }

    @Test
    void entriesExpireInTheOrderTheyCameEachAtItsOwnTime()
    {
        final TcpConnection first = connection(50000);
        final TcpConnection second = connection(50001);
        enterTimeWait(first);
        advanceTo(START_NS + 1000 * TICK_NS);
        enterTimeWait(second);

        advanceTo(START_NS + 1000 * TICK_NS + TWO_MSL_NS + TICK_NS);

        assertEquals(2, expired.size(), expired::toString);
        assertExpiredAt(0, first, START_NS + TWO_MSL_NS);
        assertExpiredAt(1, second, START_NS + 1000 * TICK_NS + TWO_MSL_NS);
    }

    @Test
    void aRetransmittedFinRestartsTheWait()
    {
        final TcpConnection connection = connection(50000);
        final int entry = enterTimeWait(connection);
        advanceTo(START_NS + TWO_MSL_NS / 2);

        table.restart(entry, time.nowNs() + TWO_MSL_NS);

        advanceTo(START_NS + TWO_MSL_NS + TICK_NS);
        assertTrue(expired.isEmpty(), "the first wait no longer counts");
        advanceTo(START_NS + TWO_MSL_NS / 2 + TWO_MSL_NS + TICK_NS);
        assertExpired(connection, START_NS + TWO_MSL_NS / 2 + TWO_MSL_NS);
    }

    @Test
    void aRestartedEntryDoesNotHoldBackTheOnesBehindIt()
    {
        final TcpConnection first = connection(50000);
        final TcpConnection second = connection(50001);
        final int entry = enterTimeWait(first);
        table.add(second, 0, time.nowNs() + TWO_MSL_NS + TICK_NS, timers, this);

        table.restart(entry, time.nowNs() + 2 * TWO_MSL_NS);
        advanceTo(START_NS + TWO_MSL_NS + 2 * TICK_NS);

        assertExpired(second, START_NS + TWO_MSL_NS + TICK_NS);
    }

    @Test
    void aRestartWithTheQueueOfExpiriesFullStillWaitsItsTime()
    {
        table = new TimeWaitTable(1);
        final TcpConnection connection = connection(50000);
        final int entry = enterTimeWait(connection);
        table.restart(entry, time.nowNs() + TWO_MSL_NS + 10 * TICK_NS);
        table.restart(entry, time.nowNs() + TWO_MSL_NS + 20 * TICK_NS);

        advanceTo(START_NS + TWO_MSL_NS + 19 * TICK_NS);
        assertTrue(expired.isEmpty(), "restarted in place, past its first records");
        advanceTo(START_NS + TWO_MSL_NS + 21 * TICK_NS);
        assertExpired(connection, START_NS + TWO_MSL_NS + 20 * TICK_NS);
    }

    @Test
    void anEntryForgottenEarlyNeverExpiresAndFreesItsPlace()
    {
        table = new TimeWaitTable(1);
        final TcpConnection reset = connection(50000);
        final int entry = enterTimeWait(reset);

        table.remove(entry);

        assertEquals(0, table.size());
        assertEquals(-1, table.lookup(reset.key, LOCAL));
        final TcpConnection next = connection(50001);
        assertTrue(enterTimeWait(next) >= 0, "the place is free again");
        advanceTo(START_NS + TWO_MSL_NS + TICK_NS);
        assertExpired(next, START_NS + TWO_MSL_NS);
    }

    @Test
    void aFullTableRefusesUntilAnEntryExpires()
    {
        table = new TimeWaitTable(2);
        enterTimeWait(connection(50000));
        enterTimeWait(connection(50001));

        assertEquals(-1, enterTimeWait(connection(50002)),
            "full: the caller closes without TIME-WAIT and counts it");
        advanceTo(START_NS + TWO_MSL_NS + TICK_NS);
        assertTrue(enterTimeWait(connection(50002)) >= 0);
    }

    @Test
    void aTableOfNoEntriesRefusesEveryone()
    {
        table = new TimeWaitTable(0);

        assertEquals(-1, enterTimeWait(connection(50000)));
        assertEquals(0, table.size());
    }

    @Test
    void everyEntryExpiresAfterResetsLeftTheQueueOfExpiriesFullOfStaleRecords()
    {
        table = new TimeWaitTable(2);
        final TcpConnection waiting = connection(50000);
        enterTimeWait(waiting);
        for (int port = 50001; port <= 50003; port++)
        {
            table.remove(enterTimeWait(connection(port)));
        }
        final TcpConnection newcomer = connection(50004);
        enterTimeWait(newcomer);

        assertAllExpire(2);
    }

    @Test
    void everyEntryExpiresAfterRestartsAndAResetFilledTheQueueOfExpiries()
    {
        table = new TimeWaitTable(2);
        final TcpConnection waiting = connection(50000);
        enterTimeWait(waiting);
        final int restarted = enterTimeWait(connection(50001));
        table.restart(restarted, time.nowNs() + TWO_MSL_NS);
        table.restart(restarted, time.nowNs() + TWO_MSL_NS);
        table.remove(restarted);
        final TcpConnection newcomer = connection(50002);
        enterTimeWait(newcomer);

        assertAllExpire(2);
    }

    /**
     * Random adds, restarts, removals and time against a model of expiry times, every wait as long as every other
     * (the table relies on it: expiry order is the order of adds and restarts), and no more restarts and early ends
     * than the table has entries, so that the queue of expiries, twice that long, never fills (see the bug above):
     * every entry must expire within a tick of its time, never before, and never once removed.
     */
    @ParameterizedTest(name = "seed {0}")
    @ValueSource(longs = { 1, 2, 3, 9293 })
    void everyEntryExpiresWithinATickOfItsTime(final long seed)
    {
        final SplittableRandom random = new SplittableRandom(seed);
        final int capacity = 8;
        table = new TimeWaitTable(capacity);
        final Map<Long, Long> model = new HashMap<>();
        final Map<Long, Integer> entries = new HashMap<>();
        int earlyEndsAndRestartsLeft = capacity;
        int port = 40000;

        for (int step = 0; step < 2000; step++)
        {
            final int action = random.nextInt(10);
            if (action < 3 && entries.size() < capacity)
            {
                final TcpConnection connection = connection(port++);
                final long expiryNs = time.nowNs() + TWO_MSL_NS / 100;
                entries.put(connection.key, table.add(connection, 0, expiryNs, timers, this));
                model.put(connection.key, expiryNs);
            }
            else if (action < 4 && !entries.isEmpty() && earlyEndsAndRestartsLeft > 0)
            {
                final long key = pick(random, entries);
                final long expiryNs = time.nowNs() + TWO_MSL_NS / 100;
                table.restart(entries.get(key), expiryNs);
                model.put(key, expiryNs);
                earlyEndsAndRestartsLeft--;
            }
            else if (action < 5 && !entries.isEmpty() && earlyEndsAndRestartsLeft > 0)
            {
                final long key = pick(random, entries);
                table.remove(entries.remove(key));
                model.remove(key);
                earlyEndsAndRestartsLeft--;
            }
            else
            {
                advanceTo(time.nowNs() + TICK_NS * (1 + random.nextInt(200)));
            }

            for (final Expiry expiry : expired)
            {
                final Long dueNs = model.remove(expiry.key);
                if (dueNs == null)
                {
                    fail("seed " + seed + ", step " + step + ": " + expiry + " was not in the table");
                }
                entries.remove(expiry.key);
                assertTrue(expiry.atNs >= dueNs && expiry.atNs < dueNs + 2 * TICK_NS,
                    "seed " + seed + ", step " + step + ": " + expiry + " due at " + dueNs);
            }
            expired.clear();
            for (final Map.Entry<Long, Long> waiting : model.entrySet())
            {
                assertTrue(waiting.getValue() + 2 * TICK_NS > time.nowNs(),
                    "seed " + seed + ", step " + step + ": key " + waiting.getKey() + " overdue");
            }
            assertEquals(entries.size(), table.size());
        }
    }

    private static long pick(final SplittableRandom random, final Map<Long, Integer> entries)
    {
        final Long[] keys = entries.keySet().toArray(new Long[0]);
        return keys[random.nextInt(keys.length)];
    }

    /**
     * The connection enters TIME-WAIT now, for 2 MSL.
     *
     * @return its entry, or -1 when the table is full.
     */
    private int enterTimeWait(final TcpConnection connection)
    {
        return table.add(connection, 0, time.nowNs() + TWO_MSL_NS, timers, this);
    }

    private void advanceTo(final long targetNs)
    {
        time.advanceTo(targetNs);
    }

    /**
     * Let three times 2 MSL pass: every one of {@code entries} entries, all added with the same wait, must expire.
     */
    private void assertAllExpire(final int entries)
    {
        advanceTo(START_NS + 3 * TWO_MSL_NS);

        assertEquals(entries, expired.size(), () -> "expired: " + expired + ", still in the table: " + table.size());
        assertEquals(0, table.size());
    }

    private void assertExpired(final TcpConnection connection, final long dueNs)
    {
        assertEquals(1, expired.size(), expired::toString);
        assertExpiredAt(0, connection, dueNs);
    }

    private void assertExpiredAt(final int index, final TcpConnection connection, final long dueNs)
    {
        final Expiry expiry = expired.get(index);
        assertEquals(connection.key, expiry.key);
        assertTrue(expiry.atNs >= dueNs && expiry.atNs < dueNs + 2 * TICK_NS,
            () -> expiry + " due at " + dueNs + ", within a tick");
        assertFalse(table.lookup(connection.key, LOCAL) >= 0, "gone once expired");
    }

    private static TcpConnection connection(final int peerPort)
    {
        final TcpConnection connection = new TcpConnection(0, null, null, null, 1, 1);
        connection.localAddress = LOCAL;
        connection.localPort = 80;
        connection.remoteAddress = PEER;
        connection.remotePort = peerPort;
        connection.key = TcpConnectionTable.key(PEER, peerPort, 80);
        return connection;
    }

    private record Expiry(long key, long atNs)
    {
        public String toString()
        {
            return "port " + ((key >>> 16) & 0xFFFF) + " at " + atNs;
        }
    }
}
