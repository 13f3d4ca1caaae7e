package io.ringstack.journal;

import io.ringstack.stack.UdpEndpoint;
import org.agrona.concurrent.MessageHandler;

import java.util.ArrayList;
import java.util.List;

/**
 * The application's side of the replayed engine's UDP sockets: the receive ring of each socket the journal opens,
 * read empty after every delivery, as an application that always keeps up would. How fast the recorded
 * application read is not in the journal, so a socket ring full in the recording is the one verdict a replay
 * cannot reproduce; it is accepted as delivered and counted (see {@link ReplayReport#appDependent()}).
 */
final class ReplaySockets
{
    private final int ringCapacity;
    private final List<UdpEndpoint> endpoints = new ArrayList<>();
    private final List<Integer> slots = new ArrayList<>();
    private final MessageHandler discard = (type, buffer, index, length) -> { };

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
