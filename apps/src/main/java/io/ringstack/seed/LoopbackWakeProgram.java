package io.ringstack.seed;

import io.ringstack.errno.Errno;
import io.ringstack.socket.SockAddr;
import io.ringstack.socket.SocketConstants;
import io.ringstack.socket.Sockets;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

import static io.ringstack.seed.SeedChecks.check;
import static io.ringstack.seed.SeedChecks.succeeds;
import static io.ringstack.socket.SocketConstants.AF_INET;
import static io.ringstack.socket.SocketConstants.SOCK_DGRAM;

/**
 * The seed's {@code loopback_wake_test} idea over UDP (its TCP form comes with the TCP engine): a reader blocked
 * on port 54530 must receive a 16-byte payload (8-byte little-endian send timestamp, then "545-wake") within
 * 4000 ms, while a load thread keeps the engine busy with a stream of datagrams to another port, which a third
 * thread drains.
 */
public final class LoopbackWakeProgram implements SeedProgram
{
    private static final int PORT = 54530;
    private static final int LOAD_PORT = 54531;
    private static final long WAKE_DEADLINE_MS = 4000;
    private static final byte[] TAG = SeedChecks.ascii("545-wake");

    public String name()
    {
        return "loopback_wake_test";
    }

    public List<SeedPhase> phases()
    {
        return List.of(new SeedPhase("1 blocked reader wakes within 4000 ms under load", LoopbackWakeProgram::run));
    }

    private static void run(final SeedContext context) throws SeedFailure
    {
        final Sockets sockets = context.sockets();
        final int reader = succeeds(sockets.socket(AF_INET, SOCK_DGRAM, 0), "reader socket");
        final int sink = succeeds(sockets.socket(AF_INET, SOCK_DGRAM, 0), "load sink socket");
        final int writer = succeeds(sockets.socket(AF_INET, SOCK_DGRAM, 0), "writer socket");
        final AtomicBoolean loading = new AtomicBoolean(true);
        final AtomicLong loadSent = new AtomicLong();
        final AtomicReference<String> outcome = new AtomicReference<>("no result");
        try
        {
            succeeds(sockets.bind(reader, SockAddr.inet(SocketConstants.INADDR_ANY, PORT)), "bind 54530");
            succeeds(sockets.bind(sink, SockAddr.inet(SocketConstants.INADDR_ANY, LOAD_PORT)), "bind 54531");
            final Thread load = new Thread(() -> load(sockets, loading, loadSent), "load");
            final Thread drain = new Thread(() -> drain(sockets, sink, loading), "load-drain");
            drain.start();
            final Thread read = new Thread(() -> outcome.set(read(sockets, reader)), "reader");
            read.start();
            load.start();
            SeedThreads.sleep(100);
            final byte[] payload = ByteBuffer.allocate(16).order(ByteOrder.LITTLE_ENDIAN)
                .putLong(System.nanoTime()).put(TAG).array();
            final int sent = sockets.sendto(
                writer, payload, 0, payload.length, 0, SockAddr.inet(context.ownAddress(), PORT));
            check(sent == payload.length, "sendto 54530 returned " + Errno.describe(sent));
            final boolean woke = SeedThreads.join(read, WAKE_DEADLINE_MS + 1000);
            loading.set(false);
            SeedThreads.join(load, 5000);
            SeedThreads.join(drain, 5000);
            check(woke, "reader still blocked after " + WAKE_DEADLINE_MS + " ms");
            check(loadSent.get() > 0, "the load thread sent nothing, so the engine was never busy");
            check(outcome.get().startsWith("ok"), outcome.get());
        }
        finally
        {
            loading.set(false);
            sockets.close(reader);
            sockets.close(sink);
            sockets.close(writer);
        }
    }

    private static String read(final Sockets sockets, final int reader)
    {
        final byte[] buffer = new byte[64];
        sockets.setReceiveTimeout(reader, TimeUnit.MILLISECONDS.toNanos(WAKE_DEADLINE_MS));
        final int received = sockets.recvfrom(reader, buffer, 0, buffer.length, 0, null);
        final long arrivedNs = System.nanoTime();
        if (received != 16)
        {
            return "recvfrom returned " + Errno.describe(received) + ", expected 16 bytes";
        }
        if (!Arrays.equals(buffer, 8, 16, TAG, 0, TAG.length))
        {
            return "payload tag is not 545-wake";
        }
        final long sentNs = ByteBuffer.wrap(buffer, 0, 8).order(ByteOrder.LITTLE_ENDIAN).getLong();
        final long latencyMs = TimeUnit.NANOSECONDS.toMillis(arrivedNs - sentNs);
        return latencyMs <= WAKE_DEADLINE_MS ? "ok in " + latencyMs + " ms" : "woke after " + latencyMs + " ms";
    }

    /**
     * Read the load as it comes, so the load is delivered rather than dropped at a full socket ring.
     */
    private static void drain(final Sockets sockets, final int sink, final AtomicBoolean loading)
    {
        final byte[] buffer = new byte[1024];
        sockets.setReceiveTimeout(sink, TimeUnit.MILLISECONDS.toNanos(50));
        while (loading.get())
        {
            sockets.recvfrom(sink, buffer, 0, buffer.length, 0, null);
        }
    }

    private static void load(final Sockets sockets, final AtomicBoolean loading, final AtomicLong sent)
    {
        final int fd = sockets.socket(AF_INET, SOCK_DGRAM, 0);
        final byte[] payload = new byte[512];
        final SockAddr sink = SockAddr.inet(SocketConstants.INADDR_LOOPBACK, LOAD_PORT);
        while (loading.get())
        {
            if (sockets.sendto(fd, payload, 0, payload.length, 0, sink) > 0)
            {
                sent.incrementAndGet();
            }
        }
        sockets.close(fd);
    }
}
