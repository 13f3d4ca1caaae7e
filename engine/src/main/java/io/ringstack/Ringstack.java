package io.ringstack;

import io.ringstack.config.Setting;
import io.ringstack.config.Settings;
import io.ringstack.counters.CountersFile;
import io.ringstack.engine.Engine;
import io.ringstack.engine.EngineClient;
import io.ringstack.engine.EngineContext;
import io.ringstack.engine.EngineRunner;
import io.ringstack.iface.EngineCounters;
import io.ringstack.phy.DeviceFactory;
import io.ringstack.socket.FdTable;
import io.ringstack.socket.Sockets;
import io.ringstack.socket.inet.InetSockets;
import io.ringstack.socket.local.LocalSockets;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import org.agrona.CloseHelper;
import org.agrona.concurrent.UnsafeBuffer;
import org.agrona.concurrent.status.CountersManager;
import org.agrona.concurrent.status.CountersReader;

/**
 * An engine ready for an application: the engine, what runs it, and the socket API over it (local sockets and
 * {@code AF_INET} through the engine). The entry point for embedding:
 * <pre>{@code
 * try (Ringstack stack = Ringstack.launch(new EngineContext().interfaceConfig(config), true, null))
 * {
 *     Sockets sockets = stack.sockets();
 *     int fd = sockets.socket(SocketConstants.AF_INET, SocketConstants.SOCK_DGRAM, 0);
 *     ...
 * }
 * }</pre>
 */
public final class Ringstack implements AutoCloseable
{
    private static final int MAX_COUNTERS = 256;

    private final CountersFile countersFile;
    private final Engine engine;
    private final EngineRunner runner;
    private final EngineClient client;
    private final Sockets sockets;

    private Ringstack(final EngineContext context, final boolean dedicated, final CountersFile countersFile)
    {
        this.countersFile = countersFile;
        engine = new Engine(context);
        runner = dedicated ? EngineRunner.dedicated(engine) : EngineRunner.invoker(engine);
        client = engine.newClient(runner.progress());
        sockets = new Sockets(
            new FdTable(context.settings().intValue(Setting.MAX_DESCRIPTORS)),
            new LocalSockets(LocalSockets.DEFAULT_STREAM_BUFFER_CAPACITY, LocalSockets.DEFAULT_DATAGRAM_QUEUE_CAPACITY,
                context.settings().longValue(Setting.CALL_TIMEOUT_NS)),
            new InetSockets(client, engine.tcp().board(), context.settings().intValue(Setting.UDP_RECEIVE_RING_CAPACITY),
                context.settings().longValue(Setting.CALL_TIMEOUT_NS)),
            runner.progress());
    }

    /**
     * Build and start an engine.
     *
     * @param dedicated {@code true} to run it on its own thread, {@code false} to run it embedded.
     * @param countersDirectory where to publish the counters for {@code ringstack stat}, or {@code null} to keep
     *                          them in memory. Ignored when the context already has a counters manager.
     */
    public static Ringstack launch(final EngineContext context, final boolean dedicated, final Path countersDirectory)
    {
        return launch(context, dedicated, countersDirectory, null);
    }

    /**
     * Build and start an engine whose device is made by {@code deviceFactory} over the engine's counters. The
     * interface takes its MAC address from the device, as an operating system reads it from its NIC.
     *
     * @param deviceFactory makes the device, or {@code null} to use the context's device as it is.
     */
    public static Ringstack launch(
        final EngineContext context, final boolean dedicated, final Path countersDirectory,
        final DeviceFactory deviceFactory)
    {
        CountersFile countersFile = null;
        if (context.countersManager() == null)
        {
            if (countersDirectory != null)
            {
                countersFile = CountersFile.create(
                    CountersFile.pathFor(countersDirectory, context.name()), MAX_COUNTERS);
                context.countersManager(countersFile.manager());
            }
            else
            {
                context.countersManager(inMemoryCounters());
            }
        }
        try
        {
            if (deviceFactory != null)
            {
                context.device(deviceFactory.create(context.name(), context.countersManager()));
            }
            if (context.device() != null && context.interfaceConfig() != null)
            {
                context.interfaceConfig(context.interfaceConfig().withMacAddress(context.device().macAddress()));
            }
            if (context.device() != null)
            {
                offerSegmentOffload(context);
            }
            return new Ringstack(context, dedicated, countersFile);
        }
        catch (final RuntimeException ex)
        {
            CloseHelper.quietClose(countersFile);
            throw ex;
        }
    }

    /**
     * The engine sends segments as large as its device cuts itself ({@link Setting#SEGMENT_OFFLOAD_BYTES}): what
     * the device offers, or less when the context asks for less.
     */
    private static void offerSegmentOffload(final EngineContext context)
    {
        final int offered = context.device().segmentOffloadBytes();
        final Settings settings = context.settings();
        context.set(Setting.SEGMENT_OFFLOAD_BYTES, settings.isSet(Setting.SEGMENT_OFFLOAD_BYTES) ?
            Math.min(offered, settings.intValue(Setting.SEGMENT_OFFLOAD_BYTES)) : offered);
    }

    private static CountersManager inMemoryCounters()
    {
        return new CountersManager(
            new UnsafeBuffer(ByteBuffer.allocateDirect(MAX_COUNTERS * CountersReader.METADATA_LENGTH)),
            new UnsafeBuffer(ByteBuffer.allocateDirect(MAX_COUNTERS * CountersReader.COUNTER_LENGTH)));
    }

    public Engine engine()
    {
        return engine;
    }

    public EngineRunner runner()
    {
        return runner;
    }

    public EngineClient client()
    {
        return client;
    }

    public Sockets sockets()
    {
        return sockets;
    }

    /**
     * @return the counters that explain what happened: every non-zero one, and engine errors if any.
     */
    public String diagnostics()
    {
        final String counters = engine.counters().describeNonZero() + deviceCounters();
        final long errors = runner.errorCount();
        return errors == 0 ? counters : counters + "  engine_errors=" + errors + " (last: " + runner.lastError() +
            ")\n";
    }

    /**
     * @return the non-zero counters the device allocated beside the engine's, e.g. a NIC model's drops.
     */
    private String deviceCounters()
    {
        final CountersManager counters = engine.context().countersManager();
        final StringBuilder text = new StringBuilder();
        counters.forEach((counterId, typeId, keyBuffer, label) ->
        {
            final long value = counters.getCounterValue(counterId);
            if (typeId != EngineCounters.TYPE_TOTAL && typeId != EngineCounters.TYPE_DROP && value != 0)
            {
                text.append("  ").append(label).append('=').append(value).append('\n');
            }
        });
        return text.toString();
    }

    public void close()
    {
        CloseHelper.closeAll(runner, countersFile);
    }
}
