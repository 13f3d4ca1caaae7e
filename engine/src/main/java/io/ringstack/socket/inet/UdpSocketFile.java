package io.ringstack.socket.inet;

import io.ringstack.engine.Command;
import io.ringstack.engine.EngineClient;
import io.ringstack.errno.Errno;
import io.ringstack.iface.Ipv4Output;
import io.ringstack.phy.RingReads;
import io.ringstack.socket.FdTable;
import io.ringstack.socket.SockAddr;
import io.ringstack.socket.SocketConstants;
import io.ringstack.socket.SocketFile;
import io.ringstack.udp.UdpEndpoint;
import io.ringstack.wire.UdpDatagram;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import org.agrona.MutableDirectBuffer;
import org.agrona.concurrent.MessageHandler;
import org.agrona.concurrent.ringbuffer.OneToOneRingBuffer;

/**
 * A UDP socket as the application holds it. Calls that change engine state (bind, connect, close) are commands
 * answered by the engine; receives read the socket's ring directly, one datagram per call, truncated to the caller's
 * buffer as Linux does.
 * <p>
 * A send does not wait for the engine. What the caller's side can decide it answers at once: {@code EMSGSIZE} (more
 * than an IPv4 datagram holds), {@code EDESTADDRREQ} (no destination and no peer), {@code ENETUNREACH} (no route);
 * otherwise it posts the datagram to the command ring and returns its length. The command ring is the sockets'
 * shared send buffer: when it is full the attempt is {@code EAGAIN}, as a full {@code SO_SNDBUF} is on Linux, so a
 * blocking send waits for room until its send timeout and a non-blocking one returns at once. A failure the
 * engine finds later (a full loopback ring or device queue, a device that is down) becomes the socket's pending
 * error, which the next send or receive returns, and {@code SO_ERROR} reads, as Linux reports errors it learns after
 * {@code sendto} returned. Sends take no monitor, so threads may send on one socket concurrently.
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
    private final UdpEndpoint endpoint;
    private final OneToOneRingBuffer receiveRing;
    private final long callTimeoutNs;
    /** The connected peer, as the engine accepted it; port 0 when not connected. */
    private volatile int peerAddress;
    private volatile int peerPort;
    private byte[] receiveBuffer;
    private int receiveOffset;
    private int receiveLength;
    private int received;
    private SockAddr receiveSource;
    private byte[][] batchBuffers;
    private int[] batchLengths;
    private SockAddr[] batchSources;
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
        this.endpoint = endpoint;
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
        final int result = call(Command.UDP_CONNECT, address.ipv4(), address.port());
        if (result == 0)
        {
            peerAddress = address.port() == 0 ? 0 : address.ipv4();
            peerPort = address.port();
        }
        return result;
    }

    /**
     * Post one datagram to the engine without waiting for it (see the class comment).
     *
     * @return {@code length} once posted, or {@code -errno}: the pending error first, if any.
     */
    public int sendTo(final byte[] src, final int offset, final int length, final SockAddr destination)
    {
        final int address;
        final int port;
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
            address = destination.ipv4();
            port = destination.port();
        }
        else
        {
            if (peerPort == 0)
            {
                return -Errno.EDESTADDRREQ;
            }
            address = 0;
            port = 0;
        }
        if (length > Ipv4Output.MAX_DATAGRAM_TRANSPORT_LENGTH - UdpDatagram.HEADER_LENGTH)
        {
            return -Errno.EMSGSIZE;
        }
        final int pending = endpoint.takeError();
        if (pending != 0)
        {
            return pending;
        }
        if (!client.hasRoute(destination != null ? address : peerAddress))
        {
            return -Errno.ENETUNREACH;
        }
        final int posted = client.post(Command.UDP_SEND, slot, address, port, src, offset, length);
        return posted < 0 ? posted : length;
    }

    /**
     * Read one datagram. Takes no monitor: see the class comment for the one-reader rule.
     *
     * @return the bytes copied, the pending error, or {@code -EAGAIN} when the ring is empty or another thread is
     * reading it.
     */
    public int receiveFrom(final byte[] dst, final int offset, final int length, final SockAddr source)
    {
        final int pending = endpoint.takeError();
        if (pending != 0)
        {
            return pending;
        }
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

    /**
     * Read up to {@code count} datagrams, all there are up to that, under the same one-reader rule as
     * {@link #receiveFrom}.
     *
     * @return the datagrams read, the pending error, or {@code -EAGAIN} when the ring is empty or another thread is
     * reading it.
     */
    public int receiveBatch(final byte[][] buffers, final int[] lengths, final SockAddr[] sources, final int count)
    {
        final int pending = endpoint.takeError();
        if (pending != 0)
        {
            return pending;
        }
        if (!READING.compareAndSet(this, 0, 1))
        {
            return -Errno.EAGAIN;
        }
        batchBuffers = buffers;
        batchLengths = lengths;
        batchSources = sources;
        received = 0;
        while (received < count && RingReads.read(receiveRing, this, count - received) > 0)
        {
            // A read stops at the end of the ring's buffer; the next goes on from its start.
        }
        batchBuffers = null;
        batchLengths = null;
        batchSources = null;
        final int result = received == 0 ? -Errno.EAGAIN : received;
        READING.setRelease(this, 0);
        return result;
    }

    public void onMessage(final int msgTypeId, final MutableDirectBuffer buffer, final int index, final int length)
    {
        if (batchBuffers == null)
        {
            received = copy(buffer, index, length, receiveBuffer, receiveOffset, receiveLength, receiveSource);
        }
        else
        {
            final byte[] dst = batchBuffers[received];
            batchLengths[received] = copy(buffer, index, length, dst, 0, dst.length,
                batchSources == null ? null : batchSources[received]);
            received++;
        }
    }

    /**
     * Copy one ring record's payload, truncated to {@code maxLength}, and its sender when {@code source} is given.
     *
     * @return the bytes copied.
     */
    private static int copy(
        final MutableDirectBuffer buffer, final int index, final int length,
        final byte[] dst, final int offset, final int maxLength, final SockAddr source)
    {
        final int copied = Math.min(length - UdpEndpoint.PAYLOAD_OFFSET, maxLength);
        buffer.getBytes(index + UdpEndpoint.PAYLOAD_OFFSET, dst, offset, copied);
        if (source != null)
        {
            source.setInet(buffer.getInt(index + UdpEndpoint.SOURCE_ADDRESS_OFFSET),
                buffer.getInt(index + UdpEndpoint.SOURCE_PORT_OFFSET));
        }
        return copied;
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
        return receiveRing.size() > 0 || endpoint.hasError();
    }

    public int takeError()
    {
        return endpoint.takeError();
    }

    public void wakeWhenReadable(final Thread thread)
    {
        endpoint.reader(thread);
    }

    /**
     * @return whether a receive's wait is woken: the engine unparks a reader as a datagram lands or an error is
     * reported; a send that finds the command ring full is not woken, and waits in short parks.
     */
    public boolean wakesWaiters(final boolean sending)
    {
        return !sending;
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
