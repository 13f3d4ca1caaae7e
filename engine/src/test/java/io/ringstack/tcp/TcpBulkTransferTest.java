package io.ringstack.tcp;

import io.ringstack.Ringstack;
import io.ringstack.config.Setting;
import io.ringstack.engine.EngineContext;
import io.ringstack.errno.Errno;
import io.ringstack.iface.InterfaceConfig;
import io.ringstack.phy.FaultInjectingDevice;
import io.ringstack.phy.NetworkDevice;
import io.ringstack.phy.PipeDevice;
import io.ringstack.socket.SockAddr;
import io.ringstack.socket.Sockets;
import io.ringstack.wire.Ipv4Text;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;
import org.agrona.CloseHelper;
import org.agrona.concurrent.SystemNanoClock;
import org.junit.jupiter.api.Test;

import static io.ringstack.socket.SocketConstants.AF_INET;
import static io.ringstack.socket.SocketConstants.SOCK_STREAM;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * 100 MB from one engine to another over a wire ({@link PipeDevice#pair}), each engine on its own thread, a writer
 * and a reader thread on the sockets; the SHA-256 of what was written must be the SHA-256 of what was read. Then
 * the same through {@link FaultInjectingDevice}s on both ends: 5% loss, 5% reordering, 5% duplication and 1%
 * corruption per frame, seeded.
 */
class TcpBulkTransferTest
{
    private static final long TOTAL_BYTES = 100L * 1000 * 1000;
    private static final int CHUNK = 64 * 1024;
    private static final int PORT = 5001;
    private static final String ADDRESS_A = "10.0.0.1";
    private static final String ADDRESS_B = "10.0.0.2";
    private static final long MAC_A = 0x0200_0000_000AL;
    private static final long MAC_B = 0x0200_0000_000BL;

    @Test
    void hundredMegabytesArriveIntact() throws Exception
    {
        final PipeDevice[] wire = PipeDevice.pair("a", MAC_A, "b", MAC_B, 4 << 20);
        transfer(wire[0], wire[1], UnaryOperator.identity(), 60);
    }

    @Test
    void hundredMegabytesSurviveLossReorderingDuplicationAndCorruption() throws Exception
    {
        final PipeDevice[] wire = PipeDevice.pair("a", MAC_A, "b", MAC_B, 4 << 20);
        final FaultInjectingDevice a = new FaultInjectingDevice(wire[0], faults(11), SystemNanoClock.INSTANCE);
        final FaultInjectingDevice b = new FaultInjectingDevice(wire[1], faults(12), SystemNanoClock.INSTANCE);
        final long startNs = System.nanoTime();

        transfer(a, b, context -> context.set(Setting.TCP_RTO_MIN_NS, TimeUnit.MILLISECONDS.toNanos(20)), 150);

        System.out.printf("100 MB through faults in %d ms; A %s; B %s%n",
            TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startNs), a, b);
        assertTrue(a.lost() > 0 && a.reordered() > 0 && a.duplicated() > 0 && a.corrupted() > 0, a::toString);
    }

    private static FaultInjectingDevice.Faults faults(final long seed)
    {
        return new FaultInjectingDevice.Faults().seed(seed).loss(0.05).reordering(0.05).duplication(0.05)
            .corruption(0.01);
    }

    private static void transfer(
        final NetworkDevice deviceA, final NetworkDevice deviceB, final UnaryOperator<EngineContext> customise,
        final long timeoutSeconds) throws Exception
    {
        Ringstack a = null;
        Ringstack b = null;
        try
        {
            a = Ringstack.launch(customise.apply(context("a", ADDRESS_A, deviceA)), true, null);
            b = Ringstack.launch(customise.apply(context("b", ADDRESS_B, deviceB)), true, null);
            final Sockets sender = a.sockets();
            final Sockets receiver = b.sockets();
            final int listener = receiver.socket(AF_INET, SOCK_STREAM, 0);
            assertEquals(0, receiver.bind(listener, SockAddr.inet(0, PORT)));
            assertEquals(0, receiver.listen(listener, 8));
            final CompletableFuture<byte[]> read = CompletableFuture.supplyAsync(() -> readAll(receiver, listener));
            final byte[] written = writeAll(sender, Ipv4Text.parse(ADDRESS_B));
            final byte[] digest = read.get(timeoutSeconds, TimeUnit.SECONDS);

            assertArrayEquals(written, digest, "SHA-256 of the bytes read = SHA-256 of the bytes written");
            assertTrue(a.engine().counters().rxBalanced(), a::diagnostics);
            assertTrue(b.engine().counters().rxBalanced(), b::diagnostics);
            assertEquals(0, a.runner().errorCount(), a::diagnostics);
            assertEquals(0, b.runner().errorCount(), b::diagnostics);
            System.out.println("sender:\n" + a.diagnostics() + "receiver:\n" + b.diagnostics());
        }
        finally
        {
            CloseHelper.closeAll(a, b);
        }
    }

    private static EngineContext context(final String name, final String address, final NetworkDevice device)
    {
        return new EngineContext()
            .name(name)
            .interfaceConfig(InterfaceConfig.parse(address + "/24", null, device.macAddress()))
            .device(device);
    }

    private static byte[] writeAll(final Sockets sockets, final int destination)
    {
        final MessageDigest digest = sha256();
        final int fd = sockets.socket(AF_INET, SOCK_STREAM, 0);
        try
        {
            assertEquals(0, sockets.connect(fd, SockAddr.inet(destination, PORT)), "connect");
            final byte[] chunk = new byte[CHUNK];
            final SplittableRandom random = new SplittableRandom(42);
            long remaining = TOTAL_BYTES;
            while (remaining > 0)
            {
                final int length = (int)Math.min(remaining, CHUNK);
                for (int i = 0; i < length; i += 8)
                {
                    final long bits = random.nextLong();
                    for (int j = 0; j < 8 && i + j < length; j++)
                    {
                        chunk[i + j] = (byte)(bits >>> (8 * j));
                    }
                }
                int offset = 0;
                while (offset < length)
                {
                    final int written = sockets.write(fd, chunk, offset, length - offset);
                    assertTrue(written >= 0 || written == -Errno.EAGAIN, () -> "write: " + Errno.describe(written));
                    offset += Math.max(written, 0);
                }
                digest.update(chunk, 0, length);
                remaining -= length;
            }
        }
        finally
        {
            sockets.close(fd);
        }
        return digest.digest();
    }

    private static byte[] readAll(final Sockets sockets, final int listener)
    {
        final MessageDigest digest = sha256();
        final int fd = sockets.accept(listener, null);
        assertTrue(fd >= 0, () -> "accept: " + Errno.describe(fd));
        final byte[] buffer = new byte[CHUNK];
        long total = 0;
        try
        {
            while (true)
            {
                final int read = sockets.read(fd, buffer, 0, buffer.length);
                if (read == 0)
                {
                    break;
                }
                if (read == -Errno.EAGAIN)
                {
                    continue;
                }
                assertTrue(read > 0, () -> "read: " + Errno.describe(read));
                digest.update(buffer, 0, read);
                total += read;
            }
        }
        finally
        {
            sockets.close(fd);
            sockets.close(listener);
        }
        assertEquals(TOTAL_BYTES, total, "bytes read");
        return digest.digest();
    }

    private static MessageDigest sha256()
    {
        try
        {
            return MessageDigest.getInstance("SHA-256");
        }
        catch (final NoSuchAlgorithmException ex)
        {
            throw new IllegalStateException(ex);
        }
    }
}
