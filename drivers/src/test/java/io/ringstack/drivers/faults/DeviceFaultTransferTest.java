package io.ringstack.drivers.faults;

import io.ringstack.Ringstack;
import io.ringstack.config.Setting;
import io.ringstack.drivers.DeviceDrop;
import io.ringstack.drivers.DeviceFaults;
import io.ringstack.engine.EngineContext;
import io.ringstack.errno.Errno;
import io.ringstack.iface.InterfaceConfig;
import io.ringstack.phy.Cable;
import io.ringstack.phy.Link;
import io.ringstack.socket.SockAddr;
import io.ringstack.socket.Sockets;
import io.ringstack.testkit.DigestSink;
import io.ringstack.testkit.SeededSource;
import io.ringstack.wire.Ipv4Text;
import org.agrona.concurrent.CachedNanoClock;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.Arrays;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.stream.Stream;

import static io.ringstack.socket.SocketConstants.AF_INET;
import static io.ringstack.socket.SocketConstants.SOCK_NONBLOCK;
import static io.ringstack.socket.SocketConstants.SOCK_STREAM;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A TCP transfer between two engines, each on a NIC model, joined by a cable, both embedded on the test thread and
 * one virtual clock: a device fault strikes once a quarter of the bytes has arrived, and the transfer completes
 * intact (byte count and SHA-256 of what was read equal to those of what was written), the fault's frames counted
 * under its reason, the engines without an error, every received frame accounted for.
 * <ul>
 *   <li>the receiver's driver starves its receive ring for {@link #OUTAGE_NS}, then replenishes it;</li>
 *   <li>the sender's transmit unit hangs until its driver's watchdog resets the device;</li>
 *   <li>the sender's cable is out for {@link #OUTAGE_NS}, then back.</li>
 * </ul>
 * After the fault ends, bytes must flow again within one backed-off retransmission timeout: RFC 6298 doubles the
 * timeout at each expiry, so after an outage of {@code d} the next retransmission comes at most about {@code d}
 * plus the timeout it started from (the initial 1 s at most) later.
 */
class DeviceFaultTransferTest
{
    private static final long TOTAL_BYTES = 4L << 20;
    private static final long FAULT_AT_BYTES = TOTAL_BYTES / 4;
    private static final long OUTAGE_NS = TimeUnit.SECONDS.toNanos(2);
    private static final long STEP_NS = TimeUnit.MICROSECONDS.toNanos(20);
    private static final long VIRTUAL_LIMIT_NS = TimeUnit.MINUTES.toNanos(5);
    private static final long RESUME_SLACK_NS = TimeUnit.SECONDS.toNanos(1);
    private static final long START_NS = TimeUnit.SECONDS.toNanos(1000);
    private static final int CHUNK = 64 * 1024;
    private static final int PORT = 5001;
    private static final String ADDRESS_A = "10.0.0.1";
    private static final String ADDRESS_B = "10.0.0.2";

    /**
     * A fault, where it strikes, what it costs, and how it ends: after {@link #OUTAGE_NS}, or by the watchdog.
     */
    enum Fault
    {
        STARVED_RX(false, DeviceDrop.RX_RING_FULL, DeviceFaults::starveRx, DeviceFaults::replenishRx),
        HUNG_TX(true, DeviceDrop.DEVICE_RESET, DeviceFaults::hangTx, null),
        LINK_DOWN(true, DeviceDrop.LINK_DOWN, DeviceFaults::linkDown, DeviceFaults::linkUp);

        /** Whether the fault strikes the sender's NIC; the receiver's otherwise. */
        final boolean atSender;
        final DeviceDrop reason;
        private final Consumer<DeviceFaults> start;
        /** {@code null} when the driver's watchdog ends the fault with a reset. */
        private final Consumer<DeviceFaults> end;

        Fault(final boolean atSender, final DeviceDrop reason, final Consumer<DeviceFaults> start,
            final Consumer<DeviceFaults> end)
        {
            this.atSender = atSender;
            this.reason = reason;
            this.start = start;
            this.end = end;
        }

        void start(final NicModel.Nic nic)
        {
            start.accept(nic.faults());
        }

        /**
         * @return whether the fault is over, {@code sinceNs} after it struck; ends it when its time has come.
         */
        boolean over(final NicModel.Nic nic, final long sinceNs)
        {
            if (end == null)
            {
                return nic.counters().resets.get() > 0;
            }
            if (sinceNs < OUTAGE_NS)
            {
                return false;
            }
            end.accept(nic.faults());
            return true;
        }
    }

    static Stream<Arguments> modelsAndFaults()
    {
        return Arrays.stream(NicModel.values())
            .flatMap((model) -> Arrays.stream(Fault.values()).map((fault) -> Arguments.of(model, fault)));
    }

    @ParameterizedTest(name = "{0}, {1}")
    @MethodSource("modelsAndFaults")
    void aTransferStruckByADeviceFaultCompletesIntactAfterRecovery(final NicModel model, final Fault fault)
    {
        final CachedNanoClock clock = new CachedNanoClock();
        clock.update(START_NS);
        final Link[] cable = Cable.ends(1 << 20);
        final NicModel.Nic[] nics = new NicModel.Nic[2];
        try (Ringstack a = launch(model, "a", ADDRESS_A, 0x0200_0000_000AL, cable[0], clock, nics, 0);
            Ringstack b = launch(model, "b", ADDRESS_B, 0x0200_0000_000BL, cable[1], clock, nics, 1))
        {
            final NicModel.Nic struck = fault.atSender ? nics[0] : nics[1];
            final SeededSource written = new SeededSource(TOTAL_BYTES, CHUNK);
            final DigestSink read = new DigestSink(CHUNK);
            final Run run = new Run(fault, struck, read);

            transfer(a, b, clock, written, read, run);

            final String figures = String.format("%s, %s: %s = %d, fault over after %d ms, bytes again %d ms later, " +
                "%d bytes in %d ms of virtual time", model, fault, fault.reason.label(),
                struck.counters().drops(fault.reason), TimeUnit.NANOSECONDS.toMillis(run.overAtNs - run.struckAtNs),
                TimeUnit.NANOSECONDS.toMillis(run.resumedAtNs - run.overAtNs), read.total(),
                TimeUnit.NANOSECONDS.toMillis(clock.nanoTime() - START_NS));
            System.out.println(figures);
            assertEquals(TOTAL_BYTES, read.total(), "bytes read");
            assertArrayEquals(written.digest(), read.digest(),
                "SHA-256 of the bytes read = SHA-256 of the bytes written");
            assertTrue(struck.counters().drops(fault.reason) > 0, figures);
            assertTrue(run.struckAtNs >= 0 && run.overAtNs >= 0 && run.resumedAtNs >= 0, figures);
            assertTrue(run.resumedAtNs - run.overAtNs <= run.overAtNs - run.struckAtNs + RESUME_SLACK_NS, figures);
            if (fault == Fault.HUNG_TX)
            {
                final long resetAfterNs = run.overAtNs - run.struckAtNs;
                assertTrue(resetAfterNs >= struck.txTimeoutNs() && resetAfterNs <= struck.txTimeoutNs() + STEP_NS,
                    figures);
            }
            for (final Ringstack engine : new Ringstack[]{ a, b })
            {
                assertEquals(0, engine.runner().errorCount(), engine::diagnostics);
                assertTrue(engine.engine().counters().rxBalanced(), engine::diagnostics);
            }
        }
    }

    private static Ringstack launch(
        final NicModel model, final String name, final String address, final long mac, final Link link,
        final CachedNanoClock clock, final NicModel.Nic[] nics, final int index)
    {
        final EngineContext context = new EngineContext()
            .name(name)
            .interfaceConfig(InterfaceConfig.parse(address + "/24", null, mac))
            .nanoClock(clock)
            .set(Setting.TCP_ISN_KEY_0, 0x0123_4567_89AB_CDEFL).set(Setting.TCP_ISN_KEY_1, 0x0FED_CBA9_8765_4321L);
        return Ringstack.launch(context, false, null, (engineName, counters) ->
        {
            nics[index] = model.create(engineName + "." + model.name().toLowerCase(), link, mac, counters, clock);
            return nics[index].driver();
        });
    }

    /**
     * When the fault struck, when it was over, and when bytes arrived again after that.
     */
    private static final class Run
    {
        final Fault fault;
        final NicModel.Nic struck;
        final DigestSink read;
        long struckAtNs = -1;
        long overAtNs = -1;
        long bytesWhenOver;
        long resumedAtNs = -1;

        Run(final Fault fault, final NicModel.Nic struck, final DigestSink read)
        {
            this.fault = fault;
            this.struck = struck;
            this.read = read;
        }

        void step(final long nowNs)
        {
            if (struckAtNs < 0)
            {
                if (read.total() >= FAULT_AT_BYTES)
                {
                    fault.start(struck);
                    struckAtNs = nowNs;
                }
            }
            else if (overAtNs < 0)
            {
                if (fault.over(struck, nowNs - struckAtNs))
                {
                    overAtNs = nowNs;
                    bytesWhenOver = read.total();
                }
            }
            else if (resumedAtNs < 0 && read.total() > bytesWhenOver)
            {
                resumedAtNs = nowNs;
            }
        }
    }

    /**
     * Rounds of one duty cycle per engine, each {@link #STEP_NS} of virtual time, with as much writing and reading
     * on non-blocking sockets as they take between rounds, until the reader sees the end of the stream; the fault
     * strikes and ends between rounds too.
     */
    private static void transfer(
        final Ringstack a, final Ringstack b, final CachedNanoClock clock, final SeededSource written,
        final DigestSink read, final Run run)
    {
        final Sockets sender = a.sockets();
        final Sockets receiver = b.sockets();
        final int listener = receiver.socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0);
        assertEquals(0, receiver.bind(listener, SockAddr.inet(0, PORT)), "bind");
        assertEquals(0, receiver.listen(listener, 8), "listen");
        final int fd = sender.socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0);
        assertEquals(-Errno.EINPROGRESS, sender.connect(fd, SockAddr.inet(Ipv4Text.parse(ADDRESS_B), PORT)));
        final SeededSource.Writer toSender = (buffer, offset, length) ->
            Math.max(0, expected(sender.write(fd, buffer, offset, length)));
        final int[] accepted = { -Errno.EAGAIN };
        final DigestSink.Reader fromReceiver = (buffer, offset, length) ->
            expected(receiver.read(accepted[0], buffer, offset, length));
        boolean closed = false;
        while (!read.ended())
        {
            assertTrue(clock.nanoTime() - START_NS <= VIRTUAL_LIMIT_NS, () -> "not done in virtual time: " +
                read.total() + " bytes read\nsender:\n" + a.diagnostics() + "receiver:\n" + b.diagnostics());
            written.writeSome(toSender);
            if (written.finished() && !closed)
            {
                assertEquals(0, sender.close(fd), "close");
                closed = true;
            }
            a.runner().invoke();
            b.runner().invoke();
            accepted[0] = accepted[0] >= 0 ? accepted[0] : expected(receiver.accept4(listener, null, SOCK_NONBLOCK));
            if (accepted[0] >= 0)
            {
                read.readSome(fromReceiver);
            }
            run.step(clock.nanoTime());
            clock.advance(STEP_NS);
        }
        receiver.close(accepted[0]);
        receiver.close(listener);
    }

    /**
     * @return {@code result}, a count or a descriptor, or {@code -EAGAIN}; any other error fails the test.
     */
    private static int expected(final int result)
    {
        assertTrue(result >= 0 || result == -Errno.EAGAIN, () -> Errno.describe(result));
        return result;
    }
}
