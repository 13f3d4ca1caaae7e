package io.ringstack.journal;

import io.ringstack.config.Setting;
import io.ringstack.engine.Command;
import io.ringstack.engine.Engine;
import io.ringstack.engine.EngineContext;
import io.ringstack.engine.EngineTap;
import io.ringstack.udp.UdpEndpoint;
import java.nio.file.Path;
import java.util.Collections;
import java.util.EnumMap;
import java.util.Map;
import org.agrona.concurrent.CachedNanoClock;
import org.agrona.concurrent.status.CountersManager;


/**
 * Replays a journal: builds a fresh engine from the session header, runs it on a virtual clock through every
 * recorded duty cycle, idle ones included, feeding each cycle its inputs (device frames through the device,
 * commands and TCP doorbells as the cycle begins, the application's TCP bytes before each look of the engine, see
 * {@link ReplaySockets}), and compares every output (verdicts, transmitted and looped-back frames, answers) as the
 * engine makes it; the first difference stops the replay, unless {@link Options#keepGoing()}. A replay may stop at a
 * record ({@link Options#untilRecord()}) or before the first duty cycle past a time ({@link Options#untilNs()}), and
 * may build its engine with some settings changed ({@link Options#changed()}), to find the first effect of a change.
 * Single-threaded and deterministic.
 * <pre>{@code
 * try (JournalReader reader = JournalReader.open(dir))
 * {
 *     ReplayReport report = Replayer.replay(reader, null);
 *     System.out.println(report.summary());
 * }
 * }</pre>
 */
public final class Replayer
{
    /**
     * How far to replay, whether to stop at the first divergence, and which settings to change.
     *
     * @param untilRecord the last record to replay, or {@link #TO_THE_END}: the duty cycle it lies in is replayed
     *                    and compared as far as that record, as if the journal ended there.
     * @param keepGoing   go on after a divergence and report every one, rather than the first only.
     * @param untilNs     the last time to replay, since the session's clock origin, or {@link #TO_THE_END}: the
     *                    replay stops before the first duty cycle that begins later, as if the journal ended there.
     * @param changed     settings the replayed engine gets instead of the recorded ones: the first divergence is then
     *                    the first effect of the change.
     */
    public record Options(long untilRecord, boolean keepGoing, long untilNs, Map<Setting, Long> changed)
    {
        /** No last record: the whole journal. */
        public static final long TO_THE_END = Long.MAX_VALUE;
        /** Divergences kept when going on after the first; the rest are counted only. */
        public static final int KEPT_DIVERGENCES = 1000;
        /** The whole journal, stopping at the first divergence. */
        public static final Options DEFAULT = new Options(TO_THE_END, false);

        /**
         * As far as a record, with no time limit and the recorded settings.
         */
        public Options(final long untilRecord, final boolean keepGoing)
        {
            this(untilRecord, keepGoing, TO_THE_END, Map.of());
        }

        public Options
        {
            final Map<Setting, Long> settings = new EnumMap<>(Setting.class);
            settings.putAll(changed);
            changed = Collections.unmodifiableMap(settings);
        }

        /**
         * @return these options with {@code setting} changed to {@code value} as well.
         */
        public Options with(final Setting setting, final long value)
        {
            final Map<Setting, Long> settings = new EnumMap<>(Setting.class);
            settings.putAll(changed);
            settings.put(setting, value);
            return new Options(untilRecord, keepGoing, untilNs, settings);
        }
    }

    private final SessionHeader header;
    private final CachedNanoClock clock = new CachedNanoClock();
    private final CycleRecords cycle = new CycleRecords();
    private final JournalRecord input = new JournalRecord();
    private final IdleCycles idleCycles = new IdleCycles();
    private final ReplaySockets sockets;
    private final ReplayComparator comparator;
    private final ReplayWire wire;
    private final Engine engine;
    private final Options options;
    private long cycles;
    private long deviceFrames;
    private long commands;
    private long stoppedAfter = -1;
    private String problem;

    private Replayer(final SessionHeader header, final ReplayWire.Factory wireFactory, final Options options)
    {
        this.header = header;
        this.options = options;
        final EngineContext context = header.newEngineContext();
        options.changed().forEach(context::set);
        sockets = new ReplaySockets(context.settings().intValue(Setting.UDP_RECEIVE_RING_CAPACITY));
        comparator = new ReplayComparator(header, sockets, this::injectCommands, options.keepGoing());
        final CountersManager counters = InMemoryCounters.newManager();
        wire = wireFactory == null ? new DirectReplayWire(header.deviceName(), header.interfaceConfig().macAddress(),
            header.mtu(), comparator::recordedTransmitResult) : wireFactory.create(header, counters);
        clock.update(header.clockOriginNs());
        engine = new Engine(context
            .nanoClock(clock)
            .tap(comparator)
            .device(header.hasDevice() ? wire.device() : null)
            .countersManager(counters));
        sockets.tcpBoard(engine.tcp().board());
    }

    /**
     * Replay the journal in {@code directory}, opened and closed here.
     *
     * @param wireFactory the device to replay through, or {@code null} for the journal's own.
     */
    public static ReplayReport replay(final Path directory, final ReplayWire.Factory wireFactory)
    {
        try (JournalReader reader = JournalReader.open(directory))
        {
            return replay(reader, wireFactory);
        }
    }

    /**
     * Replay a journal.
     *
     * @param wireFactory the device to replay through, or {@code null} for the journal's own
     *                    ({@link ReplayWire}: frames fed where they lie, transmit results as recorded).
     */
    public static ReplayReport replay(final JournalReader reader, final ReplayWire.Factory wireFactory)
    {
        return replay(reader, wireFactory, Options.DEFAULT);
    }

    /**
     * Replay a journal as far as {@code options} say.
     *
     * @param wireFactory the device to replay through, or {@code null} for the journal's own.
     */
    public static ReplayReport replay(
        final JournalReader reader, final ReplayWire.Factory wireFactory, final Options options)
    {
        final Replayer replayer = new Replayer(reader.header(), wireFactory, options);
        try
        {
            final ReadResult result = reader.read(replayer::onRecord);
            if (result.intact() && replayer.problem == null && !replayer.comparator.mustStop())
            {
                replayer.runCycle(!result.closed());
            }
            return replayer.report(result);
        }
        finally
        {
            replayer.engine.onClose();
            replayer.wire.close();
        }
    }

    private boolean onRecord(final JournalRecord record)
    {
        final int type = record.type();
        if ((type == JournalFormat.CYCLE || type == JournalFormat.IDLE) &&
            record.timestampNs() - header.clockOriginNs() > options.untilNs())
        {
            stoppedAfter = record.sequence() - 1;
            return false;
        }
        switch (type)
        {
            case JournalFormat.SESSION:
            case JournalFormat.NOTE:
                break;
            case JournalFormat.CYCLE:
                runCycle(false);
                cycle.begin(record.timestampNs(), record.sequence());
                break;
            case JournalFormat.IDLE:
                runCycle(false);
                runIdleCycles(record);
                break;
            case JournalFormat.END:
                runCycle(false);
                break;
            case JournalFormat.LOSS:
                problem = "the journal lost " + record.lostCount() + " records at record " + record.sequence() +
                    " (tap policy DROP): a lossy journal cannot be replayed";
                break;
            default:
                if (cycle.isOpen())
                {
                    cycle.add(record);
                }
                else
                {
                    problem = "record " + record.sequence() + " (" + JournalFormat.typeName(record.type()) +
                        ") is outside any duty cycle";
                }
                break;
        }
        return problem == null && !comparator.mustStop() && record.sequence() < options.untilRecord();
    }

    /**
     * Feed the open cycle's device frames to the wire, run the cycle (its commands are carried out as it begins),
     * and check its outputs.
     *
     * @param lenientTail the journal's tail was cut inside this cycle: compare only as far as it goes.
     */
    private void runCycle(final boolean lenientTail)
    {
        if (!cycle.isOpen())
        {
            return;
        }
        cycle.close();
        for (int i = 0, size = cycle.size(); i < size && problem == null; i++)
        {
            cycle.wrap(i, input);
            if (input.type() == JournalFormat.RX_FRAME && input.interfaceId() == EngineTap.INTERFACE_DEVICE)
            {
                wire.deliver(input.buffer(), input.frameOffset(), input.frameLength(), input.offloads());
                deviceFrames++;
            }
        }
        if (problem == null)
        {
            runEngine(cycle.timeNs(), lenientTail);
        }
    }

    /**
     * The replayed engine has begun a duty cycle: carry out the commands recorded in it, in order, and ring the TCP
     * doorbells recorded in it, which the engine takes after its commands as it did when recording.
     */
    private void injectCommands()
    {
        if (cycle.commands() == 0)
        {
            return;
        }
        for (int i = 0, size = cycle.size(); i < size; i++)
        {
            cycle.wrap(i, input);
            if (input.type() == JournalFormat.COMMAND)
            {
                carryOut(input.operation(), input.buffer().getInt(input.messageOffset() + Command.SLOT_OFFSET));
                commands++;
            }
        }
    }

    /**
     * Carry out the command {@link #input} holds, or ring its doorbell.
     */
    private void carryOut(final int operation, final int slot)
    {
        if (operation == Command.TCP_RING_MOVED)
        {
            sockets.ringDoorbell(slot);
        }
        else
        {
            UdpEndpoint endpoint = null;
            if (operation == Command.UDP_OPEN)
            {
                endpoint = sockets.open(slot);
            }
            else if (operation == Command.UDP_CLOSE)
            {
                sockets.close(slot);
            }
            engine.injectCommand(operation, cycle.buffer(), input.messageOffset(), input.messageLength(), endpoint);
        }
    }

    private void runIdleCycles(final JournalRecord record)
    {
        for (idleCycles.wrap(record); idleCycles.next() && !comparator.mustStop() && problem == null; )
        {
            cycle.begin(idleCycles.timeNs(), record.sequence());
            cycle.close();
            runEngine(idleCycles.timeNs(), false);
        }
    }

    private void runEngine(final long timeNs, final boolean lenientTail)
    {
        clock.update(timeNs);
        comparator.begin(cycle, lenientTail);
        try
        {
            engine.doWork();
        }
        catch (final RuntimeException ex)
        {
            problem = "the replayed engine failed in the cycle of record " + cycle.sequence() + ": " + ex;
        }
        comparator.end();
        wire.drain();
        cycles++;
    }

    private ReplayReport report(final ReadResult result)
    {
        final String failure = !result.intact() ? "journal " + result.problem() : problem;
        return new ReplayReport(cycles, deviceFrames, commands, comparator.outputs(), comparator.appDependent(),
            result.tailCut(), header.unknownSettings(), comparator.divergences(), comparator.divergenceCount(),
            result.stopped() && problem == null && !comparator.mustStop() ?
                (stoppedAfter >= 0 ? stoppedAfter : options.untilRecord()) : -1, failure);
    }
}
