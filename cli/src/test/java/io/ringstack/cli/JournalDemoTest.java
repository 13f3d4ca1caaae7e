package io.ringstack.cli;

import io.ringstack.drivers.platform.PlatformProfile;
import io.ringstack.phy.Cable;
import io.ringstack.phy.Link;
import io.ringstack.seed.ProgramResult;
import io.ringstack.seed.SeedRunner;
import io.ringstack.seed.SeedWorld;
import io.ringstack.seed.UdpSocketProgram;
import io.ringstack.seed.UnixSocketProgram;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.function.UnaryOperator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What {@code ringstack demo --journal DIR} does per profile: each engine journaled on its NIC model, every journal
 * replayed at the end, each directory printed with its verdict.
 */
class JournalDemoTest
{
    @TempDir
    Path directory;

    @Test
    void everyEngineOfEveryProfileIsJournaledAndReplaysIdentical()
    {
        final JournalDemo demo = new JournalDemo(directory);
        for (final PlatformProfile profile : PlatformProfile.values())
        {
            final Link[] cable = Cable.ends(1 << 20);
            try (JournalDemo.Session session = demo.open(profile.name().toLowerCase(),
                profile.nicOn(cable[0], SeedWorld.GUEST_MAC), profile.nicOn(cable[1], SeedWorld.GATEWAY_MAC), null,
                profile.label(), UnaryOperator.identity()))
            {
                for (final ProgramResult result : List.of(
                    SeedRunner.run(new UnixSocketProgram(), session.world(), SeedRunner.DEFAULT_PHASE_TIMEOUT_MS),
                    SeedRunner.run(new UdpSocketProgram(), session.world(), SeedRunner.DEFAULT_PHASE_TIMEOUT_MS)))
                {
                    assertTrue(result.passed(), () -> result.firstFailure().toString());
                }
            }
        }
        final StringWriter text = new StringWriter();

        assertTrue(demo.replayAll(new PrintWriter(text, true)), text::toString);

        final List<String> lines = text.toString().lines().toList();
        assertEquals("Journals in " + directory + ", each replayed into a fresh engine:", lines.get(0));
        for (final String engine : List.of("x86_64-guest", "x86_64-gateway", "aarch64-guest", "aarch64-gateway"))
        {
            assertTrue(lines.stream().anyMatch((line) -> line.startsWith("  " + directory.resolve(engine) +
                ": identical: ")), engine + " in " + text);
        }
        assertEquals("replay verdict: identical", lines.get(lines.size() - 1));
    }

    @Test
    void withoutADirectoryTheDemoSaysHowToJournal()
    {
        final StringWriter text = new StringWriter();

        assertTrue(new JournalDemo(null).replayAll(new PrintWriter(text, true)));
        assertTrue(text.toString().contains("ringstack demo --journal DIR"), text::toString);
    }
}
