package io.ringstack.cli;

import io.ringstack.counters.CountersFile;
import io.ringstack.iface.DropReason;
import io.ringstack.iface.EngineCounters;
import org.agrona.concurrent.status.CountersManager;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import static io.ringstack.cli.RingstackCommandTest.assertNoStackTrace;
import static org.junit.jupiter.api.Assertions.*;

class StatCommandTest
{
    @TempDir
    Path dir;

    @Test
    void showsNonZeroCountersOfEngineWithAlignedColumns()
    {
        try (CountersFile countersFile = CountersFile.create(CountersFile.pathFor(dir, "x86_64-e1000"), 8))
        {
            allocateCounters(countersFile.manager());

            final CommandRun run = CommandRun.execute("stat", dir.toString());

            assertEquals(RingstackCommand.EXIT_OK, run.exitCode(), run.err());
            assertEquals("", run.err());
            final List<String> lines = run.out().lines().toList();
            assertTrue(
                lines.get(0).startsWith("x86_64-e1000  pid " + ProcessHandle.current().pid() + " running  uptime "),
                lines.get(0));
            assertEquals(
                List.of(
                    "  rx_frames                1234",
                    "  drop: unknown ethertype     3"),
                lines.subList(1, lines.size()));
        }
    }

    @Test
    void watchEndsAfterTheReportItsOutputRefused()
    {
        try (CountersFile countersFile = CountersFile.create(CountersFile.pathFor(dir, "x86_64-e1000"), 8))
        {
            allocateCounters(countersFile.manager());

            final CommandRun run = assertTimeoutPreemptively(Duration.ofSeconds(20),
                () -> CommandRun.executeInto(new RefusingWriter(), "stat", "--watch", "1", dir.toString()));

            assertEquals(RingstackCommand.EXIT_OK, run.exitCode(), run.err());
            assertEquals("", run.err());
        }
    }

    @Test
    void allShowsZeroCountersToo()
    {
        try (CountersFile countersFile = CountersFile.create(CountersFile.pathFor(dir, "x86_64-e1000"), 8))
        {
            allocateCounters(countersFile.manager());

            final CommandRun run = CommandRun.execute("stat", "--all", dir.toString());

            assertEquals(RingstackCommand.EXIT_OK, run.exitCode(), run.err());
            assertTrue(run.out().contains(System.lineSeparator() + "  tx_frames                   0"), run.out());
        }
    }

    @Test
    void showsTheIcmpErrorAndPathMtuCountersOfAnEngine()
    {
        try (CountersFile countersFile = CountersFile.create(CountersFile.pathFor(dir, "icmp"), 512))
        {
            final EngineCounters counters = new EngineCounters(countersFile.manager(), "icmp");
            counters.tcpIcmpConnectFailures.set(1);
            counters.tcpPathMtuReductions.set(2);
            counters.tcpPathMtuBlackHoles.set(3);
            counters.dropRx(DropReason.ICMP_TCP_OUT_OF_WINDOW);
            counters.dropRx(DropReason.ICMP_PATH_MTU_NOT_LOWER);
            counters.dropRx(DropReason.ICMP_SOURCE_QUENCH);
            counters.publish();

            final CommandRun run = CommandRun.execute("stat", dir.toString());

            assertEquals(RingstackCommand.EXIT_OK, run.exitCode(), run.err());
            final List<String> lines = run.out().lines().map(String::strip).toList();
            for (final String expected : List.of("tcp_icmp_connect_failures 1", "tcp_path_mtu_reductions 2",
                "tcp_path_mtu_black_holes 3", "drop_icmp_tcp_out_of_window 1", "drop_icmp_path_mtu_not_lower 1",
                "drop_icmp_source_quench 1"))
            {
                assertTrue(lines.stream().anyMatch((line) -> line.replaceAll(" +", " ").endsWith(expected)),
                    () -> expected + " in\n" + run.out());
            }
        }
    }

    @Test
    void watchWithCountPrintsThatManyReports()
    {
        try (CountersFile countersFile = CountersFile.create(CountersFile.pathFor(dir, "x86_64-e1000"), 8))
        {
            allocateCounters(countersFile.manager());

            final CommandRun run = CommandRun.execute("stat", "--watch", "1", "--count", "2", dir.toString());

            assertEquals(RingstackCommand.EXIT_OK, run.exitCode(), run.err());
            assertEquals(2, run.out().lines().filter((line) -> line.startsWith("x86_64-e1000  pid ")).count());
        }
    }

    @Test
    void emptyDirectoryExitsOneWithOneLineMessage()
    {
        final CommandRun run = CommandRun.execute("stat", dir.toString());

        assertEquals(RingstackCommand.EXIT_FAILURE, run.exitCode());
        assertEquals("", run.out());
        assertEquals(
            "ringstack: no counters files in " + dir + " (no engine running)" + System.lineSeparator(), run.err());
    }

    @Test
    void missingDirectoryExitsOneWithOneLineMessage()
    {
        final Path missing = dir.resolve("missing");

        final CommandRun run = CommandRun.execute("stat", missing.toString());

        assertEquals(RingstackCommand.EXIT_FAILURE, run.exitCode());
        assertEquals("ringstack: no such directory: " + missing + System.lineSeparator(), run.err());
    }

    @Test
    void foreignFileIsReportedInOneLineBesideTheEnginesThatCanBeRead() throws IOException
    {
        final Path foreign = dir.resolve("a-foreign.counters");
        Files.writeString(foreign, "not counters at all, but long enough to hold a header if it were one. ".repeat(4));
        try (CountersFile countersFile = CountersFile.create(CountersFile.pathFor(dir, "x86_64-e1000"), 8))
        {
            allocateCounters(countersFile.manager());

            final CommandRun run = CommandRun.execute("stat", dir.toString());

            assertEquals(RingstackCommand.EXIT_FAILURE, run.exitCode());
            assertEquals(
                "ringstack: not a ringstack counters file: " + foreign + System.lineSeparator(), run.err());
            assertTrue(run.out().contains("  rx_frames "), run.out());
            assertNoStackTrace(run);
        }
    }

    @Test
    void countWithoutWatchIsUsageError()
    {
        final CommandRun run = CommandRun.execute("stat", "--count", "2", dir.toString());

        assertEquals(RingstackCommand.EXIT_USAGE, run.exitCode());
        assertTrue(run.err().startsWith("ringstack: --count needs --watch"), run.err());
    }

    private static void allocateCounters(final CountersManager manager)
    {
        manager.newCounter("rx_frames").set(1234);
        manager.newCounter("tx_frames");
        manager.newCounter("drop: unknown ethertype").set(3);
    }
}
