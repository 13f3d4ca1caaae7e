package io.ringstack.journal;

import io.ringstack.config.Setting;
import io.ringstack.engine.EngineContext;
import io.ringstack.engine.EngineTap;
import io.ringstack.errno.Errno;
import io.ringstack.iface.DropReason;
import io.ringstack.iface.TxResult;
import io.ringstack.socket.SockAddr;
import io.ringstack.socket.SocketConstants;
import io.ringstack.socket.Sockets;
import io.ringstack.tcp.TcpCongestionAlgorithm;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The tap and its policies on an embedded engine: what it records, how it records cycles and verdicts, and what
 * happens when its ring is full.
 */
class JournalTapTest
{
    private static final long MILLISECOND = TimeUnit.MILLISECONDS.toNanos(1);
    /** The smallest tap ring that holds the largest command of the default command ring. */
    private static final int SMALL_TAP_RING = 1024 * 1024;

    @TempDir
    Path directory;

    @Test
    void blockPolicyInEmbeddedModeRunsTheAgentItselfAndLosesNothing()
    {
        final Path journal = directory.resolve("block");
        final int frames = 4_000;
        // Every datagram is answered (no ICMP rate limit), so that the journal carries as many TX records as RX.
        try (JournaledEngine engine = JournaledEngine.start(journal,
            (context) -> context.tapRingCapacity(SMALL_TAP_RING),
            (context) -> context.set(Setting.ICMP_MSGS_PER_SEC, 0)))
        {
            engine.fromPeer(PeerFrames.arpRequest());
            engine.cycle(MILLISECOND);
            for (int i = 0; i < frames; i++)
            {
                engine.fromPeer(PeerFrames.udp(40000, 9, 1000));
                if (i % 64 == 63)
                {
                    engine.cycle(MILLISECOND);
                }
            }
            for (int i = 0; i < 3; i++)
            {
                engine.cycle(MILLISECOND);
            }
            assertEquals(0, engine.journal().lostRecords());
        }

        final ReadResult result = readAll(journal);
        assertTrue(result.intact() && result.closed(), result::toString);
        assertEquals(0, result.lostRecords());
        assertEquals(1 + frames, count(journal, JournalFormat.RX_FRAME));
        assertEquals(1 + frames, count(journal, JournalFormat.TX_FRAME), "the ARP reply, a port unreachable each");
        assertTrue(Replayer.replay(journal, null).identical());
    }

    @Test
    void dropPolicyCountsWhatItLosesAndSaysWhere()
    {
        final Path journal = directory.resolve("drop");
        final long lost;
        try (JournaledEngine engine = JournaledEngine.start(journal, (context) -> context
            .tapRingCapacity(SMALL_TAP_RING)
            .policy(TapPolicy.DROP)))
        {
            for (int i = 0; i < 2_000; i++)
            {
                engine.fromPeer(PeerFrames.udp(40000, 9, 1000));
            }
            for (int i = 0; i < 40; i++)
            {
                engine.cycle(MILLISECOND);
            }
            lost = engine.journal().lostRecords();
            assertTrue(lost > 0, "the ring should have overflowed");
            for (int i = 0; i < 10; i++)
            {
                engine.journal().doWork();
                engine.cycle(MILLISECOND);
            }
        }

        final ReadResult result = readAll(journal);
        assertTrue(result.intact() && result.closed(), result::toString);
        assertEquals(lost, result.lostRecords());
        assertTrue(count(journal, JournalFormat.LOSS) > 0);
        final ReplayReport report = Replayer.replay(journal, null);
        assertFalse(report.identical());
        assertTrue(report.summary().contains("a lossy journal cannot be replayed"), report::summary);
    }

    @Test
    void idleCyclesAreRecordedInRunsAndTimersFireOnTheSameCyclesInReplay()
    {
        final Path journal = directory.resolve("idle");
        final int idleCycles = 5_000;
        try (JournaledEngine engine = JournaledEngine.start(journal, (context) -> context))
        {
            final Sockets sockets = engine.sockets();
            final int fd = sockets.socket(SocketConstants.AF_INET, SocketConstants.SOCK_DGRAM, 0);
            final byte[] payload = "nobody is there".getBytes();
            assertEquals(payload.length, sockets.sendto(fd, payload, 0, payload.length, 0,
                SockAddr.inet("10.0.2.77", 9)));
            for (int i = 0; i < idleCycles; i++)
            {
                engine.cycle(MILLISECOND);
            }
        }

        final long idleRecords = count(journal, JournalFormat.IDLE);
        assertTrue(idleRecords > 0 && idleRecords < idleCycles / 100, "idle records: " + idleRecords);
        assertTrue(count(journal, JournalFormat.TX_FRAME) >= 3, "the ARP request and its retries");
        final ReplayReport report = Replayer.replay(journal, null);
        assertTrue(report.identical(), report::toString);
        assertTrue(report.cycles() >= idleCycles, report::summary);
    }

    @Test
    void aFrameThatCausesARecordGetsItsVerdictInAVerdictRecordAndTheDumpPairsThem()
    {
        final Path journal = directory.resolve("verdict");
        try (JournaledEngine engine = JournaledEngine.start(journal, (context) -> context))
        {
            engine.fromPeer(PeerFrames.arpRequest());
            engine.cycle(MILLISECOND);
            engine.fromPeer(PeerFrames.echoRequest(7, 1));
            engine.fromPeer(PeerFrames.udp(40000, 9, 10));
            engine.cycle(MILLISECOND);
        }

        assertEquals(3, count(journal, JournalFormat.VERDICT), "ARP reply, echo reply, port unreachable");
        final StringWriter text = new StringWriter();
        try (JournalReader reader = JournalReader.open(journal))
        {
            JournalDump.write(reader, new RecordFilter().protocol("icmp"), new PrintWriter(text));
        }
        final String[] lines = text.toString().split(System.lineSeparator());
        assertEquals(3, lines.length, text::toString);
        assertTrue(lines[0].contains("RX_FRAME") && lines[0].contains("delivered") &&
            lines[0].contains("echo request id 7 seq 1"), lines[0]);
        assertTrue(lines[1].contains("TX_FRAME") && lines[1].contains("echo reply id 7 seq 1"), lines[1]);
        assertTrue(lines[2].contains("destination unreachable code 3"), lines[2]);

        final StringWriter dropped = new StringWriter();
        try (JournalReader reader = JournalReader.open(journal))
        {
            JournalDump.write(reader, new RecordFilter().verdict("udp_no_socket").port(9), new PrintWriter(dropped));
        }
        assertEquals(1, dropped.toString().lines().count(), dropped::toString);
        assertTrue(dropped.toString().contains(DropReason.UDP_NO_SOCKET.name()), dropped::toString);
        assertTrue(Replayer.replay(journal, null).identical());
    }

    @Test
    void aTransmitTheDeviceRefusedIsRecordedWithItsResultAndReplayedTheSameWay()
    {
        final Path journal = directory.resolve("refused");
        final byte[] payload = new byte[1400];
        try (JournaledEngine engine = JournaledEngine.start(journal, (context) -> context))
        {
            final Sockets sockets = engine.sockets();
            final int fd = sockets.socket(SocketConstants.AF_INET, SocketConstants.SOCK_DGRAM, 0);
            final SockAddr broadcast = SockAddr.inet("10.0.2.255", 9);
            int sent = 0;
            int result;
            while ((result = sockets.sendto(fd, payload, 0, payload.length, 0, broadcast)) == payload.length)
            {
                sent++;
                assertTrue(sent < 10_000, "the peer takes nothing until the next cycle, so its pipe fills");
            }
            assertEquals(Errno.describe(-Errno.ENOBUFS), Errno.describe(result), "the application is told ENOBUFS");
            engine.cycle(MILLISECOND);
            assertEquals(payload.length, sockets.sendto(fd, payload, 0, payload.length, 0, broadcast));
        }

        final StringWriter text = new StringWriter();
        try (JournalReader reader = JournalReader.open(journal))
        {
            assertEquals(Map.of(TxResult.name(TxResult.NO_BUFFER), 1L),
                JournalStats.of(reader, TimeUnit.SECONDS.toNanos(1)).txFailures());
            JournalDump.write(reader, new RecordFilter().protocol("udp"), new PrintWriter(text));
        }
        assertEquals(1, text.toString().lines().filter((line) -> line.contains("failed NO_BUFFER")).count(),
            text::toString);
        final ReplayReport report = Replayer.replay(journal, null);
        assertTrue(report.identical(), report::toString);
    }

    /**
     * Also with BBR, whose pacing holds segments by the engine's clock alone: the replay holds the same ones.
     */
    @ParameterizedTest
    @EnumSource(value = TcpCongestionAlgorithm.class, names = { "CUBIC", "BBR" })
    void bytesTakenFromATcpSendRingComeInRecordsTheTapRingHoldsAndReplay(final TcpCongestionAlgorithm algorithm)
    {
        final Path journal = directory.resolve("tcp");
        final byte[] sent = new byte[200_000];
        for (int i = 0; i < sent.length; i++)
        {
            sent[i] = (byte)(i * 31);
        }
        final byte[] received = new byte[sent.length];
        try (JournaledEngine engine = JournaledEngine.start(journal,
            (context) -> context.tapRingCapacity(SMALL_TAP_RING),
            (context) -> context.set(Setting.TCP_CONGESTION_CONTROL, algorithm)))
        {
            final Sockets sockets = engine.sockets();
            final int server = sockets.socket(SocketConstants.AF_INET, SocketConstants.SOCK_STREAM, 0);
            assertEquals(0, sockets.bind(server, SockAddr.inet("127.0.0.1", 8080)));
            assertEquals(0, sockets.listen(server, 1));
            final int client = sockets.socket(SocketConstants.AF_INET, SocketConstants.SOCK_STREAM, 0);
            assertEquals(0, sockets.connect(client, SockAddr.inet("127.0.0.1", 8080)));
            final int accepted = sockets.accept(server, null);
            assertTrue(accepted >= 0);
            assertEquals(sent.length, sockets.write(client, sent, 0, sent.length));
            for (int total = 0; total < received.length; )
            {
                final int read = sockets.read(accepted, received, total, received.length - total);
                assertTrue(read > 0);
                total += read;
            }
        }

        assertArrayEquals(sent, received);
        assertTrue(count(journal, JournalFormat.APP_DATA) >= 2, "one take of 200 kB in records of 128 kB at most");
        final ReplayReport report = Replayer.replay(journal, null);
        assertTrue(report.identical(), report::toString);
    }

    @Test
    void sessionHeaderRecordsTheEngineAsItWasBuilt()
    {
        final Path journal = directory.resolve("header");
        try (JournaledEngine engine = JournaledEngine.start(journal, (context) -> context))
        {
            engine.cycle(MILLISECOND);
        }

        try (JournalReader reader = JournalReader.open(journal))
        {
            final SessionHeader header = reader.header();
            assertEquals("journaled", header.engineName());
            assertEquals("test/embedded", header.profile());
            assertEquals("engine-wire", header.deviceName());
            assertEquals("10.0.2.15/24", header.addressText());
            assertEquals("52:54:00:12:34:56", header.macText());
            assertEquals(JournaledEngine.START_NS, header.clockOriginNs());
            assertEquals(DropReason.count(), header.dropReasons().size());
            assertEquals(64L, header.settings().get("frameBudget"));
            final EngineContext replayed = header.newEngineContext();
            assertEquals(header.settings().get("tcpIsnKey0"), replayed.settings().longValue(Setting.TCP_ISN_KEY_0));
            assertEquals(header.settings().get("tcpIsnKey1"), replayed.settings().longValue(Setting.TCP_ISN_KEY_1));
            assertEquals(1L, header.settings().get("tcpTimestamps"));
            assertEquals(replayed.settings().longValue(Setting.TCP_CONGESTION_CONTROL),
                header.settings().get("tcpCongestionControl"));
            assertTrue(header.unknownSettings().isEmpty());
            assertEquals(DropReason.UDP_NO_SOCKET.name(), header.verdictName(DropReason.UDP_NO_SOCKET.ordinal()));
            assertEquals("delivered", header.verdictName(EngineTap.DELIVERED));
        }
    }

    @Test
    void aJournalDirectoryHoldsOneSession()
    {
        final Path journal = directory.resolve("once");
        final JournaledEngine first = JournaledEngine.start(journal, (context) -> context);
        try
        {
            final JournalException ex = assertThrows(JournalException.class,
                () -> JournaledEngine.start(journal, (context) -> context));
            assertEquals("journal directory is not empty: " + journal + " (a journal directory holds one session)",
                ex.getMessage());
        }
        finally
        {
            first.close();
        }
    }

    static ReadResult readAll(final Path journal)
    {
        try (JournalReader reader = JournalReader.open(journal))
        {
            final ReadResult result = reader.read((record) -> true);
            assertNotNull(result);
            return result;
        }
    }

    static long count(final Path journal, final int type)
    {
        final long[] count = new long[1];
        try (JournalReader reader = JournalReader.open(journal))
        {
            reader.read((record) ->
            {
                count[0] += record.type() == type ? 1 : 0;
                return true;
            });
        }
        return count[0];
    }
}
