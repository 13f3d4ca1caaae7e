package io.ringstack.bench.report;

/**
 * A goal a benchmark's figure or ratio must reach.
 *
 * @param measure what the bound applies to.
 * @param atLeast whether the value must be at least the bound (otherwise at most).
 * @param bound   the bound: in the figure's unit, or as its ratio to the peer reads.
 */
public record Target(Measure measure, boolean atLeast, double bound)
{
    /**
     * What a target bounds.
     */
    public enum Measure
    {
        /** The figure itself, in its unit. */
        FIGURE,
        /** The figure's ratio to its peer, as the entry's {@link Ratio} reads it. */
        RATIO
    }

    /**
     * @param figure the least figure, in the entry's unit.
     * @return a target on the figure.
     */
    public static Target figureAtLeast(final double figure)
    {
        return new Target(Measure.FIGURE, true, figure);
    }

    /**
     * @param figure the greatest figure, in the entry's unit: a latency.
     * @return a target on the figure.
     */
    public static Target figureAtMost(final double figure)
    {
        return new Target(Measure.FIGURE, false, figure);
    }

    /**
     * @param ratio the least ratio to the peer.
     * @return a target on the ratio.
     */
    public static Target ratioAtLeast(final double ratio)
    {
        return new Target(Measure.RATIO, true, ratio);
    }

    /**
     * @param ratio the greatest ratio to the peer (a cost, in percent).
     * @return a target on the ratio.
     */
    public static Target ratioAtMost(final double ratio)
    {
        return new Target(Measure.RATIO, false, ratio);
    }

    /**
     * @param value the figure or ratio this target bounds.
     * @return whether the value reaches the bound.
     */
    public boolean isMetBy(final double value)
    {
        return atLeast ? value >= bound : value <= bound;
    }

    /**
     * @return the comparison as the report writes it, {@code ≥} or {@code ≤}.
     */
    public String comparison()
    {
        return atLeast ? "≥" : "≤";
    }
}
