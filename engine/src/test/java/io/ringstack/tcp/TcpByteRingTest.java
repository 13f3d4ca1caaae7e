package io.ringstack.tcp;

import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

class TcpByteRingTest
{
    @Test
    void keepsSentBytesUntilReleasedAndCopiesFromAnyOffset()
    {
        final TcpByteRing ring = new TcpByteRing(16);
        assertEquals(10, ring.write(bytes(0, 10), 0, 10));

        final UnsafeBuffer out = new UnsafeBuffer(new byte[4]);
        ring.copyOut(6, out, 0, 4);
        assertArrayEquals(bytes(6, 4), out.byteArray());
        ring.release(8);
        assertEquals(2, ring.size());
        assertEquals(14, ring.write(bytes(10, 20), 0, 20), "wraps around, limited by free space");
        ring.copyOut(0, out, 0, 4);
        assertArrayEquals(bytes(8, 4), out.byteArray());
    }

    @Test
    void placesOutOfOrderBytesPastTheTailAndPublishesThemLater()
    {
        final TcpByteRing ring = new TcpByteRing(16);
        ring.copyIn(4, new UnsafeBuffer(bytes(4, 4)), 0, 4);
        assertEquals(0, ring.size(), "not readable yet");
        ring.copyIn(0, new UnsafeBuffer(bytes(0, 4)), 0, 4);
        ring.publish(8);

        final byte[] read = new byte[8];
        assertEquals(8, ring.read(read, 0, 8));
        assertArrayEquals(bytes(0, 8), read);
    }

    @Test
    void theLimitBoundsTheProducer()
    {
        final TcpByteRing ring = new TcpByteRing(64);
        ring.reset(10);

        assertEquals(10, ring.write(new byte[20], 0, 20));
        assertEquals(0, ring.free());
    }

    @Test
    void theEngineSeesTheApplicationsCounterOnlyWhenItTakesIt()
    {
        final TcpByteRing send = new TcpByteRing(16);
        send.write(bytes(0, 6), 0, 6);
        assertEquals(0, send.written(), "not taken yet");
        assertEquals(6, send.takeWritten());
        send.write(bytes(6, 2), 0, 2);
        assertEquals(6, send.written(), "the second write is not taken yet");
        send.release(4);
        assertEquals(2, send.written());
        assertEquals(2, send.takeWritten());
        assertEquals(4, send.written());
        assertEquals(4, send.consumed());

        final TcpByteRing receive = new TcpByteRing(16);
        receive.reset(10);
        receive.copyIn(0, new UnsafeBuffer(bytes(0, 8)), 0, 8);
        receive.publish(8);
        assertEquals(8, receive.unread());
        assertEquals(2, receive.room());
        receive.read(new byte[5], 0, 5);
        assertEquals(2, receive.room(), "not taken yet");
        assertEquals(5, receive.takeConsumed());
        assertEquals(3, receive.unread());
        assertEquals(7, receive.room());
    }

    private static byte[] bytes(final int from, final int length)
    {
        final byte[] bytes = new byte[length];
        for (int i = 0; i < length; i++)
        {
            bytes[i] = (byte)(from + i);
        }
        return bytes;
    }
}
