package io.ringstack.cli;

import java.io.File;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * {@code ringstack journal dump} into standard output that refuses its bytes, in a JVM of its own whose standard
 * output is the file: a full device is one line on stderr and exit code 1, never output lost in silence.
 */
class JournalDumpOutputTest
{
    private static final File FULL_DEVICE = new File("/dev/full");

    @TempDir
    Path directory;

    @Test
    void aDumpIntoAFullDeviceSaysSoAndExitsOne() throws IOException, InterruptedException
    {
        assumeTrue(FULL_DEVICE.canWrite(), "no writable /dev/full on this system: the test of a full device is skipped");
        final Path journal = UdpSocketJournals.recordGuest(directory.resolve("journals"));

        final Process dump = new ProcessBuilder(command("journal", "dump", journal.toString()))
            .redirectOutput(FULL_DEVICE).start();
        final String err = new String(dump.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(dump.waitFor(60, TimeUnit.SECONDS), "the dump ended");

        assertEquals(RingstackCommand.EXIT_FAILURE, dump.exitValue(), err);
        assertEquals("ringstack: cannot write dump: No space left on device\n", err);
    }

    /**
     * @return the command line of {@code ringstack ARGS} in a JVM started as this one was, without its agents.
     */
    private static List<String> command(final String... args)
    {
        final Stream<String> options = ManagementFactory.getRuntimeMXBean().getInputArguments().stream()
            .filter((option) -> !option.startsWith("-agentlib") && !option.startsWith("-javaagent"));
        return Stream.of(Stream.of(ProcessHandle.current().info().command().orElse("java")), options,
            Stream.of("-cp", System.getProperty("java.class.path"), RingstackCommand.class.getName()), Stream.of(args))
            .flatMap((part) -> part).toList();
    }
}
