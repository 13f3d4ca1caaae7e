package io.ringstack.journal;

import org.agrona.MutableDirectBuffer;
import org.agrona.concurrent.Agent;
import org.agrona.concurrent.ControlledMessageHandler;
import org.agrona.concurrent.UnsafeBuffer;
import org.agrona.concurrent.ringbuffer.OneToOneRingBuffer;

import java.util.concurrent.atomic.AtomicLong;

import static io.ringstack.journal.JournalFormat.BYTE_ORDER;
import static io.ringstack.journal.JournalFormat.END_LENGTH;
import static io.ringstack.journal.JournalFormat.END_LOST_OFFSET;
import static io.ringstack.journal.JournalFormat.END_RECORDS_OFFSET;

/**
 * Drains the tap ring into Chronicle Queue: every duty cycle takes what the ring holds, up to a batch, and writes it
 * as one document. On close it drains the ring to the end and writes the {@link JournalFormat#END} record. Runs on
 * its own thread ({@link org.agrona.concurrent.AgentRunner}) or embedded, on the engine's thread between duty
 * cycles. It never throws: the first failure (e.g. a full disk) is kept, {@link #hasFailed()} turns true, and from
 * then on the tap counts records lost rather than waiting for an agent that will not drain.
 */
public final class JournalAgent implements Agent, ControlledMessageHandler
{
    private static final int READ_LIMIT = 4096;

    private final String roleName;
    private final OneToOneRingBuffer ring;
    private final JournalWriter writer;
    private final AtomicLong lostRecords;
    private final UnsafeBuffer endBody = new UnsafeBuffer(new byte[END_LENGTH]);
    private volatile Throwable failure;

    JournalAgent(
        final String roleName, final OneToOneRingBuffer ring, final JournalWriter writer, final AtomicLong lostRecords)
    {
        this.roleName = roleName;
        this.ring = ring;
        this.writer = writer;
        this.lostRecords = lostRecords;
    }

    public String roleName()
    {
        return roleName;
    }

    public int doWork()
    {
        if (failure != null)
        {
            return 0;
        }
        try
        {
            final int records = ring.controlledRead(this, READ_LIMIT);
            writer.flush();
            return records;
        }
        catch (final Throwable ex)
        {
            fail(ex);
            return 0;
        }
    }

    public Action onMessage(final int type, final MutableDirectBuffer buffer, final int index, final int length)
    {
        if (!writer.hasRoomFor(length))
        {
            return Action.ABORT;
        }
        writer.append(type, buffer, index, length);
        return Action.CONTINUE;
    }

    /**
     * Drain the ring, write the END record and release the appender. The engine and the tap must have stopped.
     */
    public void onClose()
    {
        try
        {
            if (failure == null)
            {
                writer.flush();
                while (ring.controlledRead(this, READ_LIMIT) > 0)
                {
                    writer.flush();
                }
                endBody.putLong(END_RECORDS_OFFSET, writer.recordCount(), BYTE_ORDER);
                endBody.putLong(END_LOST_OFFSET, lostRecords.get(), BYTE_ORDER);
                writer.append(JournalFormat.END, endBody, 0, END_LENGTH);
                writer.flush();
            }
        }
        catch (final Throwable ex)
        {
            fail(ex);
        }
        finally
        {
            writer.close();
        }
    }

    /**
     * Keep the first failure; from then on the agent does nothing and the tap stops waiting for it.
     */
    void fail(final Throwable error)
    {
        if (failure == null)
        {
            failure = error;
        }
    }

    public boolean hasFailed()
    {
        return failure != null;
    }

    /**
     * @return the failure that stopped the agent, or {@code null}.
     */
    public Throwable failure()
    {
        return failure;
    }
}
