package io.ringstack.config;

/**
 * The value of every {@link Setting}, defaults until set. Values are checked by {@link #validate()}, against each
 * setting's bounds and against each other; the layers read them when they are built, not per packet.
 */
public final class Settings
{
    private static final Setting[] SETTINGS = Setting.values();

    private final long[] values = new long[SETTINGS.length];
    private final boolean[] explicit = new boolean[SETTINGS.length];

    public Settings()
    {
        for (final Setting setting : SETTINGS)
        {
            values[setting.ordinal()] = setting.defaultValue();
        }
    }

    /**
     * Set a value; checked by {@link #validate()}.
     */
    public Settings set(final Setting setting, final long value)
    {
        values[setting.ordinal()] = value;
        explicit[setting.ordinal()] = true;
        return this;
    }

    public Settings set(final Setting setting, final boolean value)
    {
        return set(setting, value ? 1 : 0);
    }

    /**
     * Set a {@link Setting.Kind#CHOICE} by its constant: the value recorded is the ordinal.
     */
    public Settings set(final Setting setting, final Enum<?> choice)
    {
        return set(setting, choice.ordinal());
    }

    public long longValue(final Setting setting)
    {
        return values[setting.ordinal()];
    }

    public int intValue(final Setting setting)
    {
        return (int)values[setting.ordinal()];
    }

    public boolean flag(final Setting setting)
    {
        return values[setting.ordinal()] != 0;
    }

    /**
     * @return the chosen constant of a {@link Setting.Kind#CHOICE}, out of {@code choices} (its enum's values).
     */
    public <E extends Enum<E>> E choice(final Setting setting, final E[] choices)
    {
        return choices[(int)values[setting.ordinal()]];
    }

    /**
     * @return whether the setting was given a value, rather than left at its default.
     */
    public boolean isSet(final Setting setting)
    {
        return explicit[setting.ordinal()];
    }

    /**
     * Check every value against its bounds, then the rules between settings.
     *
     * @return {@code null} when every value is acceptable, else the first problem, naming its setting.
     */
    public String validate()
    {
        for (final Setting setting : SETTINGS)
        {
            final String problem = setting.check(values[setting.ordinal()]);
            if (problem != null)
            {
                return problem;
            }
        }
        final long rtoMin = longValue(Setting.TCP_RTO_MIN_NS);
        final long rtoInitial = longValue(Setting.TCP_RTO_INITIAL_NS);
        if (rtoMin > rtoInitial || rtoInitial > longValue(Setting.TCP_RTO_MAX_NS))
        {
            return "TCP RTOs must satisfy tcpRtoMinNs <= tcpRtoInitialNs <= tcpRtoMaxNs";
        }
        return null;
    }
}
