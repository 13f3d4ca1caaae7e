package io.ringstack.stack;

import io.ringstack.phy.NetworkDevice;
import org.agrona.concurrent.NanoClock;
import org.agrona.concurrent.SystemNanoClock;
import org.agrona.concurrent.status.CountersManager;

import java.util.concurrent.TimeUnit;

/**
 * Everything an {@link Engine} is built from, with defaults. Set what differs, then hand it to the engine, which
 * calls {@link #conclude()} to check it.
 */
public final class EngineContext
{
    /**
     * Smallest ring that holds a whole frame: an Agrona ring's largest message is an eighth of its capacity, and a
     * 1514-byte frame with its header must fit.
     */
    public static final int MIN_FRAME_RING_CAPACITY = 16 * 1024;

    private String name = "engine";
    private InterfaceConfig interfaceConfig;
    private NetworkDevice device;
    private NanoClock nanoClock = SystemNanoClock.INSTANCE;
    private CountersManager countersManager;
    private int loopbackRingCapacity = 64 * 1024;
    private int commandRingCapacity = 256 * 1024;
    private int udpReceiveRingCapacity = 64 * 1024;
    private int maxSockets = 1024;
    private int arpCacheCapacity = 16;
    private int arpPendingCapacity = 16;
    private long arpRetryIntervalNs = TimeUnit.SECONDS.toNanos(1);
    private int arpMaxAttempts = 3;
    private long arpEntryLifetimeNs = TimeUnit.SECONDS.toNanos(60);
    private int frameBudget = 64;
    private long callTimeoutNs = TimeUnit.SECONDS.toNanos(10);
    private EngineTap tap = EngineTap.NONE;

    /**
     * Check the configuration.
     *
     * @throws IllegalStateException naming the first setting that is missing or out of range.
     */
    public EngineContext conclude()
    {
        require(interfaceConfig != null, "interfaceConfig is required");
        require(countersManager != null, "countersManager is required");
        require(isPowerOfTwo(loopbackRingCapacity) && loopbackRingCapacity >= MIN_FRAME_RING_CAPACITY,
            "loopbackRingCapacity must be a power of two of at least " + MIN_FRAME_RING_CAPACITY);
        require(isPowerOfTwo(commandRingCapacity), "commandRingCapacity must be a power of two");
        require(isPowerOfTwo(udpReceiveRingCapacity) && udpReceiveRingCapacity >= MIN_FRAME_RING_CAPACITY,
            "udpReceiveRingCapacity must be a power of two of at least " + MIN_FRAME_RING_CAPACITY);
        require(maxSockets > 0, "maxSockets must be positive");
        require(arpCacheCapacity > 0 && arpPendingCapacity > 0, "ARP capacities must be positive");
        require(arpMaxAttempts > 0 && arpRetryIntervalNs > 0, "ARP retries need a positive count and interval");
        require(frameBudget > 0, "frameBudget must be positive");
        require(callTimeoutNs > 0, "callTimeoutNs must be positive");
        require(tap != null, "tap must not be null; EngineTap.NONE records nothing");
        return this;
    }

    private static void require(final boolean condition, final String message)
    {
        if (!condition)
        {
            throw new IllegalStateException(message);
        }
    }

    private static boolean isPowerOfTwo(final int value)
    {
        return value > 0 && (value & (value - 1)) == 0;
    }

    /**
     * The engine's name: prefix of its counter labels and its agent's role name.
     */
    public EngineContext name(final String name)
    {
        this.name = name;
        return this;
    }

    public String name()
    {
        return name;
    }

    public EngineContext interfaceConfig(final InterfaceConfig interfaceConfig)
    {
        this.interfaceConfig = interfaceConfig;
        return this;
    }

    public InterfaceConfig interfaceConfig()
    {
        return interfaceConfig;
    }

    /**
     * The network device, or {@code null} for an engine that only has loopback.
     */
    public EngineContext device(final NetworkDevice device)
    {
        this.device = device;
        return this;
    }

    public NetworkDevice device()
    {
        return device;
    }

    /**
     * The clock read once per duty cycle. A {@link org.agrona.concurrent.CachedNanoClock} advanced by hand makes
     * a virtual clock for deterministic tests and replay.
     */
    public EngineContext nanoClock(final NanoClock nanoClock)
    {
        this.nanoClock = nanoClock;
        return this;
    }

    public NanoClock nanoClock()
    {
        return nanoClock;
    }

    /**
     * Where the engine allocates its counters: in memory, or in a counters file that other processes read.
     */
    public EngineContext countersManager(final CountersManager countersManager)
    {
        this.countersManager = countersManager;
        return this;
    }

    public CountersManager countersManager()
    {
        return countersManager;
    }

    public EngineContext loopbackRingCapacity(final int bytes)
    {
        loopbackRingCapacity = bytes;
        return this;
    }

    public int loopbackRingCapacity()
    {
        return loopbackRingCapacity;
    }

    public EngineContext commandRingCapacity(final int bytes)
    {
        commandRingCapacity = bytes;
        return this;
    }

    public int commandRingCapacity()
    {
        return commandRingCapacity;
    }

    public EngineContext udpReceiveRingCapacity(final int bytes)
    {
        udpReceiveRingCapacity = bytes;
        return this;
    }

    public int udpReceiveRingCapacity()
    {
        return udpReceiveRingCapacity;
    }

    public EngineContext maxSockets(final int maxSockets)
    {
        this.maxSockets = maxSockets;
        return this;
    }

    public int maxSockets()
    {
        return maxSockets;
    }

    public EngineContext arpCacheCapacity(final int entries)
    {
        arpCacheCapacity = entries;
        return this;
    }

    public int arpCacheCapacity()
    {
        return arpCacheCapacity;
    }

    public EngineContext arpPendingCapacity(final int frames)
    {
        arpPendingCapacity = frames;
        return this;
    }

    public int arpPendingCapacity()
    {
        return arpPendingCapacity;
    }

    public EngineContext arpRetryIntervalNs(final long intervalNs)
    {
        arpRetryIntervalNs = intervalNs;
        return this;
    }

    public long arpRetryIntervalNs()
    {
        return arpRetryIntervalNs;
    }

    /**
     * How many requests go out for one address before its queued frames are dropped as unresolved.
     */
    public EngineContext arpMaxAttempts(final int attempts)
    {
        arpMaxAttempts = attempts;
        return this;
    }

    public int arpMaxAttempts()
    {
        return arpMaxAttempts;
    }

    public EngineContext arpEntryLifetimeNs(final long lifetimeNs)
    {
        arpEntryLifetimeNs = lifetimeNs;
        return this;
    }

    public long arpEntryLifetimeNs()
    {
        return arpEntryLifetimeNs;
    }

    /**
     * Most frames taken from each source (device, loopback) in one duty cycle.
     */
    public EngineContext frameBudget(final int frames)
    {
        frameBudget = frames;
        return this;
    }

    public int frameBudget()
    {
        return frameBudget;
    }

    /**
     * How long an application call waits for the engine to answer, and the default socket timeout.
     */
    public EngineContext callTimeoutNs(final long timeoutNs)
    {
        callTimeoutNs = timeoutNs;
        return this;
    }

    public long callTimeoutNs()
    {
        return callTimeoutNs;
    }

    /**
     * Where the engine reports its inputs and outputs, e.g. the journal's tap ring.
     */
    public EngineContext tap(final EngineTap tap)
    {
        this.tap = tap;
        return this;
    }

    public EngineTap tap()
    {
        return tap;
    }
}
