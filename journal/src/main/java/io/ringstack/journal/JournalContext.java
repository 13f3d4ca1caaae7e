package io.ringstack.journal;

import org.agrona.concurrent.BackoffIdleStrategy;
import org.agrona.concurrent.IdleStrategy;

import java.nio.file.Path;

/**
 * Everything a {@link Journal} is built from, with defaults. Set what differs, then hand it to
 * {@link Journal#attach}, which calls {@link #conclude()} to check it.
 */
public final class JournalContext
{
    /** Default bytes of the tap ring: a few milliseconds of 64-byte frames at full rate. */
    public static final int DEFAULT_TAP_RING_CAPACITY = 8 * 1024 * 1024;
    /** Default largest batch, the bytes of records the agent puts in one Chronicle document. */
    public static final int DEFAULT_BATCH_CAPACITY = 256 * 1024;
    /** The smallest tap ring; {@link Journal#attach} also checks that it holds the engine's largest command. */
    public static final int MIN_TAP_RING_CAPACITY = 64 * 1024;
    /** {@link #epochOffsetNs()} default: measured when the journal is attached. */
    public static final long MEASURE_EPOCH_OFFSET = Long.MIN_VALUE;

    private Path directory;
    private int tapRingCapacity = DEFAULT_TAP_RING_CAPACITY;
    private int batchCapacity = DEFAULT_BATCH_CAPACITY;
    private TapPolicy policy = TapPolicy.BLOCK;
    private boolean dedicatedAgent = true;
    private IdleStrategy agentIdleStrategy = new BackoffIdleStrategy();
    private String profile = "unspecified";
    private long epochOffsetNs = MEASURE_EPOCH_OFFSET;

    /**
     * Check the configuration.
     *
     * @throws IllegalStateException naming the first setting that is missing or out of range.
     */
    public JournalContext conclude()
    {
        require(directory != null, "directory is required");
        require(tapRingCapacity >= MIN_TAP_RING_CAPACITY && (tapRingCapacity & (tapRingCapacity - 1)) == 0,
            "tapRingCapacity must be a power of two of at least " + MIN_TAP_RING_CAPACITY);
        require(batchCapacity >= JournalFormat.BATCH_HEADER_LENGTH + JournalFormat.RECORD_HEADER_LENGTH,
            "batchCapacity is too small for one record");
        require(policy != null, "policy is required");
        require(agentIdleStrategy != null, "agentIdleStrategy is required");
        require(profile != null, "profile is required");
        return this;
    }

    private static void require(final boolean condition, final String message)
    {
        if (!condition)
        {
            throw new IllegalStateException(message);
        }
    }

    /**
     * The journal's directory: created if missing, and it must be empty; one directory holds one session.
     */
    public JournalContext directory(final Path directory)
    {
        this.directory = directory;
        return this;
    }

    public Path directory()
    {
        return directory;
    }

    /**
     * Bytes of the off-heap ring between the engine thread and the journal agent, a power of two.
     */
    public JournalContext tapRingCapacity(final int bytes)
    {
        tapRingCapacity = bytes;
        return this;
    }

    public int tapRingCapacity()
    {
        return tapRingCapacity;
    }

    /**
     * Most bytes of records per Chronicle document; a record larger than this gets a document of its own.
     */
    public JournalContext batchCapacity(final int bytes)
    {
        batchCapacity = bytes;
        return this;
    }

    public int batchCapacity()
    {
        return batchCapacity;
    }

    public JournalContext policy(final TapPolicy policy)
    {
        this.policy = policy;
        return this;
    }

    public TapPolicy policy()
    {
        return policy;
    }

    /**
     * {@code true} (default) to run the journal agent on its own thread; {@code false} for embedded mode, where
     * the application calls {@link Journal#doWork()} alongside the engine's duty cycle (and the tap runs the agent
     * itself when its ring is full).
     */
    public JournalContext dedicatedAgent(final boolean dedicatedAgent)
    {
        this.dedicatedAgent = dedicatedAgent;
        return this;
    }

    public boolean dedicatedAgent()
    {
        return dedicatedAgent;
    }

    /**
     * How the dedicated agent thread idles when the tap ring is empty.
     */
    public JournalContext agentIdleStrategy(final IdleStrategy idleStrategy)
    {
        agentIdleStrategy = idleStrategy;
        return this;
    }

    public IdleStrategy agentIdleStrategy()
    {
        return agentIdleStrategy;
    }

    /**
     * The platform profile recorded in the session header, e.g. {@code "x86_64/e1000"}.
     */
    public JournalContext profile(final String profile)
    {
        this.profile = profile;
        return this;
    }

    public String profile()
    {
        return profile;
    }

    /**
     * What to add to an engine timestamp to get wall-clock nanoseconds since 1970; by default measured when the
     * journal is attached. 0 when the engine clock already is wall-clock time, as when importing a capture.
     */
    public JournalContext epochOffsetNs(final long offsetNs)
    {
        epochOffsetNs = offsetNs;
        return this;
    }

    public long epochOffsetNs()
    {
        return epochOffsetNs;
    }
}
