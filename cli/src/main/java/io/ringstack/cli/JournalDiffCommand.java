package io.ringstack.cli;

import io.ringstack.journal.JournalDiff;
import io.ringstack.journal.JournalException;
import io.ringstack.journal.JournalFormat;
import io.ringstack.journal.JournalReader;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code ringstack journal diff A B}: two journals side by side, record by record: the first divergence with both
 * records as dump prints them ({@code --max N}: the first N), then a summary, records by type on each side and how
 * many differ. Exit 0 when they are the same, 1 when they differ, 2 for a usage error or a journal that cannot be
 * read, as {@code diff} and {@code cmp} do.
 */
@Command(
    name = "diff",
    mixinStandardHelpOptions = true,
    versionProvider = RingstackCommand.VersionProvider.class,
    description = "Compare two journals record by record: where they first differ, and how much.")
public final class JournalDiffCommand implements Callable<Integer>
{
    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "A", description = "The first journal directory.")
    Path a;

    @Parameters(index = "1", paramLabel = "B", description = "The second journal directory.")
    Path b;

    @Option(names = "--max", paramLabel = "N", description = "List up to N divergences (default: ${DEFAULT-VALUE}).")
    int max = 1;

    @Option(names = "--ignore-time", description = "Compare records without their timestamps.")
    boolean ignoreTime;

    public Integer call()
    {
        if (max < 1)
        {
            throw new CommandLine.ParameterException(spec.commandLine(), "--max must be 1 or more: " + max);
        }
        final JournalDiff.Result result;
        try (JournalReader readerA = JournalCli.open(a); JournalReader readerB = JournalCli.open(b))
        {
            result = JournalDiff.compare(readerA, readerB, ignoreTime, max);
        }
        catch (final JournalException ex)
        {
            RingstackCommand.printError(spec.commandLine(), ex.getMessage());
            return RingstackCommand.EXIT_USAGE;
        }
        if (result.problem() != null)
        {
            RingstackCommand.printError(spec.commandLine(), "journal diff: " + result.problem());
            return RingstackCommand.EXIT_USAGE;
        }
        final PrintWriter out = spec.commandLine().getOut();
        for (int i = 0; i < result.divergences().size(); i++)
        {
            final JournalDiff.Divergence divergence = result.divergences().get(i);
            out.println((i == 0 ? "first" : "next") + " divergence at record " + divergence.sequence());
            out.println("  A: " + (divergence.a() == null ? "(none: A ends before it)" : divergence.a()));
            out.println("  B: " + (divergence.b() == null ? "(none: B ends before it)" : divergence.b()));
        }
        final long divergences = result.differing() + result.onlyA() + result.onlyB();
        if (divergences > result.divergences().size())
        {
            out.println("and " + (divergences - result.divergences().size()) + " more divergences not shown (--max)");
        }
        out.println(result.identical() ? "identical: " + result.compared() + " records" : "different: " +
            result.differing() + " of " + result.compared() + " records compared differ, " + result.onlyA() +
            " only in A, " + result.onlyB() + " only in B");
        out.printf(Locale.ROOT, "%-14s %10s %10s%n", "records", "A", "B");
        for (int type = 0; type <= JournalFormat.LAST_TYPE; type++)
        {
            if (result.typesA()[type] + result.typesB()[type] > 0)
            {
                out.printf(Locale.ROOT, "  %-12s %10d %10d%n", JournalFormat.typeName(type), result.typesA()[type],
                    result.typesB()[type]);
            }
        }
        out.flush();
        return result.identical() ? RingstackCommand.EXIT_OK : RingstackCommand.EXIT_FAILURE;
    }
}
