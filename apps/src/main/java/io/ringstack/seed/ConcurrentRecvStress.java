package io.ringstack.seed;

import io.ringstack.errno.Errno;
import io.ringstack.socket.SockAddr;
import io.ringstack.socket.SocketConstants;
import io.ringstack.socket.Sockets;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.atomic.AtomicReferenceArray;

import static io.ringstack.seed.SeedChecks.ascii;
import static io.ringstack.seed.SeedChecks.check;
import static io.ringstack.seed.SeedChecks.succeeds;
import static io.ringstack.socket.SocketConstants.AF_INET;
import static io.ringstack.socket.SocketConstants.SOCK_DGRAM;

/**
 * The seed's {@code concurrent_recv_stress} with threads for its forked children: receiver i binds UDP
 * 56000+i and blocks in {@code recvfrom}; once all are blocked, an unbound socket sends "CHILD&lt;i&gt;\n" to
 * 127.0.0.1:56000+i. Every receiver must wake with its own datagram.
 */
public final class ConcurrentRecvStress implements SeedProgram
{
    private static final int RECEIVERS = 4;
    private static final int FIRST_PORT = 56000;
    private static final long JOIN_TIMEOUT_MS = 10_000;

    public String name()
    {
        return "concurrent_recv_stress";
    }

    public List<SeedPhase> phases()
    {
        return List.of(new SeedPhase("1 four blocked receivers each wake with their datagram",
            ConcurrentRecvStress::run));
    }

    private static void run(final SeedContext context) throws SeedFailure
    {
        final Sockets sockets = context.sockets();
        final int[] fds = new int[RECEIVERS];
        final AtomicReferenceArray<String> outcomes = new AtomicReferenceArray<>(RECEIVERS);
        final Thread[] receivers = new Thread[RECEIVERS];
        try
        {
            for (int i = 0; i < RECEIVERS; i++)
            {
                fds[i] = succeeds(sockets.socket(AF_INET, SOCK_DGRAM, 0), "receiver socket " + i);
                succeeds(sockets.bind(fds[i], SockAddr.inet(SocketConstants.INADDR_ANY, FIRST_PORT + i)),
                    "bind " + (FIRST_PORT + i));
                final int index = i;
                receivers[i] = new Thread(() -> outcomes.set(index, receive(sockets, fds[index], index)),
                    "receiver-" + i);
                receivers[i].start();
            }
            sendToEach(sockets);
            for (int i = 0; i < RECEIVERS; i++)
            {
                check(SeedThreads.join(receivers[i], JOIN_TIMEOUT_MS),
                    receivers[i].getName() + " still blocked after " + JOIN_TIMEOUT_MS + " ms");
                check("ok".equals(outcomes.get(i)), "receiver " + i + ": " + outcomes.get(i));
            }
        }
        finally
        {
            for (final int fd : fds)
            {
                if (fd > 0)
                {
                    sockets.close(fd);
                }
            }
        }
    }

    private static String receive(final Sockets sockets, final int fd, final int index)
    {
        final byte[] buffer = new byte[64];
        final int received = sockets.recvfrom(fd, buffer, 0, buffer.length, 0, null);
        if (received < 0)
        {
            return "recvfrom failed with " + Errno.name(received);
        }
        final String text = new String(buffer, 0, received, StandardCharsets.US_ASCII);
        return text.equals("CHILD" + index + "\n") ? "ok" : "got \"" + text.trim() + "\"";
    }

    private static void sendToEach(final Sockets sockets) throws SeedFailure
    {
        SeedThreads.sleep(50);
        final int sender = succeeds(sockets.socket(AF_INET, SOCK_DGRAM, 0), "sender socket");
        try
        {
            for (int i = 0; i < RECEIVERS; i++)
            {
                final byte[] payload = ascii("CHILD" + i + "\n");
                final int sent = sockets.sendto(sender, payload, 0, payload.length, 0,
                    SockAddr.inet(SocketConstants.INADDR_LOOPBACK, FIRST_PORT + i));
                check(sent == payload.length, "sendto CHILD" + i + " returned " + Errno.describe(sent));
                SeedThreads.sleep(5);
            }
        }
        finally
        {
            sockets.close(sender);
        }
    }
}
