package io.ringstack.tcp;

import io.ringstack.EmbeddedStack;
import io.ringstack.Ringstack;
import io.ringstack.config.Setting;
import io.ringstack.engine.EngineContext;
import io.ringstack.errno.Errno;
import io.ringstack.iface.DropReason;
import io.ringstack.iface.EngineCounters;
import io.ringstack.phy.Cable;
import io.ringstack.phy.Link;
import io.ringstack.phy.PipeDevice;
import io.ringstack.phy.relay.ImpairedPath;
import io.ringstack.phy.relay.Impairment;
import io.ringstack.phy.relay.Relay;
import io.ringstack.phy.relay.RelayCounters;
import io.ringstack.socket.SockAddr;
import io.ringstack.socket.Sockets;
import io.ringstack.testkit.DigestSink;
import io.ringstack.testkit.SeededSource;
import io.ringstack.wire.Ipv4Text;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;
import org.agrona.concurrent.CachedNanoClock;
import org.agrona.concurrent.status.CountersManager;

import static io.ringstack.socket.SocketConstants.AF_INET;
import static io.ringstack.socket.SocketConstants.SOCK_NONBLOCK;
import static io.ringstack.socket.SocketConstants.SOCK_STREAM;
import static io.ringstack.tcp.WiredEngines.ADDRESS_A;
import static io.ringstack.tcp.WiredEngines.ADDRESS_B;
import static io.ringstack.tcp.WiredEngines.MAC_A;
import static io.ringstack.tcp.WiredEngines.MAC_B;
import static io.ringstack.tcp.WiredEngines.context;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * One transfer from engine A to engine B through the relay's impairment, an {@link ImpairedPath} each way as
 * {@code ringstack relay} runs it between the engine and a Linux client, on one virtual clock: the paths of
 * {@code scripts/impaired-tcp.sh}, with the same frames, faults and retransmissions on every run, and no machine
 * load in the figures. Both engines keep the default settings (a 200 ms minimum RTO); each round runs one duty cycle
 * of A, the relay, B and the relay again, then the applications write and read, then {@link #STEP_NS} of virtual
 * time passes.
 */
final class RelayedTransfer
{
    /** Virtual time per round. */
    static final long STEP_NS = TimeUnit.MICROSECONDS.toNanos(10);
    private static final long LIMIT_NS = TimeUnit.MINUTES.toNanos(2);
    private static final int CHUNK = 64 * 1024;
    private static final int PORT = 5001;
    private static final int CABLE_BYTES = 4 << 20;

    private RelayedTransfer()
    {
    }

    /**
     * What a transfer took: its virtual duration, the sender's TCP counters, and the receiver's CE marks.
     */
    record Result(long virtualNs, long bytes, long retransmitted, long fastRetransmits, long timeouts,
        long lossProbes, long dsacks, long undone, long pawsDrops, long ecnReductions, long ceReceived)
    {
        double megabytesPerSecond()
        {
            return bytes * 1e3 / virtualNs;
        }

        public String toString()
        {
            return String.format("%.2f MB/s (%d bytes in %.1f ms): retransmitted %d, fast retransmits %d, RTOs %d, " +
                "loss probes %d, D-SACKs %d, undone %d, receiver's PAWS drops %d, ECN reductions %d, " +
                "receiver's CE marks %d", megabytesPerSecond(), bytes, virtualNs / 1e6, retransmitted,
                fastRetransmits, timeouts, lossProbes, dsacks, undone, pawsDrops, ecnReductions, ceReceived);
        }
    }

    /**
     * Send {@code bytes} from A to B, A-to-B frames through {@code forward} and B-to-A frames through
     * {@code backward}; the bytes must arrive intact.
     */
    static Result transfer(final Impairment forward, final Impairment backward, final long bytes)
    {
        return transfer(forward, backward, bytes, UnaryOperator.identity());
    }

    /**
     * {@link #transfer(Impairment, Impairment, long)} between two engines whose settings {@code settings} changes.
     */
    static Result transfer(final Impairment forward, final Impairment backward, final long bytes,
        final UnaryOperator<EngineContext> settings)
    {
        final CachedNanoClock clock = new CachedNanoClock();
        clock.update(TcpTestbed.START_NS);
        final Link[] cableA = Cable.ends(CABLE_BYTES);
        final Link[] cableB = Cable.ends(CABLE_BYTES);
        final CountersManager relayCounters = EmbeddedStack.newCountersManager();
        final Relay relay = new Relay(cableA[1], cableB[1],
            new ImpairedPath(forward, new RelayCounters(relayCounters, "a-to-b")),
            new ImpairedPath(backward, new RelayCounters(relayCounters, "b-to-a")), clock);
        try (Ringstack a = Ringstack.launch(settings.apply(onClock(
            context("a", ADDRESS_A, PipeDevice.on("a", MAC_A, cableA[0])), clock)), false, null);
            Ringstack b = Ringstack.launch(settings.apply(onClock(
                context("b", ADDRESS_B, PipeDevice.on("b", MAC_B, cableB[0])), clock)), false, null))
        {
            final SeededSource written = new SeededSource(bytes, CHUNK);
            final DigestSink read = new DigestSink(CHUNK);
            final long startNs = clock.nanoTime();
            run(a, b, relay, clock, written, read);
            assertEquals(bytes, read.total(), "bytes read");
            assertArrayEquals(written.digest(), read.digest(), "SHA-256 of the bytes read = of the bytes written");
            final EngineCounters sender = a.engine().counters();
            return new Result(clock.nanoTime() - startNs, bytes, sender.tcpRetransmittedSegments.get(),
                sender.tcpFastRetransmits.get(), sender.tcpRetransmissionTimeouts.get(), sender.tcpLossProbes.get(),
                sender.tcpDsacksReceived.get(), sender.tcpUndo.get(),
                b.engine().counters().drops(DropReason.TCP_PAWS), sender.tcpEcnReductions.get(),
                b.engine().counters().tcpEcnCeReceived.get());
        }
    }

    private static EngineContext onClock(final EngineContext context, final CachedNanoClock clock)
    {
        return context.nanoClock(clock)
            .set(Setting.TCP_ISN_KEY_0, TcpTestbed.ISN_KEY_0).set(Setting.TCP_ISN_KEY_1, TcpTestbed.ISN_KEY_1);
    }

    private static void run(final Ringstack a, final Ringstack b, final Relay relay, final CachedNanoClock clock,
        final SeededSource written, final DigestSink read)
    {
        final Sockets sender = a.sockets();
        final Sockets receiver = b.sockets();
        final int listener = receiver.socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0);
        assertEquals(0, receiver.bind(listener, SockAddr.inet(0, PORT)), "bind");
        assertEquals(0, receiver.listen(listener, 8), "listen");
        final int fd = sender.socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0);
        assertEquals(-Errno.EINPROGRESS, sender.connect(fd, SockAddr.inet(Ipv4Text.parse(ADDRESS_B), PORT)));
        final long deadlineNs = clock.nanoTime() + LIMIT_NS;
        int accepted = -1;
        boolean closed = false;
        while (!read.ended())
        {
            if (clock.nanoTime() - deadlineNs > 0)
            {
                fail("not done in virtual time: " + read.total() + " bytes read\nsender:\n" + a.diagnostics() +
                    "receiver:\n" + b.diagnostics());
            }
            written.writeSome((buffer, offset, length) -> Math.max(sender.write(fd, buffer, offset, length), 0));
            if (written.finished() && !closed)
            {
                assertEquals(0, sender.close(fd), "close");
                closed = true;
            }
            a.runner().invoke();
            relay.doWork();
            b.runner().invoke();
            relay.doWork();
            if (accepted < 0)
            {
                accepted = receiver.accept4(listener, null, SOCK_NONBLOCK);
                assertTrue(accepted >= 0 || accepted == -Errno.EAGAIN, "accept: " + Errno.describe(accepted));
            }
            else
            {
                final int connection = accepted;
                read.readSome((buffer, offset, length) -> receiver.read(connection, buffer, offset, length));
            }
            clock.advance(STEP_NS);
        }
    }
}
