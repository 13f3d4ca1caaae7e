package io.ringstack.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code ringstack relay}'s options: a bad value is one line naming the option (the per-direction one when that
 * was given) and exit code 2, and the help lists every impairment once for both directions.
 */
class RelayCommandTest
{
    private static final String A = "--a=udp:127.0.0.1:9101,127.0.0.1:9102";
    private static final String B = "--b=udp:127.0.0.1:9103,127.0.0.1:9104";

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', value = {
        "--loss=150%|--loss: '150%' is not a probability: 0% to 100%, or 0 to 1",
        "--loss=5|--loss: '5' is not a probability",
        "--loss=lots|--loss: 'lots' is not a probability",
        "--a-to-b-duplicate=-1%|--a-to-b-duplicate: '-1%' is not a probability",
        "--delay=-3|--delay: '-3' is not a number of milliseconds from 0 to 60000",
        "--b-to-a-jitter=1e9|--b-to-a-jitter: '1e9' is not a number of milliseconds",
        "--rate=fast|--rate: 'fast' is not a number of Mbit/s from 0 to 100000",
        "--queue=0|--queue: '0' is not a number of frames from 1 to 1000000",
        "--line=many|--line: 'many' is not a number of frames",
        "--a=direct:tap:rs0|--a: a relay has no NIC model to bypass; drop 'direct:'",
        "--b=tcp:1,2|unknown link 'tcp:1,2'",
        "--seed=x|Invalid value for option '--seed'",
        "--faults=loss=150%|--faults loss: '150%' is not a probability",
        "--faults=rate=fastmbit|--faults rate: 'fast' is not a number of Mbit/s",
        "--faults=drop=5%|--faults: 'drop=5%' is not NAME=VALUE with NAME one of loss, delay",
        "--faults=loss=1%,loss=2%|--faults: 'loss' given twice",
        "--faults=seed=x|--faults seed: 'x' is not a whole number" })
    void aBadOptionIsOneLineNamingItAndExitCodeTwo(final String badOption, final String expected)
    {
        final String a = badOption.startsWith("--a=") ? badOption : A;
        final String b = badOption.startsWith("--b=") ? badOption : B;
        final CommandRun run = badOption.startsWith("--a=") || badOption.startsWith("--b=") ?
            CommandRun.execute("relay", a, b) : CommandRun.execute("relay", a, b, badOption);

        assertEquals(RingstackCommand.EXIT_USAGE, run.exitCode(), run.err());
        assertTrue(run.err().startsWith("ringstack: ") && run.err().contains(expected), run.err());
        RingstackCommandTest.assertNoStackTrace(run);
    }

    @Test
    void linksAsArgumentsAndAsOptionsAtOnceAreAUsageError()
    {
        final CommandRun run = CommandRun.execute("relay", A, B, "udp:127.0.0.1:9105,127.0.0.1:9106");

        assertEquals(RingstackCommand.EXIT_USAGE, run.exitCode(), run.err());
        assertTrue(run.err().contains("give the two links as --a LINK --b LINK or as two arguments"), run.err());
    }

    @Test
    void helpListsEachImpairmentOnceAndSaysHowToSetOneDirection()
    {
        final CommandRun run = CommandRun.execute("relay", "--help");

        assertEquals(RingstackCommand.EXIT_OK, run.exitCode());
        for (final ImpairmentOptions.Knob knob : ImpairmentOptions.Knob.values())
        {
            assertTrue(run.out().contains("--" + knob.name + "=" + knob.label), knob.name + " in\n" + run.out());
        }
        assertTrue(run.out().contains("--a-to-b-OPTION") && run.out().contains("--b-to-a-OPTION"), run.out());
    }
}
