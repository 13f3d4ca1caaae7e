package io.ringstack.cli;

import io.ringstack.engine.EngineContext;
import io.ringstack.journal.JournalReader;
import io.ringstack.journal.ReplayReport;
import io.ringstack.journal.Replayer;
import io.ringstack.phy.DeviceFactory;
import io.ringstack.seed.SeedWorld;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;

/**
 * The journal side of {@code ringstack demo --journal DIR}: each profile's world with a journal on each engine, in
 * {@code DIR/<engine name>}, and at the end every journal replayed into a fresh engine, its directory and verdict
 * printed. Without a directory the worlds are the plain {@link SeedWorld}s.
 */
final class JournalDemo
{
    private final Path directory;
    private final List<Path> journals = new ArrayList<>();

    /**
     * @param directory where to journal, or {@code null} not to.
     */
    JournalDemo(final Path directory)
    {
        this.directory = directory;
    }

    /**
     * One profile's world, journaled when the demo journals; closing it stops the engines, then closes the
     * journals.
     */
    record Session(SeedWorld world, Runnable closer) implements AutoCloseable
    {
        public void close()
        {
            closer.run();
        }
    }

    Session open(
        final String name, final DeviceFactory guestDevice, final DeviceFactory gatewayDevice,
        final Path countersDirectory, final String profile, final UnaryOperator<EngineContext> decorate)
    {
        if (directory == null)
        {
            final SeedWorld world = SeedWorld.over(name, guestDevice, gatewayDevice, countersDirectory, decorate);
            return new Session(world, world::close);
        }
        final JournaledSeedWorld journaled = JournaledSeedWorld.over(
            name, guestDevice, gatewayDevice, countersDirectory, directory, profile, decorate);
        journals.add(journaled.guestJournal().directory());
        journals.add(journaled.gatewayJournal().directory());
        return new Session(journaled.world(), journaled::close);
    }

    /**
     * Replay every journal the demo wrote and print one line per journal: its directory and the verdict.
     *
     * @return {@code true} when every replay was identical, or the demo did not journal.
     */
    boolean replayAll(final PrintWriter out)
    {
        if (directory == null)
        {
            out.println("Journal and replay verdict: not journaled (ringstack demo --journal DIR records every engine "
                + "and replays each journal).");
            return true;
        }
        out.println("Journals in " + directory + ", each replayed into a fresh engine:");
        int identical = 0;
        JournalCli.quietChronicle();
        for (final Path journal : journals)
        {
            try (JournalReader reader = JournalReader.open(journal))
            {
                final ReplayReport report = Replayer.replay(reader, null);
                identical += report.identical() ? 1 : 0;
                out.println("  " + journal + ": " + report.summary());
                if (report.divergence() != null)
                {
                    out.print(report.divergence().describe());
                }
            }
        }
        out.println(identical == journals.size() ? "replay verdict: identical" :
            "replay verdict: FAIL, " + (journals.size() - identical) + " of " + journals.size() +
            " journals not replayed identical");
        return identical == journals.size();
    }
}
