package io.ringstack.tcp;

import io.ringstack.config.Setting;
import io.ringstack.errno.Errno;
import io.ringstack.iface.EngineCounters;
import io.ringstack.socket.SockAddr;
import io.ringstack.socket.Sockets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static io.ringstack.socket.SocketConstants.AF_INET;
import static io.ringstack.socket.SocketConstants.SHUT_WR;
import static io.ringstack.socket.SocketConstants.SOCK_NONBLOCK;
import static io.ringstack.socket.SocketConstants.SOCK_STREAM;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A receiver that stops reading until its window is zero, between two engines on a virtual clock (A sends, B
 * receives; retransmission timeouts from 20 ms): the sender's persist timer probes the closed window with
 * exponential back-off (RFC 9293 3.8.6.1, RFC 1122 4.2.2.17), so a minute of stall costs a bounded number of
 * segments each way, not a busy loop; when the receiver reads again its window update reopens the window and the
 * transfer completes intact.
 */
class TcpZeroWindowStallTest
{
    private static final int PORT = 7001;
    /** Twice what B's receive ring and A's send ring hold together, so that the stall comes in the middle. */
    private static final int TOTAL_BYTES = (int)(2 * (Setting.TCP_SEND_BUFFER_CAPACITY.defaultValue() +
        Setting.TCP_RECEIVE_BUFFER_CAPACITY.defaultValue()));
    private static final long STEP_NS = TimeUnit.MILLISECONDS.toNanos(1);
    private static final long STALL_NS = TimeUnit.SECONDS.toNanos(60);
    private static final long LIMIT_NS = TimeUnit.SECONDS.toNanos(10);
    /**
     * Probes a minute may hold when every interval doubles, even from the 20 ms floor of the timeout: the first at
     * 0, then 20 ms, 40 ms ... 20.48 s, which add up to 40.96 s, and the next 40.96 s later: 12, and one to spare.
     * A timer that did not back off would send one every RTO, hundreds a minute.
     */
    private static final int MAX_PROBES_PER_MINUTE = 13;

    private WiredEngines engines;

    @AfterEach
    void close()
    {
        engines.close();
    }

    @Test
    void aClosedWindowIsProbedWithBackOffAndTheTransferCompletesOnceTheReceiverReads()
    {
        engines = new WiredEngines(UnaryOperator.identity(), UnaryOperator.identity());
        final Sockets sender = engines.socketsA();
        final Sockets receiver = engines.socketsB();
        final int listener = receiver.socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0);
        assertEquals(0, receiver.bind(listener, SockAddr.inet(0, PORT)));
        assertEquals(0, receiver.listen(listener, 1));
        final int fd = sender.socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0);
        assertEquals(-Errno.EINPROGRESS, sender.connect(fd, SockAddr.inet(engines.addressB(), PORT)));
        final int[] accepted = { -1 };
        engines.stepUntil(() -> (accepted[0] = receiver.accept4(listener, null, SOCK_NONBLOCK)) >= 0, STEP_NS,
            LIMIT_NS, "accept");
        final Pattern written = new Pattern();
        final EngineCounters senderCounters = engines.a.engine().counters();
        final EngineCounters receiverCounters = engines.b.engine().counters();

        engines.stepUntil(() -> written.writeSome(sender, fd) == -Errno.EAGAIN &&
            senderCounters.tcpWindowProbes.get() > 0, STEP_NS, LIMIT_NS, "the window closing and the send ring full");
        final long stalledAtByte = written.offset;
        final long senderSegments = senderCounters.txTcp.get();
        final long receiverSegments = receiverCounters.txTcp.get();
        final List<Long> probeTimesMs = new ArrayList<>();
        final long stallStartNs = engines.clock.nanoTime();
        long probes = senderCounters.tcpWindowProbes.get();
        probeTimesMs.add(0L);
        while (engines.clock.nanoTime() - stallStartNs < STALL_NS)
        {
            assertEquals(-Errno.EAGAIN, written.writeSome(sender, fd), "the send ring stays full");
            engines.step(STEP_NS);
            if (senderCounters.tcpWindowProbes.get() != probes)
            {
                probes = senderCounters.tcpWindowProbes.get();
                probeTimesMs.add(TimeUnit.NANOSECONDS.toMillis(engines.clock.nanoTime() - stallStartNs));
            }
        }
        final long probesSent = probeTimesMs.size();
        final long sentWhileStalled = senderCounters.txTcp.get() - senderSegments;
        final long answeredWhileStalled = receiverCounters.txTcp.get() - receiverSegments;
        final String stall = "probes at " + probeTimesMs + " ms; " + sentWhileStalled + " segments sent, " +
            answeredWhileStalled + " answered\n" + engines.diagnostics();
        System.out.println("zero-window stall of 60 s (virtual): " + stall);

        assertTrue(probesSent >= 4 && probesSent <= MAX_PROBES_PER_MINUTE, "probing goes on, backed off: " + stall);
        for (int i = 2; i < probeTimesMs.size(); i++)
        {
            final long interval = probeTimesMs.get(i) - probeTimesMs.get(i - 1);
            final long previous = probeTimesMs.get(i - 1) - probeTimesMs.get(i - 2);
            assertTrue(interval >= previous * 2 - 2, "interval " + i + " doubles: " + stall);
        }
        assertTrue(sentWhileStalled <= probesSent, "nothing but probes while the window is closed: " + stall);
        assertTrue(answeredWhileStalled <= probesSent, "one answer per probe: " + stall);
        assertEquals(stalledAtByte, written.offset, "nothing more was taken while stalled");

        final Pattern read = new Pattern();
        final long readingFromNs = engines.clock.nanoTime();
        engines.stepUntil(() ->
        {
            written.writeSome(sender, fd);
            if (written.offset == TOTAL_BYTES)
            {
                sender.shutdown(fd, SHUT_WR);
            }
            return read.readAndCheck(receiver, accepted[0]);
        }, STEP_NS, LIMIT_NS, "the transfer completing once the receiver reads: " + read.offset + " bytes read");

        assertEquals(TOTAL_BYTES, read.offset, "every byte, each checked on arrival");
        assertTrue(engines.clock.nanoTime() - readingFromNs < TimeUnit.SECONDS.toNanos(2),
            "the window update reopened the window; no probe was waited for");
        assertTrue(senderCounters.rxBalanced() && receiverCounters.rxBalanced(), engines::diagnostics);
    }

    /**
     * The stream of {@link #TOTAL_BYTES}, byte i = i mod 251, written or read up to {@link #offset}.
     */
    private static final class Pattern
    {
        private final byte[] chunk = new byte[64 * 1024];
        private int offset;
        private int chunkOffset = -1;
        private boolean ended;

        /**
         * @return what the write returned, 0 once everything is written.
         */
        int writeSome(final Sockets sockets, final int fd)
        {
            final int length = Math.min(chunk.length, TOTAL_BYTES - offset);
            if (length == 0)
            {
                return 0;
            }
            if (chunkOffset != offset)
            {
                for (int i = 0; i < length; i++)
                {
                    chunk[i] = (byte)((offset + i) % 251);
                }
                chunkOffset = offset;
            }
            final int result = sockets.write(fd, chunk, 0, length);
            assertTrue(result > 0 || result == -Errno.EAGAIN, () -> "write: " + Errno.describe(result));
            offset += Math.max(result, 0);
            return result;
        }

        /**
         * @return whether the stream has ended; fails on the first byte out of pattern.
         */
        boolean readAndCheck(final Sockets sockets, final int fd)
        {
            final int result = sockets.read(fd, chunk, 0, chunk.length);
            if (result == 0)
            {
                ended = true;
            }
            assertTrue(result >= 0 || result == -Errno.EAGAIN, () -> "read: " + Errno.describe(result));
            for (int i = 0; i < result; i++)
            {
                if (chunk[i] != (byte)((offset + i) % 251))
                {
                    throw new AssertionError("byte " + (offset + i) + " is " + chunk[i]);
                }
            }
            offset += Math.max(result, 0);
            return ended;
        }
    }
}
