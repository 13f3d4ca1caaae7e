package io.ringstack.socket;

import io.ringstack.Ringstack;
import io.ringstack.config.Setting;
import io.ringstack.engine.EngineContext;
import io.ringstack.errno.Errno;
import io.ringstack.iface.InterfaceConfig;
import io.ringstack.wire.Ipv4Text;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static io.ringstack.socket.SocketConstants.AF_INET;
import static io.ringstack.socket.SocketConstants.AF_UNIX;
import static io.ringstack.socket.SocketConstants.INADDR_LOOPBACK;
import static io.ringstack.socket.SocketConstants.MSG_DONTWAIT;
import static io.ringstack.socket.SocketConstants.SOCK_STREAM;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The facade's calls that the programs built on it do not use: {@code recv} and {@code send} with flags, over a
 * connected stream of each family, and the send timeout. The engine runs embedded, so a blocking call runs its duty
 * cycles; blocking calls wait a minute unless a test sets less, so a call that waits when it should not, or longer
 * than it was told, runs into the test's ten seconds.
 */
class SocketsTest
{
    private static final int PORT = 7100;
    private static final Duration LIMIT = Duration.ofSeconds(10);

    private final Ringstack stack = Ringstack.launch(new EngineContext()
        .name("sockets")
        .interfaceConfig(new InterfaceConfig(Ipv4Text.parse("10.0.2.15"), 24, 0, 0x0200_0000_0001L))
        .set(Setting.CALL_TIMEOUT_NS, TimeUnit.MINUTES.toNanos(1)), false, null);
    private final Sockets sockets = stack.sockets();

    @AfterEach
    void close()
    {
        stack.close();
    }

    @ParameterizedTest
    @ValueSource(ints = { AF_UNIX, AF_INET })
    void recvWithDontWaitOnAnEmptyStreamReturnsEagain(final int family)
    {
        final int[] ends = connectedStream(family);

        assertTimeoutPreemptively(LIMIT,
            () -> assertResult(-Errno.EAGAIN, sockets.recv(ends[1], new byte[8], 0, 8, MSG_DONTWAIT)));
    }

    @ParameterizedTest
    @ValueSource(ints = { AF_UNIX, AF_INET })
    void recvReadsWhatSendWrote(final int family)
    {
        final int[] ends = connectedStream(family);
        final byte[] hello = "hello".getBytes(StandardCharsets.US_ASCII);

        assertEquals(hello.length, sockets.send(ends[0], hello, 0, hello.length, 0));
        final byte[] received = new byte[16];
        assertEquals(hello.length, sockets.recv(ends[1], received, 0, received.length, 0));
        assertArrayEquals(hello, Arrays.copyOf(received, hello.length));
    }

    @Test
    void blockingSendToAFullStreamGivesUpWithEagainOnceTheSendTimeoutHasPassed()
    {
        final int[] ends = connectedStream(AF_UNIX);
        final byte[] chunk = new byte[4096];
        while (sockets.send(ends[0], chunk, 0, chunk.length, MSG_DONTWAIT) > 0)
        {
            continue;
        }
        assertEquals(0, sockets.setSendTimeout(ends[0], TimeUnit.MILLISECONDS.toNanos(100)));

        assertTimeoutPreemptively(LIMIT, () ->
        {
            final long startNs = System.nanoTime();
            assertResult(-Errno.EAGAIN, sockets.send(ends[0], chunk, 0, 1, 0));
            final long elapsedMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startNs);
            assertTrue(elapsedMs >= 100, () -> "gave up after " + elapsedMs + " ms");
        });
    }

    @Test
    void timeoutsArePositiveAndSetOnOpenDescriptors()
    {
        final int[] ends = connectedStream(AF_UNIX);

        assertResult(-Errno.EINVAL, sockets.setSendTimeout(ends[0], 0));
        assertResult(-Errno.EINVAL, sockets.setReceiveTimeout(ends[0], -1));
        assertResult(-Errno.EBADF, sockets.setSendTimeout(99, 1));
        assertResult(-Errno.EBADF, sockets.setReceiveTimeout(99, 1));
    }

    /**
     * @return a connected stream's two ends, the writer first.
     */
    private int[] connectedStream(final int family)
    {
        final int[] ends = new int[2];
        if (family == AF_UNIX)
        {
            assertEquals(0, sockets.socketpair(AF_UNIX, SOCK_STREAM, 0, ends), "socketpair");
            return ends;
        }
        final SockAddr address = SockAddr.inet(INADDR_LOOPBACK, PORT);
        final int listener = sockets.socket(AF_INET, SOCK_STREAM, 0);
        assertEquals(0, sockets.bind(listener, address), "bind");
        assertEquals(0, sockets.listen(listener, 1), "listen");
        ends[0] = sockets.socket(AF_INET, SOCK_STREAM, 0);
        assertResult(0, sockets.connect(ends[0], address));
        ends[1] = sockets.accept(listener, null);
        assertTrue(ends[1] >= 0, () -> "accept: " + Errno.describe(ends[1]));
        return ends;
    }

    /**
     * Compare results by their names, so that a failure reads {@code expected: <-EAGAIN> but was: <5>}.
     */
    private void assertResult(final int expected, final int actual)
    {
        assertEquals(Errno.describe(expected), Errno.describe(actual), stack::diagnostics);
    }
}
