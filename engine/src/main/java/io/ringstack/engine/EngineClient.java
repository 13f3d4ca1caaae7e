package io.ringstack.engine;

import io.ringstack.errno.Errno;
import io.ringstack.iface.Ipv4Output;
import io.ringstack.iface.PingTracker;
import io.ringstack.udp.UdpEndpoint;
import java.util.concurrent.atomic.AtomicReferenceArray;
import org.agrona.concurrent.AtomicBuffer;
import org.agrona.concurrent.ringbuffer.ManyToOneRingBuffer;

/**
 * The application side of the engine: puts {@link Command}s on the many-to-one command ring and either waits, with
 * a deadline, for the engine's answer on the {@link ResponseBoard} ({@link #call}) or returns as soon as the command
 * is on the ring ({@link #post}). Safe for many threads, provided calls on one slot are not made concurrently (a
 * socket serialises its own calls); posts need no such care.
 */
public final class EngineClient
{
    private final ManyToOneRingBuffer commands;
    private final ResponseBoard responses;
    private final AtomicReferenceArray<UdpEndpoint> newEndpoints;
    private final Progress progress;
    private final SlotAllocator slots;
    private final Ipv4Output output;
    private final long[] sequences;

    EngineClient(
        final ManyToOneRingBuffer commands,
        final ResponseBoard responses,
        final AtomicReferenceArray<UdpEndpoint> newEndpoints,
        final SlotAllocator slots,
        final Progress progress,
        final Ipv4Output output)
    {
        this.commands = commands;
        this.output = output;
        this.responses = responses;
        this.newEndpoints = newEndpoints;
        this.progress = progress;
        this.slots = slots;
        this.sequences = new long[responses.capacity()];
    }

    public Progress progress()
    {
        return progress;
    }

    /**
     * @return a free caller slot, or {@code -EMFILE} when all are taken.
     */
    public int allocateSlot()
    {
        return slots.allocate();
    }

    public void freeSlot(final int slot)
    {
        slots.free(slot);
    }

    /**
     * Open a UDP socket in {@code slot} with the given receive ring.
     */
    public long openUdp(final int slot, final UdpEndpoint endpoint, final long timeoutNs)
    {
        newEndpoints.set(slot, endpoint);
        return call(Command.UDP_OPEN, slot, 0, 0, null, 0, 0, timeoutNs);
    }

    /**
     * Ping {@code address} from {@code slot}.
     *
     * @return the round-trip time in nanoseconds, {@code -ETIMEDOUT} if no reply came in time, or another
     * {@code -errno}.
     */
    public long ping(final int slot, final int address, final int payloadLength, final long timeoutNs)
    {
        if (payloadLength < 0 || payloadLength > PingTracker.MAX_PAYLOAD_LENGTH)
        {
            return -Errno.EMSGSIZE;
        }
        return call(Command.PING, slot, address, payloadLength, null, 0, 0, timeoutNs);
    }

    /**
     * @return whether the engine has a route to {@code address}; reads only what does not change, so any thread may
     * ask.
     */
    public boolean hasRoute(final int address)
    {
        return output.hasRoute(address);
    }

    /**
     * Put one command on the ring without waiting for the engine: it carries {@link Command#UNANSWERED} as its
     * sequence, and the engine reports nothing back on the board. Then let the engine know ({@link Progress#posted}).
     * Never waits: a full ring is an answer of its own.
     *
     * @return 0 once the command is on the ring, {@code -EAGAIN} when the ring is full, {@code -EMSGSIZE} when it
     * can never fit, {@code -ENETDOWN} when the engine has stopped.
     */
    public int post(
        final int operation, final int slot, final int arg0, final int arg1,
        final byte[] payload, final int payloadOffset, final int payloadLength)
    {
        final int messageLength = Command.PAYLOAD_OFFSET + payloadLength;
        if (messageLength > commands.maxMsgLength())
        {
            return -Errno.EMSGSIZE;
        }
        if (responses.isClosed())
        {
            return -Errno.ENETDOWN;
        }
        final int index = commands.tryClaim(operation, messageLength);
        if (index < 0)
        {
            return -Errno.EAGAIN;
        }
        write(index, slot, arg0, arg1, Command.UNANSWERED, payload, payloadOffset, payloadLength);
        progress.posted();
        return 0;
    }

    /**
     * Send one command and wait for its answer.
     *
     * @return the engine's result, {@code -EAGAIN} if the command ring stayed full, {@code -ETIMEDOUT} if no
     * answer came before the deadline, {@code -ENETDOWN} at once when the engine has stopped.
     */
    public long call(
        final int operation, final int slot, final int arg0, final int arg1,
        final byte[] payload, final int payloadOffset, final int payloadLength, final long timeoutNs)
    {
        final int messageLength = Command.PAYLOAD_OFFSET + payloadLength;
        if (messageLength > commands.maxMsgLength())
        {
            return -Errno.EMSGSIZE;
        }
        final long sinceNs = System.nanoTime();
        final long deadlineNs = sinceNs + timeoutNs;
        final long sequence = ++sequences[slot];
        int index;
        for (int attempt = 0; (index = commands.tryClaim(operation, messageLength)) < 0; attempt++)
        {
            if (responses.isClosed())
            {
                return -Errno.ENETDOWN;
            }
            if (System.nanoTime() - deadlineNs >= 0)
            {
                return -Errno.EAGAIN;
            }
            progress.await(attempt, sinceNs, deadlineNs);
        }
        write(index, slot, arg0, arg1, sequence, payload, payloadOffset, payloadLength);
        progress.posted();
        for (int attempt = 0; responses.answeredSequence(slot) != sequence; attempt++)
        {
            if (responses.isClosed())
            {
                return responses.answeredSequence(slot) == sequence ? responses.result(slot) : -Errno.ENETDOWN;
            }
            if (System.nanoTime() - deadlineNs >= 0)
            {
                return -Errno.ETIMEDOUT;
            }
            progress.await(attempt, sinceNs, deadlineNs);
        }
        return responses.result(slot);
    }

    /**
     * Fill the claimed message at {@code index} and commit it.
     */
    private void write(
        final int index, final int slot, final int arg0, final int arg1, final long sequence,
        final byte[] payload, final int payloadOffset, final int payloadLength)
    {
        final AtomicBuffer buffer = commands.buffer();
        buffer.putInt(index + Command.SLOT_OFFSET, slot);
        buffer.putInt(index + Command.ARG0_OFFSET, arg0);
        buffer.putInt(index + Command.ARG1_OFFSET, arg1);
        buffer.putInt(index + Command.PADDING_OFFSET, 0);
        buffer.putLong(index + Command.SEQUENCE_OFFSET, sequence);
        if (payloadLength > 0)
        {
            buffer.putBytes(index + Command.PAYLOAD_OFFSET, payload, payloadOffset, payloadLength);
        }
        commands.commit(index);
    }
}
