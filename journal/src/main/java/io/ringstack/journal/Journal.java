package io.ringstack.journal;

import io.ringstack.config.Setting;
import io.ringstack.engine.EngineContext;
import java.nio.file.Path;
import java.time.Instant;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongFunction;
import net.openhft.chronicle.queue.ChronicleQueue;
import org.agrona.CloseHelper;
import org.agrona.concurrent.AgentInvoker;
import org.agrona.concurrent.AgentRunner;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * A journal recording one engine: the {@link JournalTap} the engine writes to, the off-heap {@link TapLog} between
 * them, and the {@link JournalAgent} that moves records into Chronicle Queue in the journal's directory.
 * <pre>{@code
 * EngineContext context = new EngineContext().name("guest").interfaceConfig(config).device(device);
 * try (Journal journal = Journal.attach(context, new JournalContext().directory(dir).profile("x86_64/e1000"));
 *      Ringstack stack = Ringstack.launch(context, true, null))
 * {
 *     ...
 * }   // the engine stops first, then the journal drains and writes its END record
 * }</pre>
 * Attach before the engine is built: the journal sets the context's tap and wraps its clock, and completes the
 * session header from the context when the engine, being built, first reads that clock. Close the journal after the
 * engine has stopped.
 */
public final class Journal implements AutoCloseable
{
    private final Path directory;
    private final ChronicleQueue queue;
    private final JournalTap tap;
    private final JournalAgent agent;
    private final AgentRunner runner;
    private final AgentInvoker invoker;
    private final AtomicLong lostRecords;
    private final Runnable headerIfNoEngine;
    private boolean closed;

    private Journal(
        final Path directory,
        final ChronicleQueue queue,
        final JournalTap tap,
        final JournalAgent agent,
        final boolean dedicated,
        final JournalContext context,
        final AtomicLong lostRecords,
        final Runnable headerIfNoEngine)
    {
        this.directory = directory;
        this.queue = queue;
        this.tap = tap;
        this.agent = agent;
        this.lostRecords = lostRecords;
        this.headerIfNoEngine = headerIfNoEngine;
        if (dedicated)
        {
            runner = new AgentRunner(context.agentIdleStrategy(), agent::fail, null, agent);
            invoker = null;
            AgentRunner.startOnThread(runner);
        }
        else
        {
            runner = null;
            invoker = new AgentInvoker(agent::fail, null, agent);
            invoker.start();
        }
    }

    /**
     * Start a journal for the engine that {@code engineContext} will build: sets the context's tap and wraps its
     * clock.
     *
     * @throws JournalException when the directory cannot be created or is not empty.
     */
    public static Journal attach(final EngineContext engineContext, final JournalContext context)
    {
        context.conclude();
        if (engineContext.interfaceConfig() == null)
        {
            throw new IllegalStateException("configure the engine context's interface before attaching a journal");
        }
        final TapLog log = new TapLog(context.tapRingCapacity());
        final int commandRingCapacity = engineContext.settings().intValue(Setting.COMMAND_RING_CAPACITY);
        final int commandBody = JournalFormat.COMMAND_MESSAGE_OFFSET + commandRingCapacity / 8;
        if (commandBody > log.maxBodyLength())
        {
            throw new IllegalStateException("tapRingCapacity " + context.tapRingCapacity() +
                " cannot hold the largest command of a " + commandRingCapacity + "-byte command ring");
        }
        final ChronicleQueue queue = QueueFiles.create(context.directory());
        final AtomicLong lostRecords = new AtomicLong();
        final JournalWriter writer = new JournalWriter(queue, Math.max(context.batchCapacity(),
            JournalFormat.BATCH_HEADER_LENGTH + JournalFormat.RECORD_HEADER_LENGTH + log.maxBodyLength()));
        final JournalAgent agent = new JournalAgent("journal-" + engineContext.name(), log, writer, lostRecords);
        final boolean dedicated = context.dedicatedAgent();
        final JournalTap tap = new JournalTap(log, context.policy(), agent, !dedicated, lostRecords);

        final Instant now = Instant.now();
        final long attachNs = engineContext.nanoClock().nanoTime();
        final long epochOffsetNs = context.epochOffsetNs() == JournalContext.MEASURE_EPOCH_OFFSET ?
            TimeUnit.SECONDS.toNanos(now.getEpochSecond()) + now.getNano() - attachNs : context.epochOffsetNs();
        final LongFunction<UnsafeBuffer> header = (originNs) -> encode(SessionHeader.of(
            engineContext, context.profile(), context.policy(), originNs, epochOffsetNs));
        final SessionClock clock = new SessionClock(
            engineContext.nanoClock(), (originNs) -> tap.sessionHeader(header.apply(originNs)));
        engineContext.tap(tap).nanoClock(clock);
        final Runnable headerIfNoEngine = () ->
        {
            if (!clock.hasOrigin())
            {
                tap.sessionHeader(header.apply(attachNs));
            }
        };
        return new Journal(context.directory(), queue, tap, agent, dedicated, context, lostRecords, headerIfNoEngine);
    }

    private static UnsafeBuffer encode(final SessionHeader header)
    {
        final UnsafeBuffer encoded = new UnsafeBuffer(new byte[header.encodedLength()]);
        header.encode(encoded, 0);
        return encoded;
    }

    public Path directory()
    {
        return directory;
    }

    public JournalTap tap()
    {
        return tap;
    }

    /**
     * Embedded mode: move what the tap log holds into the queue. Call it alongside the engine's duty cycle.
     *
     * @return records moved.
     */
    public int doWork()
    {
        if (invoker == null)
        {
            throw new IllegalStateException("the journal agent runs on its own thread; doWork() is for embedded mode");
        }
        return invoker.invoke();
    }

    /**
     * @return records lost because the tap log was full under {@link TapPolicy#DROP} ({@code journal_lost}).
     */
    public long lostRecords()
    {
        return lostRecords.get();
    }

    /**
     * Flush the tap, drain the log, write the END record and close the queue. The engine must have stopped.
     *
     * @throws JournalException when the agent failed to write (the journal is then cut at the failure).
     */
    public void close()
    {
        if (!closed)
        {
            closed = true;
            headerIfNoEngine.run();
            tap.flush();
            CloseHelper.closeAll(runner, invoker);
            queue.close();
            final Throwable failure = agent.failure();
            if (failure != null)
            {
                throw new JournalException("journal " + directory + " failed: " + failure, failure);
            }
        }
    }
}
