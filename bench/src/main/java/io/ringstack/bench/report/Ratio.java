package io.ringstack.bench.report;

import java.util.Locale;

/**
 * How a figure reads against its peer's.
 */
public enum Ratio
{
    /** The figure divided by the peer's: how many times the peer it reaches. */
    TIMES
    {
        public double of(final double figure, final double peer)
        {
            return figure / peer;
        }

        public String format(final double ratio)
        {
            return Figures.significant(ratio) + "×";
        }
    },

    /**
     * What the figure loses against the peer's, in percent of the peer's: the cost of what the benchmark adds to
     * its peer, such as journaling.
     */
    COST
    {
        public double of(final double figure, final double peer)
        {
            return 100 * (peer - figure) / peer;
        }

        public String format(final double ratio)
        {
            return String.format(Locale.ROOT, "%.0f %%", ratio);
        }
    };

    /**
     * @param figure a throughput.
     * @param peer   the peer's throughput, in the same unit.
     * @return the ratio this reading gives.
     */
    public abstract double of(double figure, double peer);

    /**
     * @param ratio a ratio of this reading.
     * @return it as the report writes it.
     */
    public abstract String format(double ratio);
}
