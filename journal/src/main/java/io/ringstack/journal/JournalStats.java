package io.ringstack.journal;

import io.ringstack.engine.EngineTap;
import io.ringstack.iface.TxResult;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * {@code ringstack journal stats}: what a journal holds, counted in one pass. Records by type; received frames by
 * interface, delivered and dropped by reason; transmitted frames and failed transmits by error; commands by
 * operation; duty cycles; and throughput over time, one {@link Interval} per stretch of the session that saw
 * frames.
 */
public final class JournalStats
{
    private final SessionHeader header;
    private final long intervalNs;
    private final long[] recordsByType = new long[JournalFormat.LAST_TYPE + 1];
    private final long[] rxFrames = new long[2];
    private final long[] txFrames = new long[2];
    private final Map<String, Long> drops = new TreeMap<>();
    /** Drops by the drop reason index a verdict holds, while reading; named in {@link #drops} once read. */
    private final long[] dropsByReason;
    private final Map<String, Long> txFailures = new TreeMap<>();
    private final Map<String, Long> commands = new TreeMap<>();
    private final List<Interval> intervals = new ArrayList<>();
    private long delivered;
    private long cycles;
    private long rxBytes;
    private long txBytes;
    private long firstNs = Long.MAX_VALUE;
    private long lastNs = Long.MIN_VALUE;
    private ReadResult result;
    private boolean inInterval;
    private long intervalStartNs;
    private long intervalRxFrames;
    private long intervalTxFrames;
    private long intervalRxBytes;
    private long intervalTxBytes;

    /**
     * Throughput in one interval of the session.
     *
     * @param startNs  the interval's start, since the clock origin.
     * @param rxFrames frames received in it.
     * @param txFrames frames transmitted in it.
     * @param rxBytes  bytes received.
     * @param txBytes  bytes transmitted.
     */
    public record Interval(long startNs, long rxFrames, long txFrames, long rxBytes, long txBytes)
    {
    }

    private JournalStats(final SessionHeader header, final long intervalNs)
    {
        this.header = header;
        this.intervalNs = intervalNs;
        dropsByReason = new long[header.dropReasons().size()];
    }

    /**
     * Read the whole journal and count.
     *
     * @param intervalNs the width of each throughput interval.
     */
    public static JournalStats of(final JournalReader reader, final long intervalNs)
    {
        if (intervalNs <= 0)
        {
            throw new IllegalArgumentException("interval must be positive: " + intervalNs);
        }
        final JournalStats stats = new JournalStats(reader.header(), intervalNs);
        final IdleCycles idleCycles = new IdleCycles();
        stats.result = reader.read((record) ->
        {
            stats.count(record, idleCycles);
            return true;
        });
        stats.closeInterval();
        stats.nameDrops();
        return stats;
    }

    private void count(final JournalRecord record, final IdleCycles idleCycles)
    {
        final int type = record.type();
        recordsByType[type]++;
        if (record.hasTimestamp())
        {
            firstNs = Math.min(firstNs, record.timestampNs());
            lastNs = Math.max(lastNs, record.timestampNs());
        }
        switch (type)
        {
            case JournalFormat.CYCLE:
                cycles++;
                break;
            case JournalFormat.IDLE:
                cycles += record.idleCount();
                for (idleCycles.wrap(record); idleCycles.next(); )
                {
                    lastNs = Math.max(lastNs, idleCycles.timeNs());
                }
                break;
            case JournalFormat.RX_FRAME:
                rxFrames[Math.min(record.interfaceId(), 1)]++;
                rxBytes += record.frameLength();
                interval(record.timestampNs(), 1, 0, record.frameLength(), 0);
                countVerdict(record.verdict());
                break;
            case JournalFormat.VERDICT:
                countVerdict(record.verdict());
                break;
            case JournalFormat.TX_FRAME:
                txFrames[Math.min(record.interfaceId(), 1)]++;
                txBytes += record.frameLength();
                interval(record.timestampNs(), 0, 1, 0, record.frameLength());
                if (record.txResult() != TxResult.SENT)
                {
                    txFailures.merge(TxResult.name(record.txResult()), 1L, Long::sum);
                }
                break;
            case JournalFormat.COMMAND:
                commands.merge(RecordFormatter.operationName(record.operation()), 1L, Long::sum);
                break;
            default:
                break;
        }
    }

    private void countVerdict(final int verdict)
    {
        if (verdict == EngineTap.DELIVERED)
        {
            delivered++;
        }
        else if (verdict >= 0 && verdict < dropsByReason.length)
        {
            dropsByReason[verdict]++;
        }
        else if (verdict != JournalFormat.VERDICT_PENDING)
        {
            drops.merge(header.verdictName(verdict), 1L, Long::sum);
        }
    }

    private void nameDrops()
    {
        for (int reason = 0; reason < dropsByReason.length; reason++)
        {
            if (dropsByReason[reason] > 0)
            {
                drops.merge(header.verdictName(reason), dropsByReason[reason], Long::sum);
            }
        }
    }

    private void interval(final long timestampNs, final int rx, final int tx, final int rxLength, final int txLength)
    {
        final long sinceOrigin = timestampNs - header.clockOriginNs();
        final long startNs = Math.floorDiv(sinceOrigin, intervalNs) * intervalNs;
        if (!inInterval || intervalStartNs != startNs)
        {
            closeInterval();
            inInterval = true;
            intervalStartNs = startNs;
        }
        intervalRxFrames += rx;
        intervalTxFrames += tx;
        intervalRxBytes += rxLength;
        intervalTxBytes += txLength;
    }

    private void closeInterval()
    {
        if (inInterval)
        {
            intervals.add(new Interval(
                intervalStartNs, intervalRxFrames, intervalTxFrames, intervalRxBytes, intervalTxBytes));
            inInterval = false;
            intervalRxFrames = 0;
            intervalTxFrames = 0;
            intervalRxBytes = 0;
            intervalTxBytes = 0;
        }
    }

    public SessionHeader header()
    {
        return header;
    }

    public ReadResult result()
    {
        return result;
    }

    /**
     * @return records of one {@link JournalFormat} type.
     */
    public long records(final int type)
    {
        return type >= 0 && type < recordsByType.length ? recordsByType[type] : 0;
    }

    /**
     * @return frames received on the device ({@link EngineTap#INTERFACE_DEVICE}) or the loopback ring.
     */
    public long rxFrames(final int interfaceId)
    {
        return rxFrames[interfaceId];
    }

    public long txFrames(final int interfaceId)
    {
        return txFrames[interfaceId];
    }

    public long delivered()
    {
        return delivered;
    }

    /**
     * @return received frames dropped, by drop reason name.
     */
    public Map<String, Long> drops()
    {
        return Collections.unmodifiableMap(drops);
    }

    /**
     * @return transmits that failed, by error name.
     */
    public Map<String, Long> txFailures()
    {
        return Collections.unmodifiableMap(txFailures);
    }

    /**
     * @return commands, by operation name.
     */
    public Map<String, Long> commands()
    {
        return Collections.unmodifiableMap(commands);
    }

    /**
     * @return duty cycles recorded, idle ones included.
     */
    public long cycles()
    {
        return cycles;
    }

    public long rxBytes()
    {
        return rxBytes;
    }

    public long txBytes()
    {
        return txBytes;
    }

    /**
     * @return nanoseconds from the first timed record to the last.
     */
    public long durationNs()
    {
        return lastNs >= firstNs ? lastNs - firstNs : 0;
    }

    public long intervalNs()
    {
        return intervalNs;
    }

    /**
     * @return throughput per interval, those with frames only, in time order.
     */
    public List<Interval> intervals()
    {
        return Collections.unmodifiableList(intervals);
    }
}
