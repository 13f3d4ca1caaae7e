package io.ringstack.cli;

import io.ringstack.config.Setting;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code ringstack journal replay --set NAME=VALUE} on udp_socket_test's guest journal: the replayed engine gets the
 * changed setting, and the first divergence from the recording is the change's first effect; a name or value the
 * replay cannot take is a usage error in one line.
 */
class JournalReplaySetTest
{
    @TempDir
    static Path directory;

    static String guest;

    @BeforeAll
    static void recordUdpSocketTestOnX86()
    {
        guest = UdpSocketJournals.recordGuest(directory.resolve("journals")).toString();
    }

    @Test
    void removingTheUdpArmShowsFirstAtTheFirstDatagramReceived()
    {
        final CommandRun run = CommandRun.execute("journal", "replay", "--set", "removedProtocolArm=17", guest);

        assertEquals(RingstackCommand.EXIT_FAILURE, run.exitCode(), run.out() + run.err());
        final List<String> lines = run.out().lines().toList();
        assertEquals("with removedProtocolArm = 17 (recorded: -1)", lines.get(0));
        assertTrue(lines.get(1).startsWith("diverged after "), lines.get(1));
        assertTrue(lines.get(2).matches("first divergence at record \\d+ \\(RX_FRAME\\), field verdict, .*"),
            lines.get(2));
        assertEquals("  recorded: delivered", lines.get(3));
        assertEquals("  replayed: IPV4_ARM_REMOVED", lines.get(4));
        assertTrue(lines.get(5).matches("  input:    #\\d+ \\+0\\.\\d{9} RX_FRAME loopback 49 B delivered UDP " +
            "10\\.0\\.2\\.15:12345 > 10\\.0\\.2\\.15:54321 len 7"),
            "the first datagram, on the loopback: " + lines.get(5));
    }

    @Test
    void aChangeWithNoEffectOnTheSessionReplaysIdentical()
    {
        final CommandRun run = CommandRun.execute("journal", "replay", "--set", "tcpNagle=off", "--set",
            "tcpRtoMinNs=1s", guest);

        assertEquals(RingstackCommand.EXIT_OK, run.exitCode(), run.out() + run.err());
        final List<String> lines = run.out().lines().toList();
        assertEquals("with tcpRtoMinNs = 1s (recorded: 200ms)", lines.get(0));
        assertEquals("with tcpNagle = off (recorded: on)", lines.get(1));
        assertTrue(lines.get(2).startsWith("identical: "), lines.get(2));
    }

    @ParameterizedTest(name = "--set {0}")
    @CsvSource(delimiter = '|', value = {
        "frameBudget|--set must be NAME=VALUE: 'frameBudget'",
        "=1|--set must be NAME=VALUE: '=1'",
        "tcpNagle=maybe|--set tcpNagle=maybe: tcpNagle takes on or off, not 'maybe'",
        "frameBudget=0|--set frameBudget=0: frameBudget must be positive, not 0",
        "tcpRtoMinNs=soon|--set tcpRtoMinNs=soon: tcpRtoMinNs takes a duration such as 200ms, 1.5s, 40us or 10ns, "
            + "not 'soon'" })
    void aValueTheSettingCannotTakeIsAUsageError(final String assignment, final String message)
    {
        CommandRun.execute("journal", "replay", "--set", assignment, guest).assertUsageError(message);
    }

    @ParameterizedTest(name = "--set {0}")
    @CsvSource({ "bogus=1, bogus", "callTimeoutNs=1s, callTimeoutNs" })
    void anUnknownNameOrOneAReplayIgnoresIsAUsageErrorListingTheValidNames(final String assignment, final String name)
    {
        final CommandRun run = CommandRun.execute("journal", "replay", "--set", assignment, guest);

        run.assertUsageError("--set: unknown setting '" + name + "'; valid names: " +
            Arrays.stream(Setting.values()).filter(Setting::changesBehaviour).map(Setting::settingName)
                .collect(Collectors.joining(", ")));
        assertTrue(run.err().contains("frameBudget, loopbackRingCapacity, "), run.err());
    }
}
