package io.ringstack.drivers.link;

import io.ringstack.phy.Link;
import org.agrona.concurrent.UnsafeBuffer;
import org.agrona.concurrent.status.CountersManager;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class UdpDatagramLinkTest
{
    private static final int FLOOD_DATAGRAM = 1400;

    @Test
    void framesCrossAsOneDatagramEachInOrderAndIntact() throws IOException
    {
        final int portA = freePort();
        final int portB = freePort();
        final LinkSpec a = LinkSpec.parse("udp:127.0.0.1:" + portA + ",127.0.0.1:" + portB);
        final LinkSpec b = LinkSpec.parse("udp:127.0.0.1:" + portB + ",127.0.0.1:" + portA);
        try (Link linkA = a.open(null, "a"); Link linkB = b.open(null, "b"))
        {
            final List<byte[]> sent = new ArrayList<>();
            for (int i = 0; i < 50; i++)
            {
                final byte[] frame = new byte[60 + i * 29];
                for (int j = 0; j < frame.length; j++)
                {
                    frame[j] = (byte)(i * 31 + j);
                }
                sent.add(frame);
                assertTrue(linkA.send(new UnsafeBuffer(frame), 0, frame.length), "send " + i);
            }
            final List<byte[]> received = new ArrayList<>();
            final long deadlineNs = System.nanoTime() + 5_000_000_000L;
            while (received.size() < sent.size() && System.nanoTime() - deadlineNs < 0)
            {
                linkB.poll((buffer, offset, length) ->
                {
                    final byte[] copy = new byte[length];
                    buffer.getBytes(offset, copy);
                    received.add(copy);
                }, 16);
            }
            assertEquals(sent.size(), received.size(), "frames received within 5 s over 127.0.0.1");
            for (int i = 0; i < sent.size(); i++)
            {
                assertArrayEquals(sent.get(i), received.get(i), "frame " + i);
            }
        }
    }

    @Test
    void anEmptyDatagramIsHandedOnAsAZeroLengthFrameAndAnOversizedOneAsTooLong() throws IOException
    {
        final int portA = freePort();
        final int portB = freePort();
        try (Link link = LinkSpec.parse("udp:127.0.0.1:" + portB + ",127.0.0.1:" + portA).open(null, "b");
            DatagramSocket peer = new DatagramSocket(portA, InetAddress.getLoopbackAddress()))
        {
            final InetAddress loopback = InetAddress.getLoopbackAddress();
            peer.send(new DatagramPacket(new byte[0], 0, loopback, portB));
            peer.send(new DatagramPacket(new byte[3000], 3000, loopback, portB));
            peer.send(new DatagramPacket(new byte[60], 60, loopback, portB));
            final List<Integer> lengths = new ArrayList<>();
            final long deadlineNs = System.nanoTime() + 5_000_000_000L;
            while (lengths.size() < 3 && System.nanoTime() - deadlineNs < 0)
            {
                link.poll((buffer, offset, length) -> lengths.add(length), 16);
            }
            assertEquals(List.of(0, 2049, 60), lengths,
                "each datagram is one frame: none is skipped, none is cut to a length that looks whole");
        }
    }

    @Test
    void everyDatagramOfAFloodIsEitherReceivedOrCountedAsDroppedByTheKernel() throws IOException
    {
        final int portA = freePort();
        final int portB = freePort();
        final String text = "udp:127.0.0.1:" + portB + ",127.0.0.1:" + portA;
        final CountersManager counters = TapLinkTest.inMemoryCounters();
        try (UdpDatagramLink link = (UdpDatagramLink)LinkSpec.parse(text).open(counters, "b");
            DatagramSocket peer = new DatagramSocket(portA, InetAddress.getLoopbackAddress()))
        {
            final InetAddress loopback = InetAddress.getLoopbackAddress();
            final int floodBytes = 64 * 1024 * 1024;
            final int sent = floodBytes / FLOOD_DATAGRAM;
            final DatagramPacket datagram = new DatagramPacket(new byte[FLOOD_DATAGRAM], FLOOD_DATAGRAM, loopback, portB);
            for (int i = 0; i < sent; i++)
            {
                peer.send(datagram);
            }
            final int[] received = {0};
            final long deadlineNs = System.nanoTime() + 10_000_000_000L;
            int polled;
            do
            {
                polled = link.poll((buffer, offset, length) -> received[0]++, 64);
            }
            while (polled > 0 && System.nanoTime() - deadlineNs < 0);

            final long drops = link.readKernelDrops();
            assertTrue(drops > 0, "a flood of " + floodBytes + " bytes into an unpolled socket overflows its " +
                "buffer; received " + received[0] + " of " + sent);
            assertEquals(sent, received[0] + drops, "every datagram sent over loopback is received or a kernel drop");
            assertEquals(drops, counterValue(counters, "b." + text + ": link_kernel_drops"));
        }
    }

    @Test
    void aLinkWithoutCountersCountsNothing() throws IOException
    {
        try (UdpDatagramLink link = (UdpDatagramLink)LinkSpec.parse(
            "udp:127.0.0.1:" + freePort() + ",127.0.0.1:" + freePort()).open(null, "a"))
        {
            assertEquals(-1, link.readKernelDrops());
        }
    }

    private static long counterValue(final CountersManager counters, final String label)
    {
        final long[] value = {-1};
        counters.forEach((id, typeId, key, counterLabel) ->
        {
            if (counterLabel.equals(label))
            {
                value[0] = counters.getCounterValue(id);
            }
        });
        return value[0];
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "tcp:127.0.0.1:1,127.0.0.1:2", "udp:127.0.0.1:9001", "udp:127.0.0.1:x,127.0.0.1:2",
        "udp:127.0.0.1:0,127.0.0.1:2", "udp:127.0.0.1,127.0.0.1:2", "udp:127.0.0.1:70000,127.0.0.1:2" })
    void malformedLinkTextIsRejectedWithTheExpectedForm(final String text)
    {
        final IllegalArgumentException error = assertThrows(IllegalArgumentException.class, () -> LinkSpec.parse(text));
        assertTrue(error.getMessage().contains(text) || error.getMessage().contains("HOST:PORT"), error.getMessage());
    }

    static int freePort() throws IOException
    {
        try (DatagramSocket socket = new DatagramSocket(0, InetAddress.getLoopbackAddress()))
        {
            return socket.getLocalPort();
        }
    }
}
