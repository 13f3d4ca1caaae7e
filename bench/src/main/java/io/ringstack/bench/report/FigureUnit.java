package io.ringstack.bench.report;

/**
 * The unit a figure is shown in, and how it comes from a JMH throughput score.
 */
public enum FigureUnit
{
    /** One operation is one frame. */
    FRAMES_PER_SECOND("M frames/s", 1e-6),
    /** One operation is one journal record. */
    RECORDS_PER_SECOND("M records/s", 1e-6),
    /** One operation is one request answered. */
    ROUND_TRIPS_PER_SECOND("k round trips/s", 1e-3),
    /** One operation is one request written and its response read back. */
    TRANSACTIONS_PER_SECOND("k transactions/s", 1e-3),
    /** One operation is one byte. */
    GIGABITS_PER_SECOND("Gbps", 8e-9);

    private final String label;
    private final double perOpPerSecond;

    FigureUnit(final String label, final double perOpPerSecond)
    {
        this.label = label;
        this.perOpPerSecond = perOpPerSecond;
    }

    /**
     * @return the unit as the report writes it after a figure.
     */
    public String label()
    {
        return label;
    }

    /**
     * @param result a throughput result.
     * @param value  a value in the result's unit: its score, its error or a percentile.
     * @return the value in this unit.
     */
    public double of(final JmhResult result, final double value)
    {
        return result.perSecond(value) * perOpPerSecond;
    }
}
