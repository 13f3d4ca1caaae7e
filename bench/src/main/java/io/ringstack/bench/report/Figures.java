package io.ringstack.bench.report;

import java.math.BigDecimal;
import java.math.MathContext;

/**
 * How the report writes numbers: three significant digits, no exponent.
 */
final class Figures
{
    private static final MathContext THREE_DIGITS = new MathContext(3);

    private Figures()
    {
    }

    /**
     * @param value any number.
     * @return the value to three significant digits ({@code 8.01}, {@code 46.3}, {@code 0.00364}, {@code 1230}),
     * or {@code ?} when it is not a number.
     */
    static String significant(final double value)
    {
        if (!Double.isFinite(value))
        {
            return "?";
        }
        return new BigDecimal(value).round(THREE_DIGITS).stripTrailingZeros().toPlainString();
    }
}
