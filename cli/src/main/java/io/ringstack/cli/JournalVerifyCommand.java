package io.ringstack.cli;

import io.ringstack.journal.JournalReader;
import io.ringstack.journal.ReadResult;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;

/**
 * {@code ringstack journal verify DIR}: reads every record and checks it (batch headers, lengths, CRC-32C, contiguous
 * sequence numbers, types); says how many records are intact, whether the journal was closed or its tail cut, and
 * how many records the tap lost. Exit 0 when every record is intact (a cut tail included: what is there is sound),
 * 1 on the first corrupt record.
 */
@Command(
    name = "verify",
    mixinStandardHelpOptions = true,
    versionProvider = RingstackCommand.VersionProvider.class,
    description = "Check a journal's integrity: record checksums, contiguous sequence numbers, a cut tail.")
public final class JournalVerifyCommand implements Callable<Integer>
{
    @Spec
    CommandSpec spec;

    @Parameters(paramLabel = "DIR", description = "The journal directory.")
    Path directory;

    @Option(names = "--json", description = "Print one JSON object instead of text.")
    boolean json;

    public Integer call()
    {
        try (JournalReader reader = JournalCli.open(directory))
        {
            final JournalProgress progress = new JournalProgress(spec.commandLine().getErr(), "verify");
            final ReadResult result = reader.progress(progress).read((record) -> true);
            progress.done();
            final PrintWriter out = spec.commandLine().getOut();
            if (json)
            {
                out.println(new JournalJson()
                    .field("journal", directory.toString())
                    .field("engine", reader.header().engineName())
                    .field("intact", result.intact())
                    .field("records", result.records())
                    .field("batches", result.batches())
                    .field("last_sequence", result.lastSequence())
                    .field("closed", result.closed())
                    .field("tail_cut", result.tailCut())
                    .field("lost_records", result.lostRecords())
                    .field("problem", result.problem()));
            }
            else
            {
                out.println("journal " + directory + " (" + reader.header().engineName() + "): " + result.records() +
                    " intact records in " + result.batches() + " batches, sequence 0.." + result.lastSequence());
                out.println(result.closed() ? "closed: the END record is present, nothing is missing" :
                    result.tailCut() ? "tail cut: no END record (the writer stopped without closing); every record " +
                    "before the cut is intact" : "not read to the end");
                out.println(result.lostRecords() == 0 ? "lost: none" : "lost: " + result.lostRecords() +
                    " records dropped by the tap (policy DROP)");
                out.println(result.intact() ? "result: intact" : "result: CORRUPT: " + result.problem());
            }
            out.flush();
            return result.intact() ? RingstackCommand.EXIT_OK : RingstackCommand.EXIT_FAILURE;
        }
    }
}
