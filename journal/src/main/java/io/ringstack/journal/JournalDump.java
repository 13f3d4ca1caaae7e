package io.ringstack.journal;

import java.io.PrintWriter;

/**
 * {@code ringstack journal dump}: one line per record ({@link RecordFormatter}), received frames with their verdicts
 * ({@link VerdictPairing}), those the {@link RecordFilter} keeps, each frame's bytes after it in hex ({@link HexView})
 * when asked, and after the session header the versions and settings it recorded. The read begins where a seek finds
 * the filter's first record or time, and stops after the last record its range, time window or count takes. A read of
 * the whole journal is checked on its read-ahead thread ({@link JournalReader#readCheckedAhead}).
 */
public final class JournalDump
{
    /** Records between checks of the output for an error: a check flushes it. */
    private static final int ERROR_CHECK_INTERVAL = 1024;
    /** Bytes of lines gathered before they are handed to the output in one write. */
    private static final int OUTPUT_BYTES = 64 * 1024;
    private static final String LINE_SEPARATOR = System.lineSeparator();

    private JournalDump()
    {
    }

    /**
     * @return how the read went; the lines printed are counted in nothing but the output.
     */
    public static ReadResult write(final JournalReader reader, final RecordFilter filter, final PrintWriter out)
    {
        return write(reader, filter, false, out);
    }

    /**
     * @param hex print each frame's bytes in hex after its line.
     * @return how the read went; the lines printed are counted in nothing but the output.
     */
    public static ReadResult write(
        final JournalReader reader, final RecordFilter filter, final boolean hex, final PrintWriter out)
    {
        return write(reader, filter, hex, out, null);
    }

    /**
     * @param hex    print each frame's bytes in hex after its line.
     * @param follow at the end of the journal, wait for more records as {@code tail -f} does, or {@code null} to end
     *               there.
     * @return how the read went; the lines printed are counted in nothing but the output.
     */
    public static ReadResult write(
        final JournalReader reader, final RecordFilter filter, final boolean hex, final PrintWriter out,
        final Follow follow)
    {
        final ReadResult result = write(reader, filter, hex, new Lines()
        {
            public void drain(final TextBuffer lines)
            {
                lines.drainTo(out);
            }

            public boolean failed()
            {
                return out.checkError();
            }
        }, follow);
        out.flush();
        return result;
    }

    /**
     * The dump as bytes, in UTF-8, the fastest way: no characters to encode, and the output written by a thread of
     * its own ({@link TextOutput}), which the caller closes.
     *
     * @param hex print each frame's bytes in hex after its line.
     * @return how the read went; the lines printed are counted in nothing but the output.
     */
    public static ReadResult write(
        final JournalReader reader, final RecordFilter filter, final boolean hex, final TextOutput out)
    {
        return write(reader, filter, hex, new Lines()
        {
            public void drain(final TextBuffer lines)
            {
                lines.drainTo(out);
            }

            public boolean failed()
            {
                return out.checkError();
            }
        }, null);
    }

    /**
     * Where a dump's lines go, a block of whole lines at a time.
     */
    private interface Lines
    {
        /**
         * Hand the lines on and empty {@code lines}.
         */
        void drain(TextBuffer lines);

        /**
         * @return whether the output has failed (e.g. a closed pipe): drains what is gathered first.
         */
        boolean failed();
    }

    private static ReadResult write(
        final JournalReader reader, final RecordFilter filter, final boolean hex, final Lines out,
        final Follow follow)
    {
        final TextBuffer lines = new TextBuffer(OUTPUT_BYTES + OUTPUT_BYTES / 4);
        final SessionHeader header = reader.header();
        final RecordFormatter formatter = new RecordFormatter(header);
        final FrameSummary frame = new FrameSummary();
        final long[] cycleNs = { header.clockOriginNs() };
        final long[] records = { 0 };
        final long[] shown = { 0 };
        final VerdictPairing pairing = new VerdictPairing((record) ->
        {
            if (record.hasTimestamp())
            {
                cycleNs[0] = record.timestampNs();
            }
            final long sinceOriginNs = cycleNs[0] - header.clockOriginNs();
            final boolean isFrame = record.type() == JournalFormat.RX_FRAME || record.type() == JournalFormat.TX_FRAME;
            final FrameSummary summary = isFrame ?
                frame.parse(record.buffer(), record.frameOffset(), record.frameLength()) : null;
            if (filter.matches(record, sinceOriginNs, summary, header))
            {
                shown[0]++;
                formatter.appendLine(lines, record, summary).append(LINE_SEPARATOR);
                if (record.type() == JournalFormat.SESSION)
                {
                    printSession(header, lines);
                }
                if (hex && isFrame)
                {
                    HexView.append(lines, record.buffer(), record.frameOffset(), record.frameLength());
                }
                if (lines.length() >= OUTPUT_BYTES || follow != null)
                {
                    out.drain(lines);
                }
            }
            if (++records[0] % ERROR_CHECK_INTERVAL != 0)
            {
                return !filter.isPast(record, sinceOriginNs) && shown[0] < filter.limit();
            }
            out.drain(lines);
            return !filter.isPast(record, sinceOriginNs) && shown[0] < filter.limit() && !out.failed();
        });
        final JournalPosition start = start(reader, filter);
        final ReadResult result = follow != null ? reader.follow(pairing, start, follow) :
            filter.isBounded() ? reader.read(pairing, start, false) : reader.readCheckedAhead(pairing, start);
        pairing.finish();
        out.drain(lines);
        return result;
    }

    /**
     * @return where the filter's first record lies: found by a seek ({@link JournalReader#seekRecord},
     * {@link JournalReader#seekTime}) rather than by reading every record before it.
     */
    private static JournalPosition start(final JournalReader reader, final RecordFilter filter)
    {
        if (filter.fromRecord() > 0)
        {
            return reader.seekRecord(filter.fromRecord());
        }
        return filter.fromNs() > 0 ? reader.seekTime(filter.fromNs()) : JournalPosition.START;
    }

    /**
     * After the session header's line: the versions that wrote the journal and every recorded setting, one line
     * each, indented by a tab as a frame's hex is.
     */
    private static void printSession(final SessionHeader header, final TextBuffer lines)
    {
        lines.append("\tversions: ").append(header.versions()).append(LINE_SEPARATOR);
        for (final String setting : header.settingLines())
        {
            lines.append("\tsetting ").append(setting).append(LINE_SEPARATOR);
        }
    }
}
