package io.ringstack.journal;

import io.ringstack.engine.EngineTap;
import io.ringstack.iface.DropReason;
import io.ringstack.iface.TxResult;
import java.util.ArrayList;
import java.util.List;
import org.agrona.DirectBuffer;

import static io.ringstack.journal.JournalFormat.APP_CONSUMED;
import static io.ringstack.journal.JournalFormat.APP_DATA;
import static io.ringstack.journal.JournalFormat.COMMAND;
import static io.ringstack.journal.JournalFormat.RESPONSE;
import static io.ringstack.journal.JournalFormat.RX_FRAME;
import static io.ringstack.journal.JournalFormat.TX_FRAME;
import static io.ringstack.journal.JournalFormat.VERDICT;
import static io.ringstack.journal.JournalFormat.VERDICT_PENDING;

/**
 * The replayed engine's tap: checks each thing the engine reports against the next record of the recorded duty
 * cycle, in order, and keeps the first {@link Divergence}, or, going on, every one: the rest of a cycle that diverged
 * is not compared, and the next cycle is compared afresh. Each names the input that led to it. A received frame's
 * verdict is expected in its RX_FRAME
 * record when the recorder put it there (then nothing may be reported in between), else in a VERDICT record.
 * Verdicts are compared by drop reason name, so a journal stays replayable when reasons are added.
 * <p>
 * The engine's looks at the application's TCP rings are compared too, and they are where the replay acts as the
 * application: as a look begins, the look's recorded APP_DATA and APP_CONSUMED records, the next ones to match, are
 * done to the rings ({@link ReplaySockets#stage}), so the engine finds what it found when recording. Engine thread
 * only; allocates only to describe a divergence.
 */
final class ReplayComparator implements EngineTap
{
    private static final int NO_MATCH = Integer.MIN_VALUE;
    private static final int NO_INPUT = -1;

    private final SessionHeader header;
    private final ReplaySockets sockets;
    private final Runnable cycleStart;
    private final JournalRecord expected = new JournalRecord();
    private final JournalRecord ahead = new JournalRecord();
    private final int[] recordedToCurrentVerdict;
    private final int socketRingFull;
    private final boolean keepGoing;
    private final List<Divergence> divergences = new ArrayList<>();
    private RecordFormatter formatter;
    private CycleRecords cycle;
    private int cursor;
    private int appDataMatched;
    private boolean lenientTail;
    private boolean inlineVerdictDue;
    private int inlineVerdict;
    private long inlineVerdictSequence;
    private long outputs;
    private long appDependent;
    private long divergenceCount;
    private boolean cycleDiverged;
    private int inputIndex;

    /**
     * @param cycleStart run as each duty cycle begins, before the engine reads its command ring: where the replay
     *                   carries out the cycle's recorded commands.
     * @param keepGoing  go on after a divergence, with the next duty cycle, keeping every divergence.
     */
    ReplayComparator(
        final SessionHeader header, final ReplaySockets sockets, final Runnable cycleStart, final boolean keepGoing)
    {
        this.header = header;
        this.keepGoing = keepGoing;
        this.sockets = sockets;
        this.cycleStart = cycleStart;
        recordedToCurrentVerdict = new int[header.dropReasons().size()];
        for (int i = 0; i < recordedToCurrentVerdict.length; i++)
        {
            recordedToCurrentVerdict[i] = currentOrdinal(header.dropReasons().get(i));
        }
        socketRingFull = DropReason.UDP_SOCKET_RING_FULL.ordinal();
    }

    private static int currentOrdinal(final String name)
    {
        for (final DropReason reason : DropReason.values())
        {
            if (reason.name().equals(name))
            {
                return reason.ordinal();
            }
        }
        return NO_MATCH;
    }

    /**
     * Expect the records of {@code cycle}.
     *
     * @param lenientTail the cycle is the last of a journal whose tail was cut: what the engine does after the
     *                    last record is not compared.
     */
    void begin(final CycleRecords cycle, final boolean lenientTail)
    {
        this.cycle = cycle;
        this.lenientTail = lenientTail;
        cursor = 0;
        appDataMatched = 0;
        inlineVerdictDue = false;
        cycleDiverged = false;
        inputIndex = NO_INPUT;
    }

    /**
     * The cycle has run: every record of it must have been matched.
     */
    void end()
    {
        if (!cycleDiverged && !lenientTail)
        {
            if (inlineVerdictDue)
            {
                diverge(inlineVerdictSequence, RX_FRAME, "verdict", "a verdict", "none reported");
            }
            else if (cursor < cycle.size())
            {
                cycle.wrap(cursor, expected);
                diverge(expected.sequence(), expected.type(), "record", JournalFormat.typeName(expected.type()),
                    "nothing: the replayed engine did not produce it");
            }
        }
    }

    /**
     * @return whether the replay must stop: it diverged, and is not to go on.
     */
    boolean mustStop()
    {
        return divergenceCount > 0 && !keepGoing;
    }

    /**
     * @return the first divergence, or {@code null}.
     */
    Divergence divergence()
    {
        return divergences.isEmpty() ? null : divergences.get(0);
    }

    /**
     * @return the divergences kept, in order: the first only, unless going on, then up to
     * {@link Replayer.Options#KEPT_DIVERGENCES}.
     */
    List<Divergence> divergences()
    {
        return divergences;
    }

    /**
     * @return how many divergences there were, kept or not.
     */
    long divergenceCount()
    {
        return divergenceCount;
    }

    long outputs()
    {
        return outputs;
    }

    long appDependent()
    {
        return appDependent;
    }

    /**
     * @return for the direct replay device: the result the journal recorded for the device transmit about to be
     * reported, {@link TxResult#SENT} when the next record is not one.
     */
    int recordedTransmitResult()
    {
        if (!cycleDiverged && !inlineVerdictDue && cursor < cycle.size())
        {
            cycle.wrap(cursor, expected);
            if (expected.type() == TX_FRAME && expected.interfaceId() == INTERFACE_DEVICE)
            {
                return expected.txResult();
            }
        }
        return TxResult.SENT;
    }

    public void beginCycle(final long nowNs)
    {
        cycleStart.run();
    }

    public long onRxFrame(
        final int interfaceId, final DirectBuffer buffer, final int offset, final int length, final int offloads)
    {
        if (next(RX_FRAME, "a received frame"))
        {
            if (expected.interfaceId() != interfaceId)
            {
                diverge(RX_FRAME, "interface", RecordFormatter.interfaceName(expected.interfaceId()),
                    RecordFormatter.interfaceName(interfaceId));
            }
            else if (!sameFrame(buffer, offset, length))
            {
                divergeFrame(buffer, offset, length);
            }
            else
            {
                if (expected.verdict() != VERDICT_PENDING)
                {
                    inlineVerdictDue = true;
                    inlineVerdict = expected.verdict();
                    inlineVerdictSequence = expected.sequence();
                }
                if (interfaceId == INTERFACE_LOOPBACK)
                {
                    outputs++;
                }
                inputIndex = cursor;
                cursor++;
            }
        }
        return 0;
    }

    public void onRxVerdict(final long token, final int verdict)
    {
        if (cycleDiverged)
        {
            inlineVerdictDue = false;
        }
        else if (inlineVerdictDue)
        {
            inlineVerdictDue = false;
            compareVerdict(inlineVerdictSequence, RX_FRAME, inlineVerdict, verdict);
        }
        else if (cursor < cycle.size() && cycle.wrap(cursor, expected).type() != VERDICT)
        {
            diverge(expected.type(), "record", JournalFormat.typeName(expected.type()),
                "VERDICT " + replayedVerdictName(verdict));
        }
        else if (next(VERDICT, "the verdict of a received frame"))
        {
            compareVerdict(expected.sequence(), VERDICT, expected.verdict(), verdict);
            cursor++;
        }
        if (verdict == DELIVERED)
        {
            sockets.drain();
        }
    }

    public void onTxFrame(final int interfaceId, final DirectBuffer buffer, final int offset, final int length,
        final int result)
    {
        if (next(TX_FRAME, "a transmitted frame"))
        {
            if (expected.interfaceId() != interfaceId)
            {
                diverge(TX_FRAME, "interface", RecordFormatter.interfaceName(expected.interfaceId()),
                    RecordFormatter.interfaceName(interfaceId));
            }
            else if (!sameFrame(buffer, offset, length))
            {
                divergeFrame(buffer, offset, length);
            }
            else if (expected.txResult() != result)
            {
                diverge(TX_FRAME, "result", TxResult.name(expected.txResult()), TxResult.name(result));
            }
            else
            {
                outputs++;
                cursor++;
            }
        }
    }

    public void onCommand(final int operation, final DirectBuffer buffer, final int index, final int length)
    {
        if (next(COMMAND, "a command"))
        {
            if (expected.operation() != operation ||
                !HexDiff.equal(expected.buffer(), expected.messageOffset(), expected.messageLength(), buffer, index,
                length))
            {
                diverge(COMMAND, "message", "operation " + expected.operation(), "operation " + operation);
            }
            else
            {
                inputIndex = cursor;
                cursor++;
            }
        }
    }

    public void onResponse(final int slot, final long sequence, final long result)
    {
        if (next(RESPONSE, "an answer"))
        {
            if (expected.slot() != slot || expected.callSequence() != sequence)
            {
                diverge(RESPONSE, "call", "slot " + expected.slot() + " call " + expected.callSequence(),
                    "slot " + slot + " call " + sequence);
            }
            else if (expected.callResult() != result)
            {
                diverge(RESPONSE, "result", Long.toString(expected.callResult()), Long.toString(result));
            }
            else
            {
                outputs++;
                cursor++;
            }
        }
    }

    /**
     * Do to the rings what the look about to begin found: its records, up to its APP_CONSUMED, are the next ones.
     */
    public void beginAppLook(final int slot)
    {
        for (int i = cursor; i < cycle.size() && !cycleDiverged; i++)
        {
            cycle.wrap(i, ahead);
            final int type = ahead.type();
            if ((type != APP_DATA && type != APP_CONSUMED) || ahead.slot() != slot)
            {
                return;
            }
            sockets.stage(ahead);
            if (type == APP_CONSUMED)
            {
                return;
            }
        }
    }

    public void onAppData(final int slot, final DirectBuffer buffer, final int offset, final int length)
    {
        for (int done = 0; done < length && next(APP_DATA, "bytes taken from a send ring"); )
        {
            final int count = Math.min(length - done, expected.appDataLength() - appDataMatched);
            if (expected.slot() != slot || !HexDiff.equal(expected.buffer(), expected.appDataOffset() + appDataMatched,
                count, buffer, offset + done, count))
            {
                diverge(APP_DATA, "bytes", count + " bytes of slot " + expected.slot(),
                    (length - done) + " bytes of slot " + slot);
                return;
            }
            done += count;
            appDataMatched += count;
            if (appDataMatched == expected.appDataLength())
            {
                appDataMatched = 0;
                inputIndex = cursor;
                cursor++;
            }
        }
    }

    public void onAppConsumed(final int slot, final int bytes)
    {
        if (next(APP_CONSUMED, "a look at the application's rings"))
        {
            if (expected.slot() != slot || expected.consumedBytes() != bytes)
            {
                diverge(APP_CONSUMED, "look", "slot " + expected.slot() + " read " + expected.consumedBytes(),
                    "slot " + slot + " read " + bytes);
            }
            else
            {
                inputIndex = cursor;
                cursor++;
            }
        }
    }

    /**
     * Point {@link #expected} at the next record, which should be of {@code type}.
     *
     * @return {@code true} when it is and comparing may go on.
     */
    private boolean next(final int type, final String what)
    {
        if (cycleDiverged)
        {
            return false;
        }
        if (inlineVerdictDue)
        {
            diverge(inlineVerdictSequence, RX_FRAME, "record", "nothing while the frame was dispatched", what);
            return false;
        }
        if (cursor >= cycle.size())
        {
            if (!lenientTail)
            {
                diverge(cycle.sequence(), JournalFormat.CYCLE, "record", "no more records in this cycle",
                    what + " (" + JournalFormat.typeName(type) + ")");
            }
            return false;
        }
        cycle.wrap(cursor, expected);
        if (expected.type() != type)
        {
            diverge(expected.type(), "record", JournalFormat.typeName(expected.type()), JournalFormat.typeName(type));
            return false;
        }
        return true;
    }

    private void compareVerdict(final long sequence, final int type, final int recorded, final int replayed)
    {
        final int recordedNow = recorded >= 0 && recorded < recordedToCurrentVerdict.length ?
            recordedToCurrentVerdict[recorded] : recorded;
        if (recordedNow == replayed)
        {
            outputs++;
        }
        else if (recordedNow == socketRingFull && replayed == DELIVERED)
        {
            outputs++;
            appDependent++;
        }
        else
        {
            diverge(sequence, type, "verdict", header.verdictName(recorded), replayedVerdictName(replayed));
        }
    }

    private String replayedVerdictName(final int verdict)
    {
        return verdict < 0 ? header.verdictName(verdict) : DropReason.of(verdict).name();
    }

    private boolean sameFrame(final DirectBuffer buffer, final int offset, final int length)
    {
        return HexDiff.equal(expected.buffer(), expected.frameOffset(), expected.frameLength(), buffer, offset, length);
    }

    private void divergeFrame(final DirectBuffer buffer, final int offset, final int length)
    {
        final byte[] recorded = new byte[expected.frameLength()];
        expected.buffer().getBytes(expected.frameOffset(), recorded);
        final byte[] replayed = new byte[length];
        buffer.getBytes(offset, replayed);
        add(new Divergence(expected.sequence(), JournalFormat.typeName(expected.type()), "frame",
            FrameSummary.describe(recorded), FrameSummary.describe(replayed), sinceOrigin(), describeInput(),
            FrameFieldDiff.describe(recorded, replayed), HexDiff.describe(recorded, replayed)));
    }

    private void diverge(final int type, final String field, final String recorded, final String replayed)
    {
        diverge(expected.sequence(), type, field, recorded, replayed);
    }

    private void diverge(
        final long sequence, final int type, final String field, final String recorded, final String replayed)
    {
        add(new Divergence(sequence, JournalFormat.typeName(type), field, recorded, replayed, sinceOrigin(),
            describeInput(), List.of(), ""));
    }

    private void add(final Divergence divergence)
    {
        cycleDiverged = true;
        divergenceCount++;
        if (divergences.size() < (keepGoing ? Replayer.Options.KEPT_DIVERGENCES : 1))
        {
            divergences.add(divergence);
        }
    }

    /**
     * @return the last input record of the cycle matched so far, as {@code journal dump} prints it, or what began
     * the cycle.
     */
    private String describeInput()
    {
        if (formatter == null)
        {
            formatter = new RecordFormatter(header);
        }
        if (inputIndex == NO_INPUT)
        {
            return "none before it in its duty cycle: the cycle itself (its timers and commands), begun by record " +
                cycle.sequence();
        }
        return formatter.format(cycle.wrap(inputIndex, ahead), null).replaceAll("\\s+", " ");
    }

    private long sinceOrigin()
    {
        return cycle.timeNs() - header.clockOriginNs();
    }
}
