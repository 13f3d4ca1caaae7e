package io.ringstack.bench;

import io.ringstack.Ringstack;
import io.ringstack.engine.EngineContext;
import io.ringstack.engine.EngineRunner;
import io.ringstack.iface.DropReason;
import io.ringstack.iface.EngineCounters;
import io.ringstack.iface.InterfaceConfig;
import io.ringstack.socket.SockAddr;
import io.ringstack.socket.SocketConstants;
import io.ringstack.socket.Sockets;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

import static io.ringstack.bench.UdpFrames.ENGINE_ADDRESS;
import static io.ringstack.bench.UdpFrames.ENGINE_MAC;
import static io.ringstack.bench.UdpFrames.FRAME_LENGTH;
import static io.ringstack.bench.UdpFrames.PEER_ADDRESS;

/**
 * What a duty cycle costs whatever it moves: one operation is one duty cycle of an embedded engine on the system
 * clock whose device hands it {@code frames} 64-byte UDP datagrams for a bound socket, which the application then
 * reads with {@code recvfrom(MSG_DONTWAIT)}, one call per datagram. With 0 frames it is the fixed cost alone (the
 * clock, the command, doorbell and loopback rings, the device, the timers, TCP's flush, the counters); with 1, a
 * small cycle as a replayed journal or a lightly loaded engine runs them; with 64, a full frame budget. ops/s is
 * duty cycles/s; frames/s is that times {@code frames}. The trial tear-down fails the run unless every frame was
 * delivered.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
public class EngineCycleBenchmark extends ForkedBenchmark
{
    private static final int PORT = 7777;

    @Param({ "0", "1", "64" })
    int frames;

    private final BurstDevice device = new BurstDevice(ENGINE_MAC);
    private final byte[] payload = new byte[2048];
    private Ringstack stack;
    private EngineRunner runner;
    private Sockets sockets;
    private int fd;

    @Setup(Level.Trial)
    public void setUp()
    {
        stack = Ringstack.launch(new EngineContext()
            .name("bench-cycle")
            .interfaceConfig(new InterfaceConfig(ENGINE_ADDRESS, 24, PEER_ADDRESS, ENGINE_MAC))
            .device(device), false, null);
        runner = stack.runner();
        sockets = stack.sockets();
        fd = Checks.errno(sockets.socket(SocketConstants.AF_INET, SocketConstants.SOCK_DGRAM, 0), "socket");
        Checks.errno(sockets.bind(fd, SockAddr.inet(SocketConstants.INADDR_ANY, PORT)), "bind");
        device.feed(UdpFrames.toEngine(PORT), FRAME_LENGTH, frames);
    }

    /**
     * Fail the run unless every frame the device handed over was delivered.
     */
    @TearDown(Level.Trial)
    public void tearDown()
    {
        final EngineCounters counters = stack.engine().counters();
        final long received = counters.rxFrames.get();
        final boolean clean = received == device.received() && counters.rxDelivered.get() == received &&
            counters.totalDrops(DropReason.Direction.RX) == 0;
        final String diagnostics = stack.diagnostics();
        stack.close();
        if (!clean)
        {
            throw new IllegalStateException("frames were dropped:\n" + diagnostics);
        }
    }

    @Benchmark
    public int cycle()
    {
        runner.invoke();
        int datagrams = 0;
        while (sockets.recvfrom(fd, payload, 0, payload.length, SocketConstants.MSG_DONTWAIT, null) >= 0)
        {
            datagrams++;
        }
        return datagrams;
    }
}
