package io.ringstack.journal;

import io.ringstack.engine.EngineTap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

import static io.ringstack.journal.JournalFormat.APP_CONSUMED;
import static io.ringstack.journal.JournalFormat.APP_CONSUMED_BYTES_OFFSET;
import static io.ringstack.journal.JournalFormat.APP_CONSUMED_LENGTH;
import static io.ringstack.journal.JournalFormat.APP_DATA;
import static io.ringstack.journal.JournalFormat.APP_DATA_OFFSET;
import static io.ringstack.journal.JournalFormat.APP_SLOT_OFFSET;
import static io.ringstack.journal.JournalFormat.APP_TIMESTAMP_OFFSET;
import static io.ringstack.journal.JournalFormat.BYTE_ORDER;
import static io.ringstack.journal.JournalFormat.COMMAND;
import static io.ringstack.journal.JournalFormat.COMMAND_MESSAGE_OFFSET;
import static io.ringstack.journal.JournalFormat.COMMAND_OPERATION_OFFSET;
import static io.ringstack.journal.JournalFormat.COMMAND_TIMESTAMP_OFFSET;
import static io.ringstack.journal.JournalFormat.CYCLE;
import static io.ringstack.journal.JournalFormat.CYCLE_LENGTH;
import static io.ringstack.journal.JournalFormat.CYCLE_TIME_OFFSET;
import static io.ringstack.journal.JournalFormat.FRAME_DATA_OFFSET;
import static io.ringstack.journal.JournalFormat.FRAME_INTERFACE_OFFSET;
import static io.ringstack.journal.JournalFormat.FRAME_RESULT_OFFSET;
import static io.ringstack.journal.JournalFormat.FRAME_TIMESTAMP_OFFSET;
import static io.ringstack.journal.JournalFormat.FRAME_VERDICT_OFFSET;
import static io.ringstack.journal.JournalFormat.IDLE;
import static io.ringstack.journal.JournalFormat.IDLE_COUNT_OFFSET;
import static io.ringstack.journal.JournalFormat.IDLE_DELTAS_OFFSET;
import static io.ringstack.journal.JournalFormat.IDLE_FIRST_TIME_OFFSET;
import static io.ringstack.journal.JournalFormat.LOSS;
import static io.ringstack.journal.JournalFormat.LOSS_COUNT_OFFSET;
import static io.ringstack.journal.JournalFormat.LOSS_LENGTH;
import static io.ringstack.journal.JournalFormat.NOTE;
import static io.ringstack.journal.JournalFormat.NOTE_TEXT_OFFSET;
import static io.ringstack.journal.JournalFormat.NOTE_WIRE_LENGTH_OFFSET;
import static io.ringstack.journal.JournalFormat.RESPONSE;
import static io.ringstack.journal.JournalFormat.RESPONSE_LENGTH;
import static io.ringstack.journal.JournalFormat.RESPONSE_RESULT_OFFSET;
import static io.ringstack.journal.JournalFormat.RESPONSE_SEQUENCE_OFFSET;
import static io.ringstack.journal.JournalFormat.RESPONSE_SLOT_OFFSET;
import static io.ringstack.journal.JournalFormat.RESPONSE_TIMESTAMP_OFFSET;
import static io.ringstack.journal.JournalFormat.RX_FRAME;
import static io.ringstack.journal.JournalFormat.SESSION;
import static io.ringstack.journal.JournalFormat.SESSION_CLOCK_ORIGIN_OFFSET;
import static io.ringstack.journal.JournalFormat.TX_FRAME;
import static io.ringstack.journal.JournalFormat.VERDICT;
import static io.ringstack.journal.JournalFormat.VERDICT_LENGTH;
import static io.ringstack.journal.JournalFormat.VERDICT_PENDING;
import static io.ringstack.journal.JournalFormat.VERDICT_VALUE_OFFSET;

/**
 * The engine side of the journal: writes what the engine reports into the {@link TapLog}, each record once and as it
 * will be in the journal (header, sequence number and body; the {@link JournalAgent} seals it with its CRC and
 * moves it into Chronicle Queue). Engine thread only; nothing here allocates, locks, throws, or touches Chronicle.
 * <ul>
 *   <li>A duty cycle is recorded as a {@link JournalFormat#CYCLE} record just before its first record, so cycles
 *       in which nothing happens cost no write: their clocks are gathered into one
 *       {@link JournalFormat#IDLE} record per run. A replay needs them all, because timers fire by the clock of the
 *       cycle that polls them.</li>
 *   <li>A received frame is claimed in the log before dispatch and committed with its verdict after, so the
 *       common case is one record. If anything is recorded while it is dispatched, the frame is committed first
 *       with {@link JournalFormat#VERDICT_PENDING} and its verdict follows in a {@link JournalFormat#VERDICT}
 *       record: the log never holds an uncommitted record while the tap waits for room.</li>
 *   <li>A full log is handled by the {@link TapPolicy}: {@code BLOCK} spins briefly, then parks, until the agent
 *       makes room (in embedded mode it runs the agent itself); {@code DROP} counts the record lost. If the agent
 *       has failed, blocking would be forever, so records are counted lost instead.</li>
 * </ul>
 */
public final class JournalTap implements EngineTap
{
    private static final int NO_RECORD = -1;
    /** Spins before a tap blocked on a full log parks. */
    private static final int BLOCKED_SPINS = 64;
    /**
     * How long a blocked tap parks between attempts: the agent frees room in batches, and a spinning engine thread
     * only takes processor time from it (measured: parking sustains more records per second than backing off).
     */
    private static final long BLOCKED_PARK_NS = 50_000;
    /** Bytes of clock deltas gathered before an IDLE record is written: some hundreds of idle cycles. */
    private static final int IDLE_RUN_CAPACITY = 1024;

    private final TapLog log;
    private final int maxBodyLength;
    private final TapPolicy policy;
    private final JournalAgent agent;
    private final boolean runAgentWhenFull;
    private final AtomicLong lostRecords;
    private final UnsafeBuffer idleDeltas = new UnsafeBuffer(new byte[IDLE_RUN_CAPACITY]);

    private UnsafeBuffer header;
    private boolean started;
    private boolean cycleRecorded;
    private long cycleNs;
    private int idleCount;
    private long idleFirstNs;
    private long idleLastNs;
    private int idleDeltaLength;
    private int deferredRxIndex = NO_RECORD;
    private boolean verdictOwed;
    private long lostTotal;
    private long lostSinceMarker;
    private long nextSequence;

    /**
     * @param runAgentWhenFull embedded mode: when the log is full under {@link TapPolicy#BLOCK}, run the agent on
     *                         this thread instead of waiting for its own.
     * @param lostRecords      where the count of records lost under {@link TapPolicy#DROP} is published.
     */
    JournalTap(
        final TapLog log,
        final TapPolicy policy,
        final JournalAgent agent,
        final boolean runAgentWhenFull,
        final AtomicLong lostRecords)
    {
        this.log = log;
        this.maxBodyLength = log.maxBodyLength();
        this.policy = policy;
        this.agent = agent;
        this.runAgentWhenFull = runAgentWhenFull;
        this.lostRecords = lostRecords;
    }

    /**
     * Set the encoded session body, the first record; before the engine runs, from the thread that builds it. An
     * engine that runs without it (its clock was replaced after the journal was attached) is not journaled: its
     * records are counted lost.
     */
    void sessionHeader(final UnsafeBuffer header)
    {
        this.header = header;
    }

    public void beginCycle(final long nowNs)
    {
        if (!started)
        {
            start();
        }
        else if (!cycleRecorded)
        {
            addIdleCycle(cycleNs);
        }
        cycleNs = nowNs;
        cycleRecorded = false;
    }

    public long onRxFrame(
        final int interfaceId, final DirectBuffer frame, final int offset, final int length, final int offloads)
    {
        final int index = claimInCycle(RX_FRAME, FRAME_DATA_OFFSET + length);
        if (index != NO_RECORD)
        {
            log.putLong(index + FRAME_TIMESTAMP_OFFSET, cycleNs);
            log.putInt(index + FRAME_VERDICT_OFFSET, VERDICT_PENDING);
            putInterface(index, interfaceId, offloads);
            log.putBytes(index + FRAME_DATA_OFFSET, frame, offset, length);
        }
        deferredRxIndex = index;
        return 0;
    }

    public void onRxVerdict(final long token, final int verdict)
    {
        final int deferred = deferredRxIndex;
        if (deferred != NO_RECORD)
        {
            deferredRxIndex = NO_RECORD;
            log.putInt(deferred + FRAME_VERDICT_OFFSET, verdict);
            log.commit();
        }
        else if (verdictOwed)
        {
            verdictOwed = false;
            final int index = claimInCycle(VERDICT, VERDICT_LENGTH);
            if (index != NO_RECORD)
            {
                log.putInt(index + VERDICT_VALUE_OFFSET, verdict);
                log.commit();
            }
        }
    }

    public void onTxFrame(final int interfaceId, final DirectBuffer frame, final int offset, final int length,
        final int result)
    {
        final int index = claimInCycle(TX_FRAME, FRAME_DATA_OFFSET + length);
        if (index != NO_RECORD)
        {
            log.putLong(index + FRAME_TIMESTAMP_OFFSET, cycleNs);
            log.putInt(index + FRAME_RESULT_OFFSET, result);
            putInterface(index, interfaceId, 0);
            log.putBytes(index + FRAME_DATA_OFFSET, frame, offset, length);
            log.commit();
        }
    }

    public void onCommand(final int operation, final DirectBuffer message, final int index, final int length)
    {
        final int record = claimInCycle(COMMAND, COMMAND_MESSAGE_OFFSET + length);
        if (record != NO_RECORD)
        {
            log.putLong(record + COMMAND_TIMESTAMP_OFFSET, cycleNs);
            log.putInt(record + COMMAND_OPERATION_OFFSET, operation);
            log.putInt(record + COMMAND_OPERATION_OFFSET + 4, 0);
            log.putBytes(record + COMMAND_MESSAGE_OFFSET, message, index, length);
            log.commit();
        }
    }

    public void onResponse(final int slot, final long sequence, final long result)
    {
        final int index = claimInCycle(RESPONSE, RESPONSE_LENGTH);
        if (index != NO_RECORD)
        {
            log.putLong(index + RESPONSE_TIMESTAMP_OFFSET, cycleNs);
            log.putInt(index + RESPONSE_SLOT_OFFSET, slot);
            log.putInt(index + RESPONSE_SLOT_OFFSET + 4, 0);
            log.putLong(index + RESPONSE_SEQUENCE_OFFSET, sequence);
            log.putLong(index + RESPONSE_RESULT_OFFSET, result);
            log.commit();
        }
    }

    /**
     * Bytes the engine took from a send ring: as many APP_DATA records as the log's largest record needs.
     */
    public void onAppData(final int slot, final DirectBuffer data, final int offset, final int length)
    {
        final int chunk = maxBodyLength - APP_DATA_OFFSET;
        for (int done = 0; done < length; done += chunk)
        {
            final int count = Math.min(chunk, length - done);
            final int index = claimInCycle(APP_DATA, APP_DATA_OFFSET + count);
            if (index != NO_RECORD)
            {
                putAppHeader(index, slot, 0);
                log.putBytes(index + APP_DATA_OFFSET, data, offset + done, count);
                log.commit();
            }
        }
    }

    public void onAppConsumed(final int slot, final int bytes)
    {
        final int index = claimInCycle(APP_CONSUMED, APP_CONSUMED_LENGTH);
        if (index != NO_RECORD)
        {
            putAppHeader(index, slot, bytes);
            log.commit();
        }
    }

    /**
     * What an imported capture said of the device frame about to be received: a NOTE record, before the frame's
     * duty cycle begins. Call between duty cycles, on the engine's thread.
     *
     * @param wireLength the frame's length on the wire when the capture cut it, else 0.
     * @param comment    the capture's comment on it, UTF-8, {@code commentLength} bytes (0 for none).
     */
    void onCaptureNote(final int wireLength, final DirectBuffer comment, final int offset, final int commentLength)
    {
        settleDeferredRx();
        if (!started)
        {
            start();
            cycleRecorded = true;
        }
        flushIdleRun();
        final int index = claim(NOTE, NOTE_TEXT_OFFSET + commentLength);
        if (index != NO_RECORD)
        {
            log.putInt(index + NOTE_WIRE_LENGTH_OFFSET, wireLength);
            log.putBytes(index + NOTE_TEXT_OFFSET, comment, offset, commentLength);
            log.commit();
        }
    }

    /**
     * Write out what the tap still holds: the session header if no cycle ran, the last idle run. Call once the
     * engine has stopped, from the thread that stopped it, with the session header set.
     */
    void flush()
    {
        if (!started)
        {
            start();
            cycleRecorded = true;
        }
        else if (!cycleRecorded)
        {
            addIdleCycle(cycleNs);
            cycleRecorded = true;
        }
        flushIdleRun();
        settleDeferredRx();
        if (lostSinceMarker > 0)
        {
            writeLossMarker();
        }
    }

    private void start()
    {
        started = true;
        if (header == null)
        {
            return;
        }
        cycleNs = header.getLong(SESSION_CLOCK_ORIGIN_OFFSET, BYTE_ORDER);
        final int index = claim(SESSION, header.capacity());
        if (index != NO_RECORD)
        {
            log.putBytes(index, header, 0, header.capacity());
            log.commit();
        }
    }

    /**
     * The timestamp and slot of an APP_DATA or APP_CONSUMED record, and the word after the slot: the bytes consumed
     * or, for APP_DATA, 0.
     */
    private void putAppHeader(final int index, final int slot, final int word)
    {
        log.putLong(index + APP_TIMESTAMP_OFFSET, cycleNs);
        log.putInt(index + APP_SLOT_OFFSET, slot);
        log.putInt(index + APP_CONSUMED_BYTES_OFFSET, word);
    }

    /**
     * The interface of a frame record in 16 bits, and the 16 bits of offloads after it (0 in a TX_FRAME).
     */
    private void putInterface(final int index, final int interfaceId, final int offloads)
    {
        log.putInt(index + FRAME_INTERFACE_OFFSET, (interfaceId & 0xFFFF) | offloads << 16);
    }

    /**
     * Claim room for a record of the current duty cycle, recording the cycle (and the idle run before it) first.
     */
    private int claimInCycle(final int type, final int bodyLength)
    {
        settleDeferredRx();
        if (!started)
        {
            start();
        }
        if (!cycleRecorded)
        {
            cycleRecorded = true;
            flushIdleRun();
            final int index = claim(CYCLE, CYCLE_LENGTH);
            if (index != NO_RECORD)
            {
                log.putLong(index + CYCLE_TIME_OFFSET, cycleNs);
                log.commit();
            }
        }
        return claim(type, bodyLength);
    }

    private void settleDeferredRx()
    {
        if (deferredRxIndex != NO_RECORD)
        {
            log.commit();
            deferredRxIndex = NO_RECORD;
            verdictOwed = true;
        }
    }

    private void addIdleCycle(final long idleCycleNs)
    {
        if (idleCount > 0 && idleDeltaLength + ZigZagVarint.MAX_LENGTH > IDLE_RUN_CAPACITY)
        {
            flushIdleRun();
        }
        if (idleCount == 0)
        {
            idleFirstNs = idleCycleNs;
        }
        else
        {
            idleDeltaLength += ZigZagVarint.put(idleDeltas, idleDeltaLength, idleCycleNs - idleLastNs);
        }
        idleLastNs = idleCycleNs;
        idleCount++;
    }

    private void flushIdleRun()
    {
        if (idleCount > 0)
        {
            final int index = claim(IDLE, IDLE_DELTAS_OFFSET + idleDeltaLength);
            if (index != NO_RECORD)
            {
                log.putInt(index + IDLE_COUNT_OFFSET, idleCount);
                log.putInt(index + IDLE_COUNT_OFFSET + 4, 0);
                log.putLong(index + IDLE_FIRST_TIME_OFFSET, idleFirstNs);
                log.putBytes(index + IDLE_DELTAS_OFFSET, idleDeltas, 0, idleDeltaLength);
                log.commit();
            }
            idleCount = 0;
            idleDeltaLength = 0;
        }
    }

    /**
     * @return the index of the claimed body, or {@link #NO_RECORD} when the record is lost.
     */
    private int claim(final int type, final int bodyLength)
    {
        if (header == null || bodyLength > maxBodyLength || (lostSinceMarker > 0 && !writeLossMarker()))
        {
            countLost();
            return NO_RECORD;
        }
        final int index = tryClaim(type, bodyLength);
        return index >= 0 ? index : claimWhenFull(type, bodyLength);
    }

    private int claimWhenFull(final int type, final int bodyLength)
    {
        if (policy == TapPolicy.BLOCK)
        {
            for (int attempt = 0; !agent.hasFailed(); attempt++)
            {
                if (runAgentWhenFull)
                {
                    agent.doWork();
                }
                else if (attempt < BLOCKED_SPINS)
                {
                    Thread.onSpinWait();
                }
                else
                {
                    LockSupport.parkNanos(BLOCKED_PARK_NS);
                }
                final int index = tryClaim(type, bodyLength);
                if (index >= 0)
                {
                    return index;
                }
            }
        }
        countLost();
        return NO_RECORD;
    }

    /**
     * @return the index of the claimed body, numbered with the next sequence number, or -1 when the log is full.
     */
    private int tryClaim(final int type, final int bodyLength)
    {
        final int index = log.claim(type, nextSequence, bodyLength);
        if (index >= 0)
        {
            nextSequence++;
        }
        return index;
    }

    private boolean writeLossMarker()
    {
        final int index = tryClaim(LOSS, LOSS_LENGTH);
        if (index < 0)
        {
            return false;
        }
        log.putLong(index + LOSS_COUNT_OFFSET, lostSinceMarker);
        log.commit();
        lostSinceMarker = 0;
        return true;
    }

    private void countLost()
    {
        lostSinceMarker++;
        lostRecords.lazySet(++lostTotal);
    }
}
