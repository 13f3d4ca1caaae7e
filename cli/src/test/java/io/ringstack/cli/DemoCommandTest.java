package io.ringstack.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class DemoCommandTest
{
    private static final Pattern UDP_ROW = Pattern.compile("udp_socket_test\\s+\\|\\s+(\\S+).*\\|\\s+(\\S+)");

    @Test
    void everySeedRowPassesOnBothProfilesAndEveryJournalReplaysIdentical(@TempDir final Path directory)
    {
        final CommandRun run = CommandRun.execute("demo", "--counters-dir", directory.resolve("counters").toString(),
            "--journal", directory.resolve("journal").toString());

        assertEquals(RingstackCommand.EXIT_OK, run.exitCode(), run.out() + run.err());
        for (final String row : DemoCommand.rows().keySet())
        {
            final Matcher cells = Pattern.compile(row + "\\s+\\|\\s+(\\S+).*\\|\\s+(\\S+)").matcher(run.out());
            assertTrue(cells.find(), run.out());
            assertEquals("PASS", cells.group(1), row + " on x86_64/e1000");
            assertEquals("PASS", cells.group(2), row + " on aarch64/virtio-net");
        }
        for (final String engine : new String[]{ "x86_64-guest", "x86_64-gateway", "aarch64-guest", "aarch64-gateway" })
        {
            assertTrue(run.out().contains(directory.resolve("journal").resolve(engine) + ": identical: "), run.out());
        }
        assertTrue(run.out().contains("replay verdict: identical"), run.out());
    }

    @Test
    void aProtocolArmMissingOnOneProfileShowsAsFailWithTheCounterThatExplainsIt(
        @TempDir final Path counters)
    {
        final CommandRun run = CommandRun.execute(
            "demo", "--counters-dir", counters.toString(), "--no-journal", "--remove-arm", "aarch64:17",
            "--phase-timeout-ms", "3000");

        assertEquals(RingstackCommand.EXIT_FAILURE, run.exitCode(), run.out() + run.err());
        final Matcher udp = UDP_ROW.matcher(run.out());
        assertTrue(udp.find(), run.out());
        assertEquals("PASS", udp.group(1), "udp_socket_test on x86_64/e1000 keeps its UDP arm");
        assertEquals("FAIL", udp.group(2), "udp_socket_test on aarch64/virtio-net lost its UDP arm");
        assertTrue(run.out().contains("FAIL udp_socket_test on aarch64/virtio-net"), run.out());
        assertTrue(run.out().contains("drop_ipv4_arm_removed="), run.out());
        assertTrue(run.out().contains("result: FAIL"), run.out());
    }

    @Test
    void malformedArmRemovalIsAUsageError()
    {
        final CommandRun run = CommandRun.execute("demo", "--remove-arm", "aarch64:udp");

        assertEquals(RingstackCommand.EXIT_USAGE, run.exitCode());
        assertTrue(run.err().startsWith("ringstack: --remove-arm takes PROFILE:PROTOCOL"), run.err());
    }
}
