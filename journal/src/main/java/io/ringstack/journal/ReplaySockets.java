package io.ringstack.journal;

import io.ringstack.tcp.TcpByteRing;
import io.ringstack.tcp.TcpSocketBoard;
import io.ringstack.tcp.TcpStream;
import io.ringstack.udp.UdpEndpoint;
import java.util.ArrayList;
import java.util.List;
import org.agrona.concurrent.MessageHandler;

/**
 * The application's side of the replayed engine's sockets.
 * <p>
 * UDP: the receive ring of each socket the journal opens, read empty after every delivery, as an application that
 * always keeps up would. How fast the recorded application read is not in the journal, so a socket ring full in
 * the recording is the one verdict a replay cannot reproduce; it is accepted as delivered and counted (see
 * {@link ReplayReport#appDependent()}).
 * <p>
 * TCP: the rings of the streams the engine publishes on its {@link TcpSocketBoard} as it connects and accepts. The
 * engine sees what an application did to them only when it looks, and the journal records each look
 * ({@link JournalFormat#APP_DATA}, {@link JournalFormat#APP_CONSUMED}), so the replay does the same before the
 * same look: writes the bytes the engine took, reads the bytes the application had read, and rings the doorbells
 * the application rang.
 */
final class ReplaySockets
{
    private final int ringCapacity;
    private final List<UdpEndpoint> endpoints = new ArrayList<>();
    private final List<Integer> slots = new ArrayList<>();
    private final MessageHandler discard = (type, buffer, index, length) -> { };
    private TcpSocketBoard tcpBoard;

    /**
     * @param ringCapacity bytes of each socket's receive ring, as recorded.
     */
    ReplaySockets(final int ringCapacity)
    {
        this.ringCapacity = ringCapacity;
    }

    /**
     * @return a new endpoint for the socket being opened in {@code slot}.
     */
    UdpEndpoint open(final int slot)
    {
        close(slot);
        final UdpEndpoint endpoint = new UdpEndpoint(ringCapacity);
        endpoints.add(endpoint);
        slots.add(slot);
        return endpoint;
    }

    void close(final int slot)
    {
        final int index = slots.indexOf(slot);
        if (index >= 0)
        {
            slots.remove(index);
            endpoints.remove(index);
        }
    }

    /**
     * @param board the replayed engine's, known once the engine is built.
     */
    void tcpBoard(final TcpSocketBoard board)
    {
        tcpBoard = board;
    }

    /**
     * Do what the recorded application had done by the engine's look that {@code record} describes: write an
     * APP_DATA record's bytes to the socket's send ring, or read an APP_CONSUMED record's count of bytes from its
     * receive ring.
     */
    void stage(final JournalRecord record)
    {
        final TcpStream stream = tcpBoard.stream(record.slot());
        if (stream == null)
        {
            return;
        }
        if (record.type() == JournalFormat.APP_DATA)
        {
            stream.sendRing().write(record.buffer(), record.appDataOffset(), record.appDataLength());
        }
        else
        {
            final TcpByteRing ring = stream.receiveRing();
            ring.release(Math.min(record.consumedBytes(), ring.size()));
        }
    }

    /**
     * Ring the doorbell of the TCP socket in {@code slot}, as its application did.
     */
    void ringDoorbell(final int slot)
    {
        tcpBoard.ring(slot);
    }

    /**
     * Read every open socket's ring empty.
     */
    void drain()
    {
        for (int i = 0, size = endpoints.size(); i < size; i++)
        {
            endpoints.get(i).receiveRing().read(discard, Integer.MAX_VALUE);
        }
    }
}
