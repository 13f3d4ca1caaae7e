package io.ringstack.bench.report;

import io.ringstack.bench.UdpLatency;

/**
 * One row of an area's table: a catalogue entry, what became of it in the run, and its result and its peer's.
 *
 * @param entry      the catalogue entry.
 * @param status     whether it ran and gave a result.
 * @param result     its result, {@code null} unless measured.
 * @param peerResult its peer's result, {@code null} without a peer or when the peer gave none.
 */
public record Row(CatalogueEntry entry, Status status, JmhResult result, JmhResult peerResult)
{
    /**
     * What became of a catalogue entry in a run.
     */
    public enum Status
    {
        /** It ran and gave a result. */
        MEASURED("measured"),
        /** It was selected, but gave no result: it failed its own checks or could not start. */
        FAILED("failed"),
        /** It was not selected. */
        NOT_RUN("not run");

        private final String text;

        Status(final String text)
        {
            this.text = text;
        }

        /**
         * @return the status as the report writes it.
         */
        public String text()
        {
            return text;
        }
    }

    /**
     * @return the figure, in the entry's unit.
     */
    public double figure()
    {
        return entry.unit().of(result, result.score());
    }

    /**
     * @return the figure's error, in the entry's unit; NaN when JMH gave none.
     */
    public double error()
    {
        return entry.unit().of(result, result.scoreError());
    }

    /**
     * @return whether the peer's figure is there to compare with.
     */
    public boolean hasPeerFigure()
    {
        return null != peerResult;
    }

    /**
     * @return the peer's figure, in the entry's unit.
     */
    public double peerFigure()
    {
        return entry.unit().of(peerResult, peerResult.score());
    }

    /**
     * @return the rate the path reached, requests/s, when the result comes at an offered load; NaN otherwise.
     */
    public double achievedRate()
    {
        return result.secondary(UdpLatency.RATE_ACHIEVED);
    }

    /**
     * @return the offered load, requests/s, when the result comes at one; NaN otherwise.
     */
    public double offeredRate()
    {
        return result.secondary(UdpLatency.RATE_OFFERED);
    }

    /**
     * @return whether the path kept up with the load offered to it, or was offered none.
     */
    public boolean reachedOfferedRate()
    {
        return Double.isNaN(offeredRate()) || achievedRate() >= UdpLatency.REACHED * offeredRate();
    }

    /**
     * @return the figure's ratio to the peer's, as the entry reads it; NaN unless both were measured.
     */
    public double ratio()
    {
        return Status.MEASURED == status && hasPeerFigure() ? entry.ratio().of(figure(), peerFigure()) : Double.NaN;
    }
}
