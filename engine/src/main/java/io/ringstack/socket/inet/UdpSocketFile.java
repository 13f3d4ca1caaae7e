package io.ringstack.socket.inet;

import io.ringstack.engine.Command;
import io.ringstack.engine.EngineClient;
import io.ringstack.errno.Errno;
import io.ringstack.phy.RingReads;
import io.ringstack.socket.FdTable;
import io.ringstack.socket.SockAddr;
import io.ringstack.socket.SocketConstants;
import io.ringstack.socket.SocketFile;
import io.ringstack.udp.UdpEndpoint;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import org.agrona.MutableDirectBuffer;
import org.agrona.concurrent.MessageHandler;
import org.agrona.concurrent.ringbuffer.OneToOneRingBuffer;

/**
 * A UDP socket as the application holds it. Calls that change engine state (bind, connect, send, close) are
 * commands answered by the engine; receives read the socket's ring directly, one datagram per call, truncated to
 * the caller's buffer as Linux does.
 * <p>
 * One reader at a time: the receive ring has a single consumer, and a receive takes no monitor. A receive first
 * claims the socket's reader flag with one compare-and-set and releases it with an ordered store; a second thread
 * that calls while another is reading does not touch the ring and gets {@code -EAGAIN} for that attempt (a blocking
 * call tries again until its deadline), so concurrent readers are safe, each datagram going to exactly one of them.
 */
final class UdpSocketFile extends SocketFile implements MessageHandler
{
    private static final VarHandle READING;

    static
    {
        try
        {
            READING = MethodHandles.lookup().findVarHandle(UdpSocketFile.class, "reading", int.class);
        }
        catch (final ReflectiveOperationException ex)
        {
            throw new ExceptionInInitializerError(ex);
        }
    }

    private final EngineClient client;
    private final int slot;
    private final OneToOneRingBuffer receiveRing;
    private final long callTimeoutNs;
    private byte[] receiveBuffer;
    private int receiveOffset;
    private int receiveLength;
    private int received;
    private SockAddr receiveSource;
    /** 1 while a thread reads the receive ring, else 0; claimed by compare-and-set. */
    @SuppressWarnings("unused")
    private volatile int reading;

    private UdpSocketFile(
        final EngineClient client,
        final int slot,
        final UdpEndpoint endpoint,
        final int statusFlags,
        final int descriptorFlags,
        final long timeoutNs)
    {
        super(SocketConstants.SOCK_DGRAM, statusFlags, descriptorFlags, timeoutNs);
        this.client = client;
        this.slot = slot;
        this.receiveRing = endpoint.receiveRing();
        this.callTimeoutNs = timeoutNs;
    }

    static int open(
        final FdTable fds,
        final EngineClient client,
        final int ringCapacity,
        final int statusFlags,
        final int descriptorFlags,
        final long timeoutNs)
    {
        final int slot = client.allocateSlot();
        if (slot < 0)
        {
            return slot;
        }
        final UdpEndpoint endpoint = new UdpEndpoint(ringCapacity);
        final long opened = client.openUdp(slot, endpoint, timeoutNs);
        if (opened < 0)
        {
            client.freeSlot(slot);
            return (int)opened;
        }
        final UdpSocketFile file = new UdpSocketFile(client, slot, endpoint, statusFlags, descriptorFlags, timeoutNs);
        final int fd = fds.install(file);
        if (fd < 0)
        {
            file.close();
        }
        return fd;
    }

    public synchronized int bind(final SockAddr address)
    {
        if (address.family() != SocketConstants.AF_INET)
        {
            return -Errno.EAFNOSUPPORT;
        }
        return call(Command.UDP_BIND, address.ipv4(), address.port());
    }

    public synchronized int connect(final SockAddr address)
    {
        if (address.family() != SocketConstants.AF_INET)
        {
            return -Errno.EAFNOSUPPORT;
        }
        return call(Command.UDP_CONNECT, address.ipv4(), address.port());
    }

    public synchronized int sendTo(final byte[] src, final int offset, final int length, final SockAddr destination)
    {
        if (destination != null)
        {
            if (destination.family() != SocketConstants.AF_INET)
            {
                return -Errno.EAFNOSUPPORT;
            }
            if (destination.port() <= 0 || destination.port() > 0xFFFF)
            {
                return -Errno.EINVAL;
            }
        }
        final int address = destination == null ? 0 : destination.ipv4();
        final int port = destination == null ? 0 : destination.port();
        return (int)client.call(Command.UDP_SEND, slot, address, port, src, offset, length, callTimeoutNs);
    }

    /**
     * Read one datagram. Takes no monitor: see the class comment for the one-reader rule.
     *
     * @return the bytes copied, or {@code -EAGAIN} when the ring is empty or another thread is reading it.
     */
    public int receiveFrom(final byte[] dst, final int offset, final int length, final SockAddr source)
    {
        if (!READING.compareAndSet(this, 0, 1))
        {
            return -Errno.EAGAIN;
        }
        receiveBuffer = dst;
        receiveOffset = offset;
        receiveLength = length;
        receiveSource = source;
        received = -Errno.EAGAIN;
        RingReads.read(receiveRing, this, 1);
        receiveBuffer = null;
        receiveSource = null;
        final int result = received;
        READING.setRelease(this, 0);
        return result;
    }

    public void onMessage(final int msgTypeId, final MutableDirectBuffer buffer, final int index, final int length)
    {
        final int payloadLength = length - UdpEndpoint.PAYLOAD_OFFSET;
        final int copied = Math.min(payloadLength, receiveLength);
        buffer.getBytes(index + UdpEndpoint.PAYLOAD_OFFSET, receiveBuffer, receiveOffset, copied);
        if (receiveSource != null)
        {
            receiveSource.setInet(buffer.getInt(index + UdpEndpoint.SOURCE_ADDRESS_OFFSET),
                buffer.getInt(index + UdpEndpoint.SOURCE_PORT_OFFSET));
        }
        received = copied;
    }

    public synchronized int localAddress(final SockAddr address)
    {
        final long packed = client.call(Command.UDP_LOCAL_ADDRESS, slot, 0, 0, null, 0, 0, callTimeoutNs);
        if (packed < 0)
        {
            return (int)packed;
        }
        address.setInet((int)(packed >>> 16), (int)(packed & 0xFFFF));
        return 0;
    }

    public boolean isReadable()
    {
        return receiveRing.size() > 0;
    }

    public synchronized int close()
    {
        final int result = call(Command.UDP_CLOSE, 0, 0);
        client.freeSlot(slot);
        return result;
    }

    private int call(final int operation, final int arg0, final int arg1)
    {
        return (int)client.call(operation, slot, arg0, arg1, null, 0, 0, callTimeoutNs);
    }
}
