package io.ringstack.cli;

import io.ringstack.config.Setting;
import io.ringstack.journal.JournalFormat;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static io.ringstack.cli.RingstackCommandTest.assertNoStackTrace;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code ringstack journal ...} on the journals of udp_socket_test run on the x86_64 profile (E1000 NICs on a
 * cable): exit codes, scriptable output, one-line errors, and replay on either profile's NIC.
 */
class JournalCommandTest
{
    @TempDir
    static Path directory;

    static Path guest;

    @BeforeAll
    static void recordUdpSocketTestOnX86()
    {
        guest = UdpSocketJournals.recordGuest(directory.resolve("journals"));
    }

    @Test
    void verifySaysHowManyRecordsAndThatTheJournalWasClosed()
    {
        final CommandRun run = CommandRun.execute("journal", "verify", guest.toString());

        assertEquals(RingstackCommand.EXIT_OK, run.exitCode(), run.err());
        final List<String> lines = run.out().lines().toList();
        assertTrue(lines.get(0).startsWith("journal " + guest + " (x86-guest): "), lines.get(0));
        assertEquals("closed: the END record is present, nothing is missing", lines.get(1));
        assertEquals("lost: none", lines.get(2));
        assertEquals("result: intact", lines.get(3));
    }

    @Test
    void verifyAsJson()
    {
        final CommandRun run = CommandRun.execute("journal", "verify", "--json", guest.toString());

        assertEquals(RingstackCommand.EXIT_OK, run.exitCode(), run.err());
        assertTrue(run.out().startsWith("{\"journal\": \"" + guest + "\", \"engine\": \"x86-guest\", " +
            "\"intact\": true, \"records\": "), run.out());
        assertTrue(run.out().contains("\"closed\": true, \"tail_cut\": false, \"lost_records\": 0, " +
            "\"problem\": null}"), run.out());
    }

    @Test
    void dumpFiltersFramesByProtocolPortAndDropReason()
    {
        final CommandRun all = CommandRun.execute("journal", "dump", guest.toString());
        assertEquals(RingstackCommand.EXIT_OK, all.exitCode(), all.err());
        assertTrue(all.out().lines().anyMatch((line) -> line.contains("COMMAND") && line.contains("udp_send")));

        final CommandRun datagram = CommandRun.execute(
            "journal", "dump", "--proto", "udp", "--port", "7777", "--address", "10.0.2.2", guest.toString());
        final List<String> lines = datagram.out().lines().toList();
        assertEquals(1, lines.size(), datagram.out());
        assertTrue(lines.get(0).contains("TX_FRAME") && lines.get(0).contains("UDP 10.0.2.15:12345 > 10.0.2.2:7777 " +
            "len 23"), lines.get(0));

        final CommandRun dropped = CommandRun.execute(
            "journal", "dump", "--drop-reason", "icmp_error_not_reported", guest.toString());
        assertEquals(1, dropped.out().lines().count(), dropped.out());
        assertTrue(dropped.out().contains("destination unreachable"), dropped.out());

        final CommandRun early = CommandRun.execute("journal", "dump", "--to", "0ns", guest.toString());
        assertEquals(1, early.out().lines().filter((line) -> !line.startsWith("\t")).count(),
            "the session header only: " + early.out());
    }

    @Test
    void dumpAndStatsShowTheVersionsAndEverySettingTheJournalRecorded()
    {
        final String versions = "journal format " + JournalFormat.VERSION + ", ringstack development build, JVM " +
            Runtime.version() + " (" + System.getProperty("java.vm.vendor") + ")";
        final long recorded = Arrays.stream(Setting.values()).filter(Setting::changesBehaviour).count();

        final List<String> dump = CommandRun.execute("journal", "dump", "--records", "1", guest.toString())
            .out().lines().toList();
        assertTrue(dump.get(0).matches("#0 +SESSION +x86-guest \\(x86_64/e1000\\) .*"), dump.get(0));
        assertEquals("\tversions: " + versions, dump.get(1));
        assertEquals(2 + recorded, dump.size(), String.join("\n", dump));
        assertEquals("\tsetting frameBudget = 64", dump.get(2));
        assertTrue(dump.contains("\tsetting tcpRtoMinNs = 200ms"), String.join("\n", dump));
        assertTrue(dump.contains("\tsetting tcpNagle = on"), String.join("\n", dump));

        final List<String> stats = CommandRun.execute("journal", "stats", guest.toString()).out().lines().toList();
        final int at = stats.indexOf("versions   " + versions);
        assertTrue(at > 0, String.join("\n", stats));
        assertEquals("settings   " + recorded + " recorded", stats.get(at + 1));
        assertEquals("  frameBudget = 64", stats.get(at + 2));
        assertTrue(stats.contains("  tcpTimeWaitNs = 60s"), String.join("\n", stats));

        final String json = CommandRun.execute("journal", "stats", "--json", guest.toString()).out();
        assertTrue(json.contains("\"format_version\": " + JournalFormat.VERSION + ", \"ringstack_version\": " +
            "\"development build\", \"jvm_version\": \"" + Runtime.version() + " ("), json);
        assertTrue(json.contains(", \"settings\": {\"frameBudget\": 64, "), json);
        assertTrue(json.contains("\"tcpRtoMinNs\": 200000000"), json);
    }

    @Test
    void dumpTakesARecordRangeADirectionAndPrintsFramesInHex()
    {
        final CommandRun range = CommandRun.execute("journal", "dump", "--from", "2", "--until", "4", guest.toString());
        assertEquals(List.of("#2", "#3", "#4"), firstWords(range), range.out());
        final CommandRun count = CommandRun.execute("journal", "dump", "--from", "40", "--records", "3",
            guest.toString());
        assertEquals(List.of("#40", "#41", "#42"), firstWords(count), count.out());
        final String at = timeOf(count.out().lines().findFirst().orElseThrow());
        final CommandRun fromTime = CommandRun.execute("journal", "dump", "--from", at + "s", "--records", "1",
            guest.toString());
        assertEquals(at, timeOf(fromTime.out()), "the first record at or after record 40's time: " + fromTime.out());

        final CommandRun sent = CommandRun.execute("journal", "dump", "--direction", "tx", guest.toString());
        assertTrue(sent.out().lines().count() > 0 &&
            sent.out().lines().allMatch(line -> line.contains(" TX_FRAME ")), sent.out());

        final CommandRun hex = CommandRun.execute("journal", "dump", "-x", "--proto", "udp", "--port", "7777",
            "--address", "10.0.2.2", guest.toString());
        final List<String> lines = hex.out().lines().toList();
        assertEquals(1 + 5, lines.size(), "a 65-byte frame is five lines of 16 bytes at most: " + hex.out());
        assertTrue(lines.get(1).matches("\t0x0000:  (\\p{XDigit}{4} ){6}0800 4500"), lines.get(1));
        assertTrue(lines.get(5).matches("\t0x0040:  \\p{XDigit}{2}"), lines.get(5));
    }

    @Test
    void dumpFollowingAClosedJournalPrintsItAllAndEndsWithItsEndRecord()
    {
        final CommandRun plain = CommandRun.execute("journal", "dump", guest.toString());
        final CommandRun followed = assertTimeoutPreemptively(Duration.ofSeconds(20),
            () -> CommandRun.execute("journal", "dump", "-f", "--timeout", "15s", guest.toString()));

        assertEquals(RingstackCommand.EXIT_OK, followed.exitCode(), followed.err());
        assertEquals(plain.out(), followed.out());
        assertTrue(followed.out().lines().reduce((first, second) -> second).orElseThrow().contains(" END "));
    }

    @Test
    void dumpFollowingAnOpenJournalEndsAtItsFirstWaitWhenItsOutputHasFailed()
    {
        final CommandRun followed = UdpSocketJournals.recordGuest(directory.resolve("open"),
            (journal) -> assertTimeoutPreemptively(Duration.ofSeconds(20), () -> CommandRun.executeInto(
                new RefusingWriter(), "journal", "dump", "-f", "--timeout", "60s", journal.toString())));

        assertEquals(RingstackCommand.EXIT_OK, followed.exitCode(), followed.err());
    }

    /**
     * Every range or filter value dump cannot take is a usage error: exit 2 and one line saying what is wrong.
     */
    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "--from 5 --until 2|--from comes after --until: 5 > 2",
        "--from 2s --until 1s|--from comes after --until: 2s > 1s",
        "--records 0|--records must be 1 or more: 0",
        "--timeout 1s|--timeout needs --follow",
        "-f --timeout 0ns|--timeout must be positive",
        "--from 1.5|--from must be a record number (0 or more) or a time with its unit (1.5s, 250ms): 1.5",
        "--until soon|--until: expected a time such as 1.5, 250ms, 40us or 10ns: 'soon'",
        "--direction up|--direction must be rx or tx: 'up'",
        "--proto sctp|--proto must be arp, ipv4, icmp, udp or tcp: 'sctp'",
        "--port 70000|--port must be 0-65535: 70000",
        "--drop-reason bogus|--drop-reason: unknown verdict 'bogus': 'delivered' or a drop reason as 'ringstack stat' "
            + "names it, e.g. udp_no_socket" })
    void dumpRefusesWhatItCannotTakeWithOneLineAndExitTwo(final String arguments, final String message)
    {
        final List<String> args = new ArrayList<>(List.of("journal", "dump"));
        args.addAll(List.of(arguments.split(" ")));
        args.add(guest.toString());

        CommandRun.execute(args.toArray(String[]::new)).assertUsageError(message);
    }

    private static List<String> firstWords(final CommandRun run)
    {
        return run.out().lines().map(line -> line.substring(0, line.indexOf(' '))).toList();
    }

    /**
     * @return the time a dump line shows, in seconds without its sign: {@code "0.000412345"}.
     */
    private static String timeOf(final String line)
    {
        return line.split(" +")[1].substring(1);
    }

    @Test
    void statsCountFramesDropsAndCommands()
    {
        final CommandRun text = CommandRun.execute("journal", "stats", guest.toString());
        assertEquals(RingstackCommand.EXIT_OK, text.exitCode(), text.err());
        assertTrue(text.out().contains("  drop ICMP_ERROR_NOT_REPORTED 1"), text.out());

        final CommandRun json = CommandRun.execute("journal", "stats", "--json", guest.toString());
        assertEquals(RingstackCommand.EXIT_OK, json.exitCode(), json.err());
        assertTrue(json.out().contains("\"drops\": {\"ICMP_ERROR_NOT_REPORTED\": 1}"), json.out());
        assertTrue(json.out().contains("\"profile\": \"x86_64/e1000\""), json.out());
        assertTrue(json.out().contains("\"intervals\": [{\"start_ns\": "), json.out());
    }

    @Test
    void replayIsIdenticalOnTheRecordedDeviceAndOnEitherProfilesNic()
    {
        for (final String device : List.of("direct", "e1000", "virtio"))
        {
            final CommandRun run = CommandRun.execute("journal", "replay", "--device", device, guest.toString());

            assertEquals(RingstackCommand.EXIT_OK, run.exitCode(), device + ": " + run.out() + run.err());
            assertTrue(run.out().startsWith("identical: "), device + ": " + run.out());
        }
    }

    @Test
    void replayUntilARecordSaysHowFarItWentAndKeepGoingOnAnIdenticalJournalIsIdentical()
    {
        final CommandRun until = CommandRun.execute("journal", "replay", "--until", "40", guest.toString());
        final CommandRun going = CommandRun.execute("journal", "replay", "--keep-going", guest.toString());

        assertEquals(RingstackCommand.EXIT_OK, until.exitCode(), until.out() + until.err());
        assertTrue(until.out().startsWith("identical up to record 40: "), until.out());
        final CommandRun start = CommandRun.execute("journal", "replay", "--until", "0ns", guest.toString());
        assertEquals(RingstackCommand.EXIT_OK, start.exitCode(), start.out() + start.err());
        assertTrue(start.out().matches("identical up to record \\d+: .*\\R"), start.out());
        final CommandRun past = CommandRun.execute("journal", "replay", "--until", "1000s", guest.toString());
        assertTrue(past.out().startsWith("identical: "), "a time past the end replays it all: " + past.out());
        assertEquals(RingstackCommand.EXIT_OK, going.exitCode(), going.out() + going.err());
        assertTrue(going.out().startsWith("identical: "), going.out());
    }

    @Test
    void exportThenImportGivesAJournalThatReplaysIdentical()
    {
        final Path capture = directory.resolve("guest.pcapng");
        final CommandRun export = CommandRun.execute("journal", "export", guest.toString(), capture.toString());
        assertEquals(RingstackCommand.EXIT_OK, export.exitCode(), export.err());
        assertTrue(export.out().startsWith("exported "), export.out());

        final Path imported = directory.resolve("imported");
        final CommandRun importRun = CommandRun.execute("journal", "import", capture.toString(), imported.toString());
        assertEquals(RingstackCommand.EXIT_OK, importRun.exitCode(), importRun.err());
        assertTrue(importRun.out().startsWith("imported 2 of "), importRun.out());

        final CommandRun replay = CommandRun.execute("journal", "replay", imported.toString());
        assertEquals(RingstackCommand.EXIT_OK, replay.exitCode(), replay.err());
    }

    @Test
    void aCaptureCutInsideItsLastPacketImportsWhatCameBeforeAndSaysSo() throws IOException
    {
        final Path capture = directory.resolve("cut.pcapng");
        assertEquals(RingstackCommand.EXIT_OK,
            CommandRun.execute("journal", "export", guest.toString(), capture.toString()).exitCode());
        final byte[] whole = Files.readAllBytes(capture);
        Files.write(capture, Arrays.copyOf(whole, whole.length - 10));

        final CommandRun importRun =
            CommandRun.execute("journal", "import", capture.toString(), directory.resolve("cut").toString());

        assertEquals(RingstackCommand.EXIT_OK, importRun.exitCode(), importRun.err());
        assertTrue(importRun.out().contains(" not Ethernet; the capture file ends inside a packet" +
            System.lineSeparator()), importRun.out());
    }

    @Test
    void aCaptureWithATimestampYearsAheadImportsAtOnceAndReplaysIdentical() throws IOException
    {
        // A classic pcap of two ARP requests for 10.0.2.15, the second stamped 10^8 s (three years) after the first.
        final byte[] arp = HexFormat.of().parseHex(("ffffffffffff 525400123457 0806 0001 0800 06 04 0001 525400123457 "
            + "0a000202 000000000000 0a00020f").replace(" ", ""));
        final ByteBuffer pcap = ByteBuffer.allocate(24 + 2 * (16 + arp.length)).order(ByteOrder.LITTLE_ENDIAN);
        pcap.putInt(0xA1B2_C3D4).putShort((short)2).putShort((short)4).putInt(0).putInt(0).putInt(65535).putInt(1);
        for (final long seconds : new long[]{ 1_000, 1_000 + 100_000_000L })
        {
            pcap.putInt((int)seconds).putInt(0).putInt(arp.length).putInt(arp.length).put(arp);
        }
        final Path capture = Files.write(directory.resolve("leap.pcap"), pcap.array());
        final Path imported = directory.resolve("leap");

        final CommandRun importRun = assertTimeoutPreemptively(Duration.ofSeconds(20),
            () -> CommandRun.execute("journal", "import", capture.toString(), imported.toString()),
            "the engine's timers jump over the leap instead of ticking through three years of milliseconds");
        assertEquals(RingstackCommand.EXIT_OK, importRun.exitCode(), importRun.err());
        assertTrue(importRun.out().startsWith("imported 2 of "), importRun.out());

        final CommandRun replay = CommandRun.execute("journal", "replay", imported.toString());
        assertEquals(RingstackCommand.EXIT_OK, replay.exitCode(), replay.out() + replay.err());
    }

    @Test
    void aCorruptJournalFailsVerifyAndReplayWithOneLine() throws IOException
    {
        final Path copy = copyOfGuest("corrupt",
            (bytes) -> bytes[new String(bytes, StandardCharsets.ISO_8859_1).indexOf("Hello from Breenix")] ^= 1);

        final CommandRun verify = CommandRun.execute("journal", "verify", copy.toString());
        assertEquals(RingstackCommand.EXIT_FAILURE, verify.exitCode());
        assertTrue(verify.out().contains("result: CORRUPT: record "), verify.out());

        final CommandRun replay = CommandRun.execute("journal", "replay", copy.toString());
        assertEquals(RingstackCommand.EXIT_FAILURE, replay.exitCode());
        assertTrue(replay.err().matches("ringstack: journal .*: cannot replay: journal record \\d+: CRC mismatch\\R"),
            replay.err());
        assertNoStackTrace(replay);

        final Path capture = Files.writeString(directory.resolve("earlier.pcapng"), "an earlier capture");
        final CommandRun export = CommandRun.execute("journal", "export", copy.toString(), capture.toString());
        assertEquals(RingstackCommand.EXIT_FAILURE, export.exitCode(), export.out());
        assertTrue(export.err().contains("CRC mismatch"), export.err());
        assertEquals("an earlier capture", Files.readString(capture), "a failed export leaves the file as it was");
        assertFalse(Files.exists(directory.resolve("earlier.pcapng.partial")), "and no partial file");
    }

    @Test
    void anExportThroughASymbolicLinkReplacesTheFileItNamesAndKeepsTheLink() throws IOException
    {
        final Path file = Files.writeString(directory.resolve("capture-file.pcapng"), "an earlier capture");
        final Path link = Files.createSymbolicLink(directory.resolve("capture-link.pcapng"), file);

        final CommandRun export = CommandRun.execute("journal", "export", guest.toString(), link.toString());

        assertEquals(RingstackCommand.EXIT_OK, export.exitCode(), export.out() + export.err());
        assertTrue(Files.isSymbolicLink(link), "the link is still a link");
        final byte[] written = Files.readAllBytes(file);
        assertEquals(0x0A0D0D0A, ByteBuffer.wrap(written).order(ByteOrder.LITTLE_ENDIAN).getInt(),
            "the file it names holds the capture, from its section header block");
        assertFalse(Files.exists(directory.resolve("capture-file.pcapng.partial")), "and no partial file");
    }

    @Test
    void anExportThroughADanglingSymbolicLinkWritesTheFileItNamesAndKeepsTheLink() throws IOException
    {
        final Path link = Files.createSymbolicLink(directory.resolve("dangling-link.pcapng"),
            Path.of("dangling-file.pcapng"));

        final CommandRun export = CommandRun.execute("journal", "export", guest.toString(), link.toString());

        assertEquals(RingstackCommand.EXIT_OK, export.exitCode(), export.out() + export.err());
        assertTrue(Files.isSymbolicLink(link), "the link is still a link");
        final byte[] written = Files.readAllBytes(directory.resolve("dangling-file.pcapng"));
        assertEquals(0x0A0D0D0A, ByteBuffer.wrap(written).order(ByteOrder.LITTLE_ENDIAN).getInt(),
            "the file it names, relative to the link's directory, holds the capture");
    }

    @Test
    void anExportThroughALoopOfSymbolicLinksFailsWithOneLine() throws IOException
    {
        final Path first = directory.resolve("loop-first.pcapng");
        final Path second = Files.createSymbolicLink(directory.resolve("loop-second.pcapng"), first);
        Files.createSymbolicLink(first, second);

        final CommandRun export = CommandRun.execute("journal", "export", guest.toString(), first.toString());

        assertEquals(RingstackCommand.EXIT_FAILURE, export.exitCode(), export.out());
        assertEquals("ringstack: cannot write " + first + ": more than 40 symbolic links in a row",
            export.err().strip());
    }

    @Test
    void anExportToADirectoryFailsWithOneLineAndLeavesItAsItWas() throws IOException
    {
        final Path folder = Files.createDirectory(directory.resolve("captures"));

        final CommandRun export = CommandRun.execute("journal", "export", guest.toString(), folder.toString());

        assertEquals(RingstackCommand.EXIT_FAILURE, export.exitCode(), export.out());
        assertTrue(export.err().matches("ringstack: .*cannot create .*captures.*\\R"), export.err());
        assertNoStackTrace(export);
        assertTrue(Files.isDirectory(folder), "the directory is left as it was");
        assertFalse(Files.exists(directory.resolve("captures.partial")), "and no partial file beside it");
    }

    @Test
    void aJournalOfAnotherFormatVersionIsRefusedWithOneLineNamingBothVersions() throws IOException
    {
        final Path old = copyOfGuest("version1", (bytes) ->
        {
            final String text = new String(bytes, StandardCharsets.ISO_8859_1);
            for (int at = text.indexOf("RSJL"); at >= 0; at = text.indexOf("RSJL", at + 1))
            {
                bytes[at + JournalFormat.BATCH_VERSION_OFFSET] = 1;
            }
        });

        for (final String command : List.of("dump", "stats", "verify", "replay"))
        {
            final CommandRun run = CommandRun.execute("journal", command, old.toString());

            assertEquals(RingstackCommand.EXIT_FAILURE, run.exitCode(), command);
            assertEquals("ringstack: " + old + ": journal format version 1 is not supported " +
                "(this build reads versions " + JournalFormat.OLDEST_READABLE_VERSION + " to " + JournalFormat.VERSION +
                ")" + System.lineSeparator(), run.err(), command);
            assertNoStackTrace(run);
        }
    }

    @Test
    void whatIsNotAJournalIsOneLineAndExitOne()
    {
        final Path missing = directory.resolve("missing");
        for (final String command : List.of("dump", "stats", "verify", "replay"))
        {
            final CommandRun run = CommandRun.execute("journal", command, missing.toString());

            assertEquals(RingstackCommand.EXIT_FAILURE, run.exitCode(), command);
            assertEquals("ringstack: no such journal directory: " + missing + System.lineSeparator(), run.err());
            assertNoStackTrace(run);
        }
        final CommandRun notJournal = CommandRun.execute("journal", "verify", directory.toString());
        assertEquals(RingstackCommand.EXIT_FAILURE, notJournal.exitCode());
        assertEquals("ringstack: not a ringstack journal: " + directory + " (no queue files)" +
            System.lineSeparator(), notJournal.err());
    }

    /**
     * Files Chronicle would wait tens of seconds on, or fault on, are refused at once with one line naming the file.
     */
    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "random bytes for the queue file|cq4|random|it does not begin with a Chronicle SCQStore header",
        "an empty queue file|cq4|empty|it is empty",
        "random bytes for the table store|cq4t|random|it does not begin with a Chronicle STStore header",
        "a queue file cut inside its data|cq4|cut|cq4: it is cut short: 1000 bytes" })
    void aDamagedOrForeignQueueFileIsOneLineAtOnce(
        final String what, final String suffix, final String damage, final String expected) throws IOException
    {
        final Path copy = Files.createDirectories(directory.resolve("damaged-" + damage + "-" + suffix));
        try (Stream<Path> files = Files.list(guest))
        {
            for (final Path file : files.toList())
            {
                byte[] bytes = Files.readAllBytes(file);
                if (file.getFileName().toString().endsWith("." + suffix))
                {
                    bytes = switch (damage)
                    {
                        case "random" -> randomBytes(bytes.length);
                        case "empty" -> new byte[0];
                        default -> Arrays.copyOf(bytes, 1000);
                    };
                }
                Files.write(copy.resolve(file.getFileName()), bytes);
            }
        }
        for (final String command : List.of("dump", "stats", "verify", "replay"))
        {
            final CommandRun run = assertTimeoutPreemptively(Duration.ofSeconds(5),
                () -> CommandRun.execute("journal", command, copy.toString()), command + " answers at once");

            assertEquals(RingstackCommand.EXIT_FAILURE, run.exitCode(), command + ": " + run.err());
            assertTrue(run.err().startsWith("ringstack: not a ringstack journal: " + copy + " (") &&
                run.err().contains(expected) && run.err().lines().count() == 1, command + ": " + run.err());
            assertNoStackTrace(run);
        }
    }

    private static byte[] randomBytes(final int length)
    {
        final byte[] bytes = new byte[length];
        new Random(length).nextBytes(bytes);
        return bytes;
    }

    @Test
    void usageErrorsExitTwo()
    {
        assertEquals(RingstackCommand.EXIT_USAGE, CommandRun.execute("journal").exitCode());
        assertEquals(RingstackCommand.EXIT_USAGE,
            CommandRun.execute("journal", "dump", "--proto", "sctp", guest.toString()).exitCode());
        assertEquals(RingstackCommand.EXIT_USAGE,
            CommandRun.execute("journal", "dump", "--from", "soon", guest.toString()).exitCode());
        assertEquals(RingstackCommand.EXIT_USAGE, CommandRun.execute("journal", "replay").exitCode());
        final CommandRun until = CommandRun.execute("journal", "replay", "--until", "-1", guest.toString());
        assertEquals(RingstackCommand.EXIT_USAGE, until.exitCode(), until.out());
        assertTrue(until.err().startsWith("ringstack: --until must be a record number (0 or more) or a time with its "
            + "unit (1.5s, 250ms): -1"), until.err());
        final CommandRun soon = CommandRun.execute("journal", "replay", "--until", "soon", guest.toString());
        assertEquals(RingstackCommand.EXIT_USAGE, soon.exitCode(), soon.out());
        assertTrue(soon.err().startsWith("ringstack: --until: expected a time such as 1.5, 250ms"), soon.err());

        final CommandRun bogus = CommandRun.execute("journal", "dump", "--drop-reason", "bogus", guest.toString());
        assertEquals(RingstackCommand.EXIT_USAGE, bogus.exitCode(), bogus.out());
        assertTrue(bogus.err().startsWith("ringstack: --drop-reason: unknown verdict 'bogus'"), bogus.err());
        assertEquals(RingstackCommand.EXIT_OK,
            CommandRun.execute("journal", "dump", "--drop-reason", "DROP_UDP_NO_SOCKET", guest.toString()).exitCode(),
            "a reason as the counters name it, in any case");
    }

    /**
     * Copy the guest's journal into a new directory, changing the bytes of its queue files on the way.
     */
    private static Path copyOfGuest(final String name, final Consumer<byte[]> editQueueFile) throws IOException
    {
        final Path copy = directory.resolve(name);
        Files.createDirectories(copy);
        try (Stream<Path> files = Files.list(guest))
        {
            for (final Path file : files.toList())
            {
                final byte[] bytes = Files.readAllBytes(file);
                if (file.toString().endsWith(".cq4"))
                {
                    editQueueFile.accept(bytes);
                }
                Files.write(copy.resolve(file.getFileName()), bytes);
            }
        }
        return copy;
    }
}
