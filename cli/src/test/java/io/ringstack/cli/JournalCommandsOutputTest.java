package io.ringstack.cli;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The journal commands into standard output that refuses their text, each in a JVM of its own whose standard output
 * is the file, on every way out: {@code dump} as bytes in UTF-8, as characters in another charset and followed
 * ({@code -f}), and the commands that print a report. A full device is one line on stderr naming the command, and
 * exit code 1, never output lost in silence; a pipe whose reader has gone ({@code | head}) ends the command quietly
 * with exit code 0, in any language: the runs into a pipe are in German ({@code LANGUAGE=de}), whose text of
 * {@code EPIPE} the JDK gives where the C library has its German messages.
 */
class JournalCommandsOutputTest
{
    @TempDir
    static Path directory;

    private static Path journal;

    @BeforeAll
    static void recordJournal()
    {
        journal = UdpSocketJournals.recordGuest(directory.resolve("journals"));
    }

    /**
     * @return each command, {@code JOURNAL} in it the journal and {@code CAPTURE} a new capture file, and the charset
     * of its standard output.
     */
    static Stream<Arguments> commands()
    {
        return Stream.of(
            Arguments.of("dump JOURNAL", "UTF-8"),
            Arguments.of("dump JOURNAL", "ISO-8859-1"),
            Arguments.of("dump -f --timeout 30s JOURNAL", "UTF-8"),
            Arguments.of("stats JOURNAL", "UTF-8"),
            Arguments.of("stats --json JOURNAL", "UTF-8"),
            Arguments.of("verify JOURNAL", "UTF-8"),
            Arguments.of("diff JOURNAL JOURNAL", "UTF-8"),
            Arguments.of("export JOURNAL CAPTURE", "UTF-8"));
    }

    @ParameterizedTest(name = "journal {0} in {1}")
    @MethodSource("commands")
    void aCommandIntoAFullDeviceSaysSoAndExitsOne(final String command, final String charset)
        throws IOException, InterruptedException
    {
        assumeTrue(ChildRingstack.FULL_DEVICE.canWrite(),
            "no writable /dev/full on this system: the test of a full device is skipped");

        final ChildRingstack run = ChildRingstack.into(ChildRingstack.FULL_DEVICE, charset, args(command));

        assertEquals(RingstackCommand.EXIT_FAILURE, run.exitCode(), run.err());
        assertEquals("ringstack: cannot write " + command.split(" ")[0] + ": No space left on device\n", run.errors(),
            run.err());
    }

    @ParameterizedTest(name = "journal {0} in {1}")
    @MethodSource("commands")
    void aCommandIntoAPipeWhoseReaderHasGoneEndsQuietlyInAnyLanguage(final String command, final String charset)
        throws IOException, InterruptedException
    {
        final ChildRingstack run = ChildRingstack.intoClosedPipe(Map.of("LC_ALL", "C.UTF-8", "LANGUAGE", "de"),
            charset, args(command));

        assertEquals(RingstackCommand.EXIT_OK, run.exitCode(), run.err());
        assertEquals("", run.errors(), run.err());
    }

    private static String[] args(final String command)
    {
        return ChildRingstack.args("journal " + command, Map.of("JOURNAL", journal,
            "CAPTURE", directory.resolve("capture-" + System.nanoTime() + ".pcapng")));
    }
}
