package io.ringstack.cli;

import io.ringstack.config.Setting;
import io.ringstack.drivers.link.LinkSpec;
import io.ringstack.drivers.platform.PlatformProfile;
import io.ringstack.iface.InterfaceConfig;
import io.ringstack.journal.ReplayReport;
import io.ringstack.journal.Replayer;
import io.ringstack.wire.MacText;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * {@code serve --link direct:tap:NAME --journal DIR}, and {@code serve --nic virtio --link tap:NAME}, with offload
 * on, and Linux's {@code curl} in a network namespace of the test's own: the journal holds the TCP segments of up to
 * 64 KiB the engine handed the kernel and the ones the kernel handed it, each as one frame, with
 * {@code segmentOffloadBytes} in its session header, and replays identical, on its own device and through the
 * VirtIO-net model. On the E1000 model ({@code --nic e1000 --link tap:NAME}) the journal holds the segments of up to
 * 64 KiB the engine handed the driver and the MTU-sized frames the kernel cut for a NIC without receive coalescing,
 * and replays identical on its own device and through either NIC model. Skipped, saying what is missing, without
 * root, {@code /dev/net/tun}, {@code ip} or {@code curl}.
 */
class ServeTapOffloadJournalTest
{
    private static final long SERVE_MAC = MacText.parse("52:54:00:12:34:58");
    private static final int BYTES = 3_000_000;
    private static final long COMMAND_SECONDS = 30;

    @TempDir
    Path directory;

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"direct:tap:", "tap:"})
    void aSessionWithSegmentsOfUpTo64KiBEachWayReplaysIdentical(final String link)
        throws IOException, InterruptedException
    {
        final Path journal = record(link, PlatformProfile.AARCH64);

        final ReplayReport report = Replayer.replay(journal, null);
        assertIdentical(report);
        assertTrue(report.deviceFrames() < BYTES / 1448, () -> "the upload came in segments of many MSS, and every " +
            "frame replayed: " + report.summary());
        assertIdentical(Replayer.replay(journal,
            (header, counters) -> new JournalNicWire(PlatformProfile.AARCH64, header, counters)));
    }

    @Test
    void aSessionOnTheE1000ReplaysIdenticalThroughEitherNicModel() throws IOException, InterruptedException
    {
        final Path journal = record("tap:", PlatformProfile.X86_64);

        assertIdentical(Replayer.replay(journal, null));
        for (final PlatformProfile profile : PlatformProfile.values())
        {
            assertIdentical(Replayer.replay(journal,
                (header, counters) -> new JournalNicWire(profile, header, counters)));
        }
    }

    /**
     * Serve HTTP on {@code profile}'s NIC or straight on a TAP ({@code link}, {@code direct:tap:} or {@code tap:}),
     * journaled, while curl downloads and uploads {@link #BYTES}, with segments of up to 64 KiB handed to the device.
     *
     * @return the journal's directory.
     */
    private Path record(final String link, final PlatformProfile profile) throws IOException, InterruptedException
    {
        assumeTrue(Files.exists(Path.of("/dev/net/tun")), "SKIPPED: no /dev/net/tun");
        assumeTrue(succeeds("id -u | grep -qx 0"), "SKIPPED: TAP and network namespace tests need root");
        assumeTrue(succeeds("command -v ip && command -v curl"), "SKIPPED: needs ip (iproute2) and curl");
        final String namespace = "rsoj" + ProcessHandle.current().pid();
        final String tap = "rsoj" + ProcessHandle.current().pid() % 100_000;
        final Path journal = directory.resolve("journal");
        final Path upload = directory.resolve("upload");
        Files.write(upload, new byte[BYTES]);
        run("ip netns add " + namespace);
        try
        {
            assertTimeoutPreemptively(Duration.ofSeconds(90), () ->
            {
                try (ServeSession session = ServeSession.start("serve-offload", profile,
                    InterfaceConfig.parse("10.0.9.15/24", "10.0.9.1", SERVE_MAC), SERVE_MAC,
                    LinkSpec.parse(link + tap), List.of("http"), Map.of(), null, journal))
                {
                    run("ip link set " + tap + " netns " + namespace);
                    run("ip netns exec " + namespace + " ip addr add 10.0.9.1/24 dev " + tap);
                    run("ip netns exec " + namespace + " ip link set " + tap + " up");
                    run("ip netns exec " + namespace + " curl -sS --max-time 20 -o /dev/null http://10.0.9.15/bytes/" +
                        BYTES);
                    run("ip netns exec " + namespace + " curl -sS --max-time 20 -o /dev/null -H " +
                        "'Content-Type: application/octet-stream' --data-binary @" + upload + " http://10.0.9.15/sha256");
                    assertEquals(0xFFFFL,
                        session.stack().engine().context().settings().longValue(Setting.SEGMENT_OFFLOAD_BYTES));
                    assertTrue(session.stack().engine().counters().deviceTxSegmentOffload.get() > 0,
                        session.stack().diagnostics());
                }
            });
        }
        finally
        {
            run("ip netns delete " + namespace);
        }
        return journal;
    }

    private static void assertIdentical(final ReplayReport report)
    {
        assertTrue(report.identical(), () -> report.summary() + "\n" +
            (report.divergence() == null ? "" : report.divergence().describe()));
    }

    private static boolean succeeds(final String command) throws IOException, InterruptedException
    {
        return execute(command) == 0;
    }

    private static void run(final String command) throws IOException, InterruptedException
    {
        assertEquals(0, execute(command), command);
    }

    private static int execute(final String command) throws IOException, InterruptedException
    {
        final List<String> shell = new ArrayList<>(List.of("sh", "-c", command + " >/dev/null 2>&1"));
        final Process process = new ProcessBuilder(shell).start();
        if (!process.waitFor(COMMAND_SECONDS, TimeUnit.SECONDS))
        {
            process.destroyForcibly();
            return -1;
        }
        return process.exitValue();
    }
}
