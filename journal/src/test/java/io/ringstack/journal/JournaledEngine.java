package io.ringstack.journal;

import io.ringstack.Ringstack;
import io.ringstack.engine.EngineContext;
import io.ringstack.iface.InterfaceConfig;
import io.ringstack.phy.FrameHandler;
import io.ringstack.phy.NetworkDevice;
import io.ringstack.phy.PipeDevice;
import io.ringstack.socket.Sockets;
import java.nio.file.Path;
import java.util.function.UnaryOperator;
import org.agrona.CloseHelper;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.CachedNanoClock;

/**
 * One journaled engine in embedded mode on the test thread, on a virtual clock, its device one end of a pipe whose
 * other end is the test's peer (10.0.2.2). Time moves only when the test says; the journal's agent is embedded
 * too unless the test chooses otherwise.
 */
final class JournaledEngine implements AutoCloseable
{
    static final long START_NS = 1_000_000_000_000L;

    private final CachedNanoClock clock = new CachedNanoClock();
    private final PipeDevice peer;
    private final Journal journal;
    private final Ringstack stack;
    private final FrameHandler discard = (buffer, offset, length) -> { };

    private JournaledEngine(
        final Path directory, final UnaryOperator<JournalContext> customise, final UnaryOperator<EngineContext> engine,
        final int receiveOffloads)
    {
        clock.update(START_NS);
        final PipeDevice[] wire = PipeDevice.pair(
            "engine-wire", PeerFrames.ENGINE_MAC, "peer-wire", PeerFrames.PEER_MAC, 1 << 22);
        peer = wire[1];
        final EngineContext context = engine.apply(new EngineContext())
            .name("journaled")
            .interfaceConfig(new InterfaceConfig(
                PeerFrames.ENGINE_ADDRESS, 24, PeerFrames.PEER_ADDRESS, PeerFrames.ENGINE_MAC))
            .device(receiveOffloads == 0 ? wire[0] : new OffloadingDevice(wire[0], receiveOffloads))
            .nanoClock(clock);
        journal = Journal.attach(context, customise.apply(
            new JournalContext().directory(directory).dedicatedAgent(false).profile("test/embedded")));
        stack = Ringstack.launch(context, false, null);
    }

    static JournaledEngine start(final Path directory, final UnaryOperator<JournalContext> customise)
    {
        return new JournaledEngine(directory, customise, UnaryOperator.identity(), 0);
    }

    /**
     * @param receiveOffloads what the engine's device hands every frame over with, e.g.
     *                        {@link FrameHandler#CHECKSUM_GOOD}, as a device that checked the checksums.
     */
    static JournaledEngine startWithOffloads(final Path directory, final int receiveOffloads)
    {
        return new JournaledEngine(directory, UnaryOperator.identity(), UnaryOperator.identity(), receiveOffloads);
    }

    /**
     * @param engine changes to the engine's settings, e.g. {@code ctx -> ctx.set(Setting.ICMP_MSGS_PER_SEC, 0)}.
     */
    static JournaledEngine start(
        final Path directory, final UnaryOperator<JournalContext> customise, final UnaryOperator<EngineContext> engine)
    {
        return new JournaledEngine(directory, customise, engine, 0);
    }

    Journal journal()
    {
        return journal;
    }

    Sockets sockets()
    {
        return stack.sockets();
    }

    /**
     * The peer sends a frame; the engine receives it in its next duty cycle.
     */
    void fromPeer(final DirectBuffer frame)
    {
        if (peer.transmit(frame, 0, frame.capacity()) != PipeDevice.TX_OK)
        {
            throw new IllegalStateException("the wire is full");
        }
    }

    /**
     * Advance the clock, run one duty cycle, and let the peer take what the engine sent.
     */
    void cycle(final long advanceNs)
    {
        clock.advance(advanceNs);
        stack.runner().invoke();
        peer.receive(discard, Integer.MAX_VALUE);
    }

    /**
     * Stop the engine, then close the journal.
     */
    public void close()
    {
        CloseHelper.closeAll(stack, journal);
    }

    /**
     * A device that hands over what the device it wraps receives with fixed offloads.
     */
    private static final class OffloadingDevice implements NetworkDevice
    {
        private final NetworkDevice device;
        private final int offloads;
        private final FrameHandler withOffloads;
        private FrameHandler handler;

        OffloadingDevice(final NetworkDevice device, final int offloads)
        {
            this.device = device;
            this.offloads = offloads;
            withOffloads = (buffer, offset, length) -> handler.onFrame(buffer, offset, length, this.offloads);
        }

        public String name()
        {
            return device.name();
        }

        public long macAddress()
        {
            return device.macAddress();
        }

        public int mtu()
        {
            return device.mtu();
        }

        public int receive(final FrameHandler handler, final int limit)
        {
            this.handler = handler;
            return device.receive(withOffloads, limit);
        }

        public int transmit(final DirectBuffer buffer, final int offset, final int length)
        {
            return device.transmit(buffer, offset, length);
        }
    }
}
