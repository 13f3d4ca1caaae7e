package io.ringstack.journal;

import io.ringstack.iface.FrameTap;
import io.ringstack.iface.TxResult;

/**
 * What a journal's intact records may hold beyond their checksums, checked as they are read so that no tool takes a
 * value the engine cannot have written for a fact: a verdict is delivered, pending or one of the drop reasons the
 * session header names; a transmit result is a {@link TxResult} code; a frame is on the device (0) or the loopback
 * (1); and the engine's clock never goes back from one duty cycle to the next.
 */
final class RecordFieldCheck
{
    private final int dropReasons;
    private final IdleCycles idleCycles = new IdleCycles();
    private long lastCycleNs = Long.MIN_VALUE;

    RecordFieldCheck(final SessionHeader header)
    {
        dropReasons = header.dropReasons().size();
    }

    /**
     * @return whether an RX_FRAME's offloads hold only known bits, and none on the loopback interface.
     */
    private static boolean isKnownOffloads(final int interfaceId, final int offloads)
    {
        return interfaceId == FrameTap.INTERFACE_DEVICE ?
            (offloads & ~JournalFormat.OFFLOAD_CHECKSUM_GOOD) == 0 : offloads == 0;
    }

    /**
     * @return what is wrong with the record's fields, or {@code null} when nothing is.
     */
    String check(final JournalRecord record)
    {
        switch (record.type())
        {
            case JournalFormat.RX_FRAME:
            {
                final int interfaceId = record.interfaceId();
                final int offloads = record.offloads();
                final int verdict = record.verdict();
                return interfaceId > 1 ? wrong(record, "with interface " + interfaceId) :
                    !isKnownOffloads(interfaceId, offloads) ? wrong(record, "with offloads " + offloads) :
                    verdict == JournalFormat.VERDICT_PENDING ? clock(record) : verdict(record, verdict);
            }
            case JournalFormat.VERDICT:
                return verdict(record, record.verdict());
            case JournalFormat.TX_FRAME:
                return record.interfaceId() > 1 ? wrong(record, "with interface " + record.interfaceId()) :
                    !TxResult.isKnown(record.txResult()) ? wrong(record, "with transmit result " + record.txResult()) :
                    clock(record);
            case JournalFormat.NOTE:
                return record.noteWireLength() < 0 ? wrong(record, "with wire length " + record.noteWireLength()) :
                    null;
            case JournalFormat.IDLE:
                for (idleCycles.wrap(record); idleCycles.next(); )
                {
                    final String problem = clock(record, idleCycles.timeNs());
                    if (problem != null)
                    {
                        return problem;
                    }
                }
                return null;
            default:
                return record.hasTimestamp() ? clock(record) : null;
        }
    }

    private String verdict(final JournalRecord record, final int verdict)
    {
        if (verdict != JournalFormat.VERDICT_DELIVERED && verdict != JournalFormat.VERDICT_HELD &&
            (verdict < 0 || verdict >= dropReasons))
        {
            return wrong(record, "with verdict " + verdict + " (delivered is -1, held -3; the header names " +
                dropReasons + " drop reasons)");
        }
        return record.type() == JournalFormat.VERDICT ? null : clock(record);
    }

    private String clock(final JournalRecord record)
    {
        return clock(record, record.timestampNs());
    }

    private String clock(final JournalRecord record, final long timeNs)
    {
        if (lastCycleNs != Long.MIN_VALUE && timeNs - lastCycleNs < 0)
        {
            return wrong(record, "where the engine clock goes back " + (lastCycleNs - timeNs) + " ns");
        }
        lastCycleNs = timeNs;
        return null;
    }

    private static String wrong(final JournalRecord record, final String what)
    {
        return "record " + record.sequence() + ": " + JournalFormat.typeName(record.type()) + " " + what;
    }
}
