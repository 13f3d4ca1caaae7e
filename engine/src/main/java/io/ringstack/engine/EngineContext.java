package io.ringstack.engine;

import io.ringstack.config.Setting;
import io.ringstack.config.Settings;
import io.ringstack.iface.InterfaceConfig;
import io.ringstack.phy.NetworkDevice;
import java.security.SecureRandom;
import org.agrona.concurrent.NanoClock;
import org.agrona.concurrent.SystemNanoClock;
import org.agrona.concurrent.status.CountersManager;

/**
 * Everything an {@link Engine} is built from: the collaborators it is given (interface, device, clock, counters,
 * tap) and the values of every {@link Setting}, each declared once with its default and bounds. Set what differs,
 * then hand it to the engine, which calls {@link #conclude()} to check it.
 * <pre>
 *   new EngineContext()
 *       .interfaceConfig(InterfaceConfig.parse("10.0.2.15/24", "10.0.2.2", mac))
 *       .set(Setting.TCP_NAGLE, false)
 *       .set(Setting.TCP_CONGESTION_CONTROL, TcpCongestionAlgorithm.NEW_RENO);
 * </pre>
 */
public final class EngineContext
{
    private final Settings settings = new Settings();
    private String name = "engine";
    private InterfaceConfig interfaceConfig;
    private NetworkDevice device;
    private NanoClock nanoClock = SystemNanoClock.INSTANCE;
    private CountersManager countersManager;
    private EngineTap tap = EngineTap.NONE;

    /**
     * Check the configuration. The TCP ISN secret is drawn at random unless both halves were set.
     *
     * @throws IllegalStateException naming the first setting that is missing or out of range.
     */
    public EngineContext conclude()
    {
        require(interfaceConfig != null, "interfaceConfig is required");
        require(countersManager != null, "countersManager is required");
        require(tap != null, "tap must not be null; EngineTap.NONE records nothing");
        final String problem = settings.validate();
        require(problem == null, problem);
        if (!settings.isSet(Setting.TCP_ISN_KEY_0) || !settings.isSet(Setting.TCP_ISN_KEY_1))
        {
            final SecureRandom random = new SecureRandom();
            settings.set(Setting.TCP_ISN_KEY_0, random.nextLong()).set(Setting.TCP_ISN_KEY_1, random.nextLong());
        }
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
     * @return the value of every setting.
     */
    public Settings settings()
    {
        return settings;
    }

    public EngineContext set(final Setting setting, final long value)
    {
        settings.set(setting, value);
        return this;
    }

    public EngineContext set(final Setting setting, final boolean value)
    {
        settings.set(setting, value);
        return this;
    }

    /**
     * Set a {@link Setting.Kind#CHOICE} by its constant, e.g.
     * {@code set(Setting.TCP_CONGESTION_CONTROL, TcpCongestionAlgorithm.CUBIC)}.
     */
    public EngineContext set(final Setting setting, final Enum<?> choice)
    {
        settings.set(setting, choice);
        return this;
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
