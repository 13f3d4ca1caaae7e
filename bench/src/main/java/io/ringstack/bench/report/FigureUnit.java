package io.ringstack.bench.report;

/**
 * The unit a figure is shown in, and how it comes from a JMH score: a throughput, or a latency.
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
    GIGABITS_PER_SECOND("Gbps", 8e-9),
    /** A latency: the figure is a time per operation, not a rate. */
    MICROSECONDS("µs", 1e6);

    private final String label;
    private final double factor;

    FigureUnit(final String label, final double factor)
    {
        this.label = label;
        this.factor = factor;
    }

    /**
     * @return the unit as the report writes it after a figure.
     */
    public String label()
    {
        return label;
    }

    /**
     * @return whether figures in this unit are latencies, where less is better.
     */
    public boolean isLatency()
    {
        return MICROSECONDS == this;
    }

    /**
     * @param result a throughput result, or a time per operation for a latency.
     * @param value  a value in the result's unit: its score, its error or a percentile.
     * @return the value in this unit.
     */
    public double of(final JmhResult result, final double value)
    {
        return (isLatency() ? result.secondsPerOp(value) : result.perSecond(value)) * factor;
    }
}
