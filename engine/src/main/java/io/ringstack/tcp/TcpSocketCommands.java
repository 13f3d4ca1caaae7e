package io.ringstack.tcp;

import io.ringstack.config.Setting;
import io.ringstack.config.Settings;
import io.ringstack.errno.Errno;
import io.ringstack.iface.EngineCounters;
import io.ringstack.iface.Ipv4Addresses;
import io.ringstack.iface.Ipv4Output;

/**
 * The application's TCP sockets on the engine side, by caller slot: what each is bound to, its options, its
 * listener or its connection; and the commands that change them (bind, listen, connect, accept, shutdown, close,
 * options, local address), each answered at once. Results are Linux's, except where the seed expects otherwise
 * (listen on an unbound socket, accept on a socket that is not listening). Engine thread only.
 */
final class TcpSocketCommands
{
    private final Settings settings;
    private final EngineCounters counters;
    private final Ipv4Output output;
    private final TcpSocketBoard board;
    private final TcpConnectionTable table;
    private final TcpPortTable ports;
    private final TimeWaitTable timeWait;
    private final TcpListeners listeners;
    private final TcpNegotiation negotiation;
    private final TcpLifecycle lifecycle;
    private final TcpPassiveOpen passiveOpen;
    private final TcpSender sender;
    private final TcpOutputQueue outputQueue;
    private final AppRingLook look;
    private final IsnGenerator isn;
    private final TcpConnection[] connectionBySlot;
    private final TcpSocketOptions[] optionsBySlot;
    private final boolean[] openBySlot;
    private final int[] boundAddressBySlot;
    private final int[] boundPortBySlot;

    TcpSocketCommands(
        final Settings settings,
        final EngineCounters counters,
        final Ipv4Output output,
        final TcpSocketBoard board,
        final TcpConnectionTable table,
        final TcpPortTable ports,
        final TimeWaitTable timeWait,
        final TcpListeners listeners,
        final TcpNegotiation negotiation,
        final TcpLifecycle lifecycle,
        final TcpPassiveOpen passiveOpen,
        final TcpSender sender,
        final TcpOutputQueue outputQueue,
        final AppRingLook look)
    {
        this.settings = settings;
        this.counters = counters;
        this.output = output;
        this.board = board;
        this.table = table;
        this.ports = ports;
        this.timeWait = timeWait;
        this.listeners = listeners;
        this.negotiation = negotiation;
        this.lifecycle = lifecycle;
        this.passiveOpen = passiveOpen;
        this.sender = sender;
        this.outputQueue = outputQueue;
        this.look = look;
        isn = new IsnGenerator(settings.longValue(Setting.TCP_ISN_KEY_0), settings.longValue(Setting.TCP_ISN_KEY_1));
        final int slots = settings.intValue(Setting.MAX_SOCKETS);
        connectionBySlot = new TcpConnection[slots];
        optionsBySlot = new TcpSocketOptions[slots];
        for (int i = 0; i < slots; i++)
        {
            optionsBySlot[i] = new TcpSocketOptions(settings);
        }
        openBySlot = new boolean[slots];
        boundAddressBySlot = new int[slots];
        boundPortBySlot = new int[slots];
    }

    /**
     * @return the connection of the socket in {@code slot}, or {@code null}.
     */
    TcpConnection connection(final int slot)
    {
        return slot >= 0 && slot < connectionBySlot.length ? connectionBySlot[slot] : null;
    }

    /**
     * @return the answer: {@code >= 0} on success, {@code -errno} on failure.
     */
    long onCommand(final int operation, final int slot, final int arg0, final int arg1, final long nowNs)
    {
        if (slot < 0 || slot >= openBySlot.length || (operation != TcpOperation.OPEN && !openBySlot[slot]))
        {
            return -Errno.EBADF;
        }
        switch (operation)
        {
            case TcpOperation.OPEN:
                return open(slot);
            case TcpOperation.BIND:
                return bind(slot, arg0, arg1);
            case TcpOperation.LISTEN:
                return listen(slot, arg0);
            case TcpOperation.CONNECT:
                return connect(slot, arg0, arg1, nowNs);
            case TcpOperation.ACCEPT:
                return accept(slot, arg0);
            case TcpOperation.SHUTDOWN:
                return shutdown(slot, arg0, nowNs);
            case TcpOperation.CLOSE:
                return close(slot, nowNs);
            case TcpOperation.SET_OPTION:
                return setOption(slot, arg0, arg1, nowNs);
            case TcpOperation.LOCAL_ADDRESS:
                return localAddress(slot);
            default:
                return -Errno.EINVAL;
        }
    }

    private int open(final int slot)
    {
        openBySlot[slot] = true;
        boundAddressBySlot[slot] = 0;
        boundPortBySlot[slot] = 0;
        connectionBySlot[slot] = null;
        listeners.remove(slot);
        optionsBySlot[slot].reset();
        board.publishStream(slot, null);
        return 0;
    }

    private int bind(final int slot, final int address, final int port)
    {
        if (boundPortBySlot[slot] != 0 || connectionBySlot[slot] != null || port < 0 || port > 0xFFFF)
        {
            return -Errno.EINVAL;
        }
        if (address != 0 && !output.isLocal(address))
        {
            return -Errno.EADDRNOTAVAIL;
        }
        final int bound = ports.bind(port, optionsBySlot[slot].reuseAddress);
        if (bound < 0)
        {
            return bound;
        }
        boundAddressBySlot[slot] = address;
        boundPortBySlot[slot] = bound;
        return 0;
    }

    /**
     * Listen as the seed's kernel does: an unbound socket gives {@code EINVAL} (Linux would bind an ephemeral
     * port). A second listen only changes the backlog.
     */
    private int listen(final int slot, final int backlog)
    {
        if (connectionBySlot[slot] != null || boundPortBySlot[slot] == 0)
        {
            return -Errno.EINVAL;
        }
        TcpListener listener = listeners.get(slot);
        if (listener == null)
        {
            final int port = boundPortBySlot[slot];
            if (ports.listener(port) >= 0)
            {
                return -Errno.EADDRINUSE;
            }
            listener = new TcpListener(slot, boundAddressBySlot[slot], port, optionsBySlot[slot],
                settings.intValue(Setting.TCP_MAX_BACKLOG));
            listeners.add(listener);
            ports.listen(port, slot);
        }
        listener.backlog(backlog);
        return 0;
    }

    private int connect(final int slot, final int address, final int port, final long nowNs)
    {
        final TcpConnection existing = connectionBySlot[slot];
        if (existing != null)
        {
            if (existing.state != TcpState.CLOSED)
            {
                return existing.state == TcpState.SYN_SENT ? -Errno.EALREADY : -Errno.EISCONN;
            }
            connectionBySlot[slot] = null;
            existing.attached = false;
            lifecycle.freeIfUnheld(existing);
        }
        if (listeners.get(slot) != null)
        {
            return -Errno.EISCONN;
        }
        if (port <= 0 || port > 0xFFFF)
        {
            return -Errno.EINVAL;
        }
        final int destination = address == 0 ? Ipv4Addresses.LOOPBACK : address;
        if (boundPortBySlot[slot] == 0)
        {
            final int bound = ports.bind(0, false);
            if (bound < 0)
            {
                return -Errno.EAGAIN;
            }
            boundPortBySlot[slot] = bound;
        }
        final int localPort = boundPortBySlot[slot];
        final int source = output.sourceFor(boundAddressBySlot[slot], destination);
        final long key = TcpConnectionTable.key(destination, port, localPort);
        if (table.contains(key) || timeWait.lookup(key, source) >= 0)
        {
            return -Errno.EADDRNOTAVAIL;
        }
        final TcpConnection connection = table.allocate();
        if (connection == null)
        {
            return -Errno.ENOBUFS;
        }
        connection.open(source, localPort, destination, port, optionsBySlot[slot]);
        connection.slot = slot;
        connection.attached = true;
        connection.initialSequence(isn.initialSequenceNumber(source, localPort, destination, port, nowNs));
        connection.timestampOffset = isn.timestampOffset(source, localPort, destination, port);
        connection.receiveMss = negotiation.mssFor(destination);
        connection.receiveWindowShift = TcpNegotiation.windowShiftFor(connection.stream.receiveRing().limit());
        connection.state = TcpState.SYN_SENT;
        table.index(connection);
        connection.indexed = true;
        ports.connectionAdded(localPort);
        connectionBySlot[slot] = connection;
        board.publishStream(slot, connection.stream);
        counters.tcpActiveOpens.incrementRelease();
        sender.sendSyn(connection, nowNs);
        return -Errno.EINPROGRESS;
    }

    /**
     * Take the oldest connection of the listener in {@code slot} into a new socket in {@code newSlot}, a slot the
     * caller allocated and has not opened.
     *
     * @return the peer, {@code address << 16 | port}; {@code -EAGAIN} when none waits; {@code -EOPNOTSUPP} when
     * the socket is not listening, the seed's expected result (Linux gives {@code EINVAL}).
     */
    private long accept(final int slot, final int newSlot)
    {
        final TcpListener listener = listeners.get(slot);
        if (listener == null)
        {
            return -Errno.EOPNOTSUPP;
        }
        if (newSlot < 0 || newSlot >= openBySlot.length || openBySlot[newSlot])
        {
            return -Errno.EBADF;
        }
        final int index = listeners.dequeue(listener);
        if (index < 0)
        {
            return -Errno.EAGAIN;
        }
        open(newSlot);
        final TcpConnection connection = table.get(index);
        connection.listenerSlot = -1;
        connection.slot = newSlot;
        connection.attached = true;
        connectionBySlot[newSlot] = connection;
        optionsBySlot[newSlot].copyFrom(listener.options);
        board.publishStream(newSlot, connection.stream);
        return ((connection.remoteAddress & 0xFFFF_FFFFL) << 16) | connection.remotePort;
    }

    private int shutdown(final int slot, final int how, final long nowNs)
    {
        final TcpListener listener = listeners.get(slot);
        if (listener != null)
        {
            if (how != TcpOperation.SHUT_WR)
            {
                stopListening(slot, nowNs);
            }
            return 0;
        }
        final TcpConnection connection = connectionBySlot[slot];
        if (connection == null || connection.state == TcpState.CLOSED)
        {
            return -Errno.ENOTCONN;
        }
        if (connection.state == TcpState.SYN_SENT)
        {
            lifecycle.finish(connection);
            return 0;
        }
        if (how != TcpOperation.SHUT_RD)
        {
            look.take(connection);
            queueFin(connection, nowNs);
        }
        return 0;
    }

    /**
     * The application will write no more: the FIN follows the bytes already in the send ring
     * (ESTABLISHED and SYN-RECEIVED to FIN-WAIT-1, CLOSE-WAIT to LAST-ACK).
     */
    private void queueFin(final TcpConnection connection, final long nowNs)
    {
        if (connection.finQueued)
        {
            return;
        }
        switch (connection.state)
        {
            case SYN_RECEIVED:
            case ESTABLISHED:
                connection.state = TcpState.FIN_WAIT_1;
                break;
            case CLOSE_WAIT:
                connection.state = TcpState.LAST_ACK;
                break;
            default:
                return;
        }
        connection.finQueued = true;
        connection.finSequence = connection.dataEnd();
        connection.idleTimer.disarm();
        outputQueue.mark(connection);
    }

    /**
     * Close the socket in {@code slot}. A connection closes gracefully (FIN after the queued bytes) unless
     * {@code SO_LINGER} is 0 or received bytes were never read, which abort it with RST as Linux does
     * (RFC 2525 2.17); a listener resets the connections it had not handed out.
     */
    private int close(final int slot, final long nowNs)
    {
        stopListening(slot, nowNs);
        final TcpConnection connection = connectionBySlot[slot];
        if (connection != null)
        {
            look.take(connection);
            connectionBySlot[slot] = null;
            connection.attached = false;
            connection.slot = -1;
            final TcpState state = connection.state;
            if (state == TcpState.SYN_SENT || state == TcpState.CLOSED)
            {
                lifecycle.finish(connection);
            }
            else if (connection.options.abortOnClose || connection.stream.receiveRing().unread() > 0)
            {
                lifecycle.resetAndAbort(connection, nowNs);
            }
            else
            {
                queueFin(connection, nowNs);
                if (connection.state == TcpState.FIN_WAIT_2)
                {
                    lifecycle.armIdleTimer(connection, nowNs);
                }
            }
        }
        if (boundPortBySlot[slot] != 0)
        {
            ports.unbind(boundPortBySlot[slot]);
        }
        openBySlot[slot] = false;
        board.publishStream(slot, null);
        return 0;
    }

    private void stopListening(final int slot, final long nowNs)
    {
        final TcpListener listener = listeners.get(slot);
        if (listener == null)
        {
            return;
        }
        listeners.remove(slot);
        ports.stopListening(listener.port);
        passiveOpen.dropHalfOpenOf(slot);
        int index;
        while ((index = listener.poll()) >= 0)
        {
            final TcpConnection connection = table.get(index);
            connection.listenerSlot = -1;
            if (connection.state != TcpState.CLOSED)
            {
                lifecycle.resetAndAbort(connection, nowNs);
            }
            else
            {
                lifecycle.freeIfUnheld(connection);
            }
        }
    }

    private int setOption(final int slot, final int optionId, final int value, final long nowNs)
    {
        final int result = optionsBySlot[slot].set(optionId, value);
        final TcpConnection connection = connectionBySlot[slot];
        if (result == 0 && connection != null && connection.inUse)
        {
            connection.options.copyFrom(optionsBySlot[slot]);
            lifecycle.armIdleTimer(connection, nowNs);
            outputQueue.mark(connection);
        }
        return result;
    }

    /**
     * @return {@code address << 16 | port} of the socket's local end: its connection's, else what it is bound to.
     */
    private long localAddress(final int slot)
    {
        final TcpConnection connection = connectionBySlot[slot];
        if (connection != null)
        {
            return ((connection.localAddress & 0xFFFF_FFFFL) << 16) | connection.localPort;
        }
        return ((boundAddressBySlot[slot] & 0xFFFF_FFFFL) << 16) | boundPortBySlot[slot];
    }
}
