package io.ringstack.udp;

import org.agrona.BufferUtil;
import org.agrona.concurrent.UnsafeBuffer;
import org.agrona.concurrent.ringbuffer.OneToOneRingBuffer;
import org.agrona.concurrent.ringbuffer.RingBufferDescriptor;

/**
 * One UDP socket's engine-side state and its receive ring. The engine thread writes received datagrams into the
 * ring; the application reads them. Each ring record is:
 * <pre>
 *   0                   1                   2                   3
 *   0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 *  +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *  |                   Source address (host order)                 |
 *  +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *  |                     Source port (int)                         |
 *  +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *  |                         Payload ...                           |
 *  +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * </pre>
 * The address fields are written by the engine thread only.
 */
public final class UdpEndpoint
{
    public static final int DATAGRAM_MESSAGE = 1;
    public static final int SOURCE_ADDRESS_OFFSET = 0;
    public static final int SOURCE_PORT_OFFSET = 4;
    public static final int PAYLOAD_OFFSET = 8;

    private final OneToOneRingBuffer receiveRing;
    int localAddress;
    int localPort;
    int remoteAddress;
    int remotePort;

    /**
     * @param ringCapacity bytes, a power of two; bounds how much unread data the socket holds.
     */
    public UdpEndpoint(final int ringCapacity)
    {
        receiveRing = new OneToOneRingBuffer(new UnsafeBuffer(
            BufferUtil.allocateDirectAligned(ringCapacity + RingBufferDescriptor.TRAILER_LENGTH, 64)));
    }

    public OneToOneRingBuffer receiveRing()
    {
        return receiveRing;
    }

    public boolean isBound()
    {
        return localPort != 0;
    }

    public boolean isConnected()
    {
        return remotePort != 0;
    }

    public int localAddress()
    {
        return localAddress;
    }

    public int localPort()
    {
        return localPort;
    }

    public int remoteAddress()
    {
        return remoteAddress;
    }

    public int remotePort()
    {
        return remotePort;
    }
}
