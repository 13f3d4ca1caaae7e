package io.ringstack.drivers.link;

import io.ringstack.phy.FaultInjectingDevice;
import io.ringstack.phy.FaultModel;
import io.ringstack.phy.relay.ImpairedPath;
import io.ringstack.phy.relay.Impairment;
import io.ringstack.phy.relay.Relay;
import io.ringstack.phy.relay.RelayCounters;
import org.agrona.concurrent.SystemNanoClock;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * A relay between two UDP-datagram links on loopback, 10 % loss seeded: a sender's frames cross it to a receiver,
 * and exactly the frames the fault model picks for that seed are missing, counted as lost; the rest arrive whole and
 * in order, and the other direction, with its own seed, does the same.
 */
class RelayOverUdpLinksTest
{
    private static final int FRAMES = 2000;
    private static final int BATCH = 50;
    private static final long DEADLINE_NS = 20_000_000_000L;

    @Test
    void framesCrossWithExactlyTheSeededLossesCounted()
    {
        final InetSocketAddress[] ports = freePorts(4);
        final List<Integer> aToBArrived = new ArrayList<>();
        final List<Integer> bToAArrived = new ArrayList<>();
        final RelayCounters aToBCounters = new RelayCounters(TapLinkTest.inMemoryCounters(), "test.a-to-b");
        final RelayCounters bToACounters = new RelayCounters(TapLinkTest.inMemoryCounters(), "test.b-to-a");
        try (UdpDatagramLink sender = UdpDatagramLink.open(ports[0], ports[1], null, null);
            UdpDatagramLink relayA = UdpDatagramLink.open(ports[1], ports[0], null, null);
            UdpDatagramLink relayB = UdpDatagramLink.open(ports[2], ports[3], null, null);
            UdpDatagramLink receiver = UdpDatagramLink.open(ports[3], ports[2], null, null))
        {
            final Relay relay = new Relay(relayA, relayB,
                new ImpairedPath(impairment(7), aToBCounters), new ImpairedPath(impairment(8), bToACounters),
                SystemNanoClock.INSTANCE);
            final UnsafeBuffer frame = new UnsafeBuffer(new byte[1514]);
            for (int i = 0; i < FRAMES; i += BATCH)
            {
                for (int j = i; j < i + BATCH; j++)
                {
                    frame.putInt(0, j);
                    frame.setMemory(4, length(j) - 4, (byte)j);
                    assertEquals(true, sender.send(frame, 0, length(j)));
                    assertEquals(true, receiver.send(frame, 0, length(j)));
                }
                final long deadline = System.nanoTime() + DEADLINE_NS;
                while (aToBCounters.rxFrames.get() < i + BATCH || bToACounters.rxFrames.get() < i + BATCH ||
                    aToBArrived.size() < aToBCounters.forwarded.get() || bToAArrived.size() < bToACounters.forwarded.get())
                {
                    relay.doWork();
                    receiver.poll((buffer, offset, length) -> aToBArrived.add(check(buffer, offset, length)), 64);
                    sender.poll((buffer, offset, length) -> bToAArrived.add(check(buffer, offset, length)), 64);
                    if (System.nanoTime() - deadline > 0)
                    {
                        fail("frames stopped crossing the relay: a-to-b received " + aToBCounters.rxFrames.get() +
                            ", forwarded " + aToBCounters.forwarded.get() + ", arrived " + aToBArrived.size());
                    }
                }
            }
        }
        assertSeededLosses(7, aToBCounters, aToBArrived);
        assertSeededLosses(8, bToACounters, bToAArrived);
    }

    private static void assertSeededLosses(final long seed, final RelayCounters counters, final List<Integer> arrived)
    {
        final FaultModel model = new FaultModel(impairment(seed).faults());
        final List<Integer> kept = new ArrayList<>();
        for (int i = 0; i < FRAMES; i++)
        {
            if (model.decide(length(i), true) != FaultModel.LOSE)
            {
                kept.add(i);
            }
        }
        assertEquals(FRAMES, counters.rxFrames.get());
        assertEquals(FRAMES - kept.size(), counters.lost.get(), "lost, seed " + seed);
        assertEquals(kept.size(), counters.forwarded.get());
        assertEquals(kept, arrived, "the frames the seed keeps, in order");
        final double share = (double)counters.lost.get() / FRAMES;
        assertEquals(0.10, share, 0.03, "loss share, seed " + seed);
    }

    private static Impairment impairment(final long seed)
    {
        return new Impairment(new FaultInjectingDevice.Faults().seed(seed).loss(0.10));
    }

    private static int length(final int sequence)
    {
        return 60 + (sequence * 37) % (1514 - 60);
    }

    private static int check(final org.agrona.DirectBuffer buffer, final int offset, final int length)
    {
        final int sequence = buffer.getInt(offset);
        assertEquals(length(sequence), length, "length of frame " + sequence);
        for (int i = 4; i < length; i++)
        {
            if (buffer.getByte(offset + i) != (byte)sequence)
            {
                fail("frame " + sequence + " changed at byte " + i);
            }
        }
        return sequence;
    }

    private static InetSocketAddress[] freePorts(final int count)
    {
        final InetSocketAddress[] addresses = new InetSocketAddress[count];
        final DatagramSocket[] sockets = new DatagramSocket[count];
        try
        {
            for (int i = 0; i < count; i++)
            {
                sockets[i] = new DatagramSocket(new InetSocketAddress("127.0.0.1", 0));
                addresses[i] = new InetSocketAddress("127.0.0.1", sockets[i].getLocalPort());
            }
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException(ex);
        }
        finally
        {
            for (final DatagramSocket socket : sockets)
            {
                if (socket != null)
                {
                    socket.close();
                }
            }
        }
        return addresses;
    }
}
