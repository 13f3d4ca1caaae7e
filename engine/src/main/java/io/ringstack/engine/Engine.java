package io.ringstack.engine;

import io.ringstack.config.Setting;
import io.ringstack.config.Settings;
import io.ringstack.iface.ArpResolver;
import io.ringstack.iface.Dispatcher;
import io.ringstack.iface.EngineCounters;
import io.ringstack.iface.IcmpRateLimit;
import io.ringstack.iface.IcmpResponder;
import io.ringstack.iface.InterfaceConfig;
import io.ringstack.iface.Ipv4Output;
import io.ringstack.iface.Ipv4Protocol;
import io.ringstack.iface.Ipv4Reassembly;
import io.ringstack.iface.PingTracker;
import io.ringstack.phy.FrameHandler;
import io.ringstack.phy.NetworkDevice;
import io.ringstack.phy.RingReads;
import io.ringstack.tcp.TcpEngine;
import io.ringstack.tcp.TcpReceiver;
import io.ringstack.udp.UdpEndpoint;
import io.ringstack.udp.UdpReceiver;
import io.ringstack.udp.UdpTable;
import io.ringstack.wire.Ipv4Packet;
import java.util.concurrent.atomic.AtomicReferenceArray;
import org.agrona.BufferUtil;
import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;
import org.agrona.concurrent.Agent;
import org.agrona.concurrent.CachedNanoClock;
import org.agrona.concurrent.MessageHandler;
import org.agrona.concurrent.NanoClock;
import org.agrona.concurrent.UnsafeBuffer;
import org.agrona.concurrent.ringbuffer.ManyToOneRingBuffer;
import org.agrona.concurrent.ringbuffer.OneToOneRingBuffer;
import org.agrona.concurrent.ringbuffer.RingBufferDescriptor;

/**
 * The packet engine: one agent that runs the whole protocol stack. Each duty cycle reads the clock once, then
 * <ol>
 *   <li>carries out application commands from the many-to-one command ring, then takes the TCP doorbells
 *       (sockets that moved bytes in their rings),</li>
 *   <li>dispatches frames from the loopback ring and from the device, up to a budget each,</li>
 *   <li>fires expired timers,</li>
 *   <li>flushes TCP: every connection marked during the cycle sends what it may, so one ACK answers a batch,</li>
 *   <li>publishes the receive counters tallied during the cycle ({@link EngineCounters#publish()}).</li>
 * </ol>
 * Run it embedded ({@link org.agrona.concurrent.AgentInvoker}, the application calls {@link #doWork()}: single
 * threaded and deterministic) or on its own thread ({@link org.agrona.concurrent.AgentRunner}); see
 * {@link EngineRunner}. Nothing on the frame path allocates, locks or throws.
 */
public final class Engine implements Agent
{
    private static final int COMMAND_LIMIT = 64;

    private final EngineContext context;
    private final NanoClock clock;
    private final CachedNanoClock cachedClock = new CachedNanoClock();
    private final EngineCounters counters;
    private final NetworkDevice device;
    private final EngineTimers timers;
    private final ArpResolver arp;
    private final OneToOneRingBuffer loopback;
    private final ManyToOneRingBuffer commands;
    private final ResponseBoard responses;
    private final AtomicReferenceArray<UdpEndpoint> newEndpoints;
    private final SlotAllocator slots;
    private final UdpTable udpTable;
    private final Ipv4Output output;
    private final TcpEngine tcp;
    private final Dispatcher dispatcher;
    private final CommandHandler commandHandler;
    private final int frameBudget;
    private final EngineTap tap;
    private final MessageHandler loopbackHandler = this::onLoopbackFrame;
    private final FrameHandler deviceHandler = new FrameHandler()
    {
        public void onFrame(final DirectBuffer buffer, final int offset, final int length)
        {
            onDeviceFrame(buffer, offset, length, 0);
        }

        public void onFrame(final DirectBuffer buffer, final int offset, final int length, final int offloads)
        {
            onDeviceFrame(buffer, offset, length, offloads);
        }
    };

    public Engine(final EngineContext context)
    {
        this.context = context.conclude();
        final Settings settings = context.settings();
        clock = context.nanoClock();
        cachedClock.update(clock.nanoTime());
        counters = new EngineCounters(context.countersManager(), context.name());
        device = context.device();
        timers = new EngineTimers(cachedClock.nanoTime());
        tap = context.tap();
        final InterfaceConfig config = context.interfaceConfig();
        arp = device == null ? null : new ArpResolver(config, device, counters, tap, timers, settings);
        final int maxSockets = settings.intValue(Setting.MAX_SOCKETS);
        loopback = new OneToOneRingBuffer(newRingBuffer(settings.intValue(Setting.LOOPBACK_RING_CAPACITY)));
        commands = new ManyToOneRingBuffer(newRingBuffer(settings.intValue(Setting.COMMAND_RING_CAPACITY)));
        responses = new ResponseBoard(maxSockets, tap);
        newEndpoints = new AtomicReferenceArray<>(maxSockets);
        slots = new SlotAllocator(maxSockets);
        udpTable = new UdpTable(maxSockets, config);
        output = new Ipv4Output(config, counters, tap, loopback, arp, loopbackMtu(settings, loopback));
        final PingTracker pings = new PingTracker(output, maxSockets, responses::answer);
        final IcmpResponder icmpResponder = new IcmpResponder(output, new IcmpRateLimit(
            settings.intValue(Setting.ICMP_MSGS_PER_SEC), settings.intValue(Setting.ICMP_MSGS_BURST),
            settings.intValue(Setting.ICMP_RATE_MASK)), counters);
        tcp = new TcpEngine(settings, tap, output, loopback, counters, timers);
        final int removed = settings.intValue(Setting.REMOVED_PROTOCOL_ARM);
        final Ipv4Reassembly reassembly = new Ipv4Reassembly(settings.intValue(Setting.IPV4_REASSEMBLY_DATAGRAMS),
            settings.intValue(Setting.IPV4_REASSEMBLY_BYTES), settings.intValue(Setting.IPV4_REASSEMBLY_FRAGMENTS),
            settings.longValue(Setting.IPV4_REASSEMBLY_TIMEOUT_NS), counters, icmpResponder, timers);
        final Ipv4Protocol udpArm =
            arm(removed, Ipv4Packet.PROTOCOL_UDP, new UdpReceiver(udpTable, icmpResponder, output));
        final Ipv4Protocol tcpArm = arm(removed, Ipv4Packet.PROTOCOL_TCP, new TcpReceiver(tcp));
        dispatcher = new Dispatcher(config, counters, arp, icmpResponder, reassembly,
            arm(removed, Ipv4Packet.PROTOCOL_ICMP, Dispatcher.icmpArm(icmpResponder, pings, counters, udpArm, tcpArm)),
            udpArm, tcpArm);
        commandHandler = new CommandHandler(udpTable, newEndpoints, output, pings, responses, counters, tap, tcp,
            settings.flag(Setting.LOOPBACK_UDP_CHECKSUMS));
        frameBudget = settings.intValue(Setting.FRAME_BUDGET);
    }

    /**
     * @return {@code arm}, or {@link Ipv4Protocol#REMOVED} when {@link Setting#REMOVED_PROTOCOL_ARM} names its
     * protocol.
     */
    private static Ipv4Protocol arm(final int removedProtocol, final int protocol, final Ipv4Protocol arm)
    {
        return removedProtocol == protocol ? Ipv4Protocol.REMOVED : arm;
    }

    /**
     * @return {@link Setting#LOOPBACK_MTU}, having checked that the loopback ring holds a frame of it.
     * @throws IllegalArgumentException naming both settings when it does not.
     */
    private static int loopbackMtu(final Settings settings, final OneToOneRingBuffer loopback)
    {
        final int mtu = settings.intValue(Setting.LOOPBACK_MTU);
        final int largestPacket = loopback.maxMsgLength() - Ipv4Output.IP_OFFSET;
        if (mtu > largestPacket)
        {
            throw new IllegalArgumentException(Setting.LOOPBACK_RING_CAPACITY.settingName() + " " +
                loopback.capacity() + " holds IP packets of " + largestPacket + " bytes at most (an eighth of it, " +
                "less the Ethernet header), fewer than " + Setting.LOOPBACK_MTU.settingName() + " " + mtu +
                ": raise the one or lower the other");
        }
        return mtu;
    }

    private static UnsafeBuffer newRingBuffer(final int capacity)
    {
        return new UnsafeBuffer(
            BufferUtil.allocateDirectAligned(capacity + RingBufferDescriptor.TRAILER_LENGTH, 64));
    }

    public String roleName()
    {
        return context.name();
    }

    public int doWork()
    {
        final long nowNs = clock.nanoTime();
        cachedClock.update(nowNs);
        tap.beginCycle(nowNs);
        commandHandler.nowNs(nowNs);
        int work = RingReads.read(commands, commandHandler, COMMAND_LIMIT);
        work += tcp.pollDoorbells();
        work += RingReads.read(loopback, loopbackHandler, frameBudget);
        if (device != null)
        {
            work += device.receive(deviceHandler, frameBudget);
        }
        work += timers.poll(nowNs);
        work += tcp.flush(nowNs);
        counters.publish();
        return work;
    }

    private void onLoopbackFrame(final int msgTypeId, final MutableDirectBuffer buffer, final int index,
        final int length)
    {
        final long token = tap.onRxFrame(EngineTap.INTERFACE_LOOPBACK, buffer, index, length, 0);
        tap.onRxVerdict(token, dispatcher.onFrame(buffer, index, length, true, cachedClock.nanoTime()));
    }

    private void onDeviceFrame(final DirectBuffer buffer, final int offset, final int length, final int offloads)
    {
        counters.deviceRxFrames.increment();
        final long token = tap.onRxFrame(EngineTap.INTERFACE_DEVICE, buffer, offset, length, offloads);
        tap.onRxVerdict(token, dispatcher.onFrame(buffer, offset, length, false, offloads, cachedClock.nanoTime()));
    }

    /**
     * Dispatch one frame as if the device had received it, on the engine thread; for tests and replay. Its counts
     * are published at the end of the next duty cycle, or by {@link EngineCounters#publish()}.
     */
    public void injectFrame(final DirectBuffer buffer, final int offset, final int length)
    {
        onDeviceFrame(buffer, offset, length, 0);
    }

    /**
     * Carry out one command as if it had been read from the command ring, on the engine thread, within a duty
     * cycle; the counterpart of {@link #injectFrame} for replay, which must run each recorded command in its
     * recorded cycle (a ring read may split a cycle's commands at the ring's wrap).
     *
     * @param endpoint the new socket's receive ring for a {@link Command#UDP_OPEN}, else {@code null}.
     */
    public void injectCommand(
        final int operation, final MutableDirectBuffer message, final int offset, final int length,
        final UdpEndpoint endpoint)
    {
        if (endpoint != null)
        {
            newEndpoints.set(message.getInt(offset + Command.SLOT_OFFSET), endpoint);
        }
        commandHandler.nowNs(cachedClock.nanoTime());
        commandHandler.onMessage(operation, message, offset, length);
    }

    /**
     * A client for application threads whose blocking calls wait by {@code progress}.
     */
    public EngineClient newClient(final Progress progress)
    {
        return new EngineClient(commands, responses, newEndpoints, slots, progress, output);
    }

    /**
     * @return whether an application thread has posted a command or rung a TCP doorbell that no duty cycle has taken
     * yet; for whoever releases the engine (its idle strategy, a busy-polling thread) to look at afterwards.
     */
    boolean hasPosted()
    {
        return commands.size() > 0 || tcp.board().hasDoorbells();
    }

    /**
     * @return how long until the engine's timers are next due by its clock, for its idle strategy to wait no longer.
     */
    long nanosUntilTimersDue()
    {
        return timers.dueNs() - clock.nanoTime();
    }

    public EngineContext context()
    {
        return context;
    }

    public EngineCounters counters()
    {
        return counters;
    }

    /**
     * @return the engine's TCP, for tests and diagnostics; engine thread only.
     */
    public TcpEngine tcp()
    {
        return tcp;
    }

    public InterfaceConfig interfaceConfig()
    {
        return context.interfaceConfig();
    }

    /**
     * @return frames accepted for sending that still wait for ARP resolution.
     */
    public int framesAwaitingArp()
    {
        return arp == null ? 0 : arp.pending().size();
    }

    /**
     * @return the ARP resolver, or {@code null} when the engine has no device.
     */
    public ArpResolver arp()
    {
        return arp;
    }

    public long nowNs()
    {
        return cachedClock.nanoTime();
    }

    public void onClose()
    {
        counters.publish();
        responses.close();
        counters.close();
    }
}
