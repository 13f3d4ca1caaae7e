package io.ringstack.cli;

import io.ringstack.journal.JournalExport;
import io.ringstack.journal.JournalReader;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.nio.file.Path;
import java.util.concurrent.Callable;

/**
 * {@code ringstack journal export DIR OUT.pcapng}: the journal's frames as a pcapng capture for Wireshark and tshark.
 */
@Command(
    name = "export",
    mixinStandardHelpOptions = true,
    versionProvider = RingstackCommand.VersionProvider.class,
    description = "Write a journal's frames to a pcapng file: one interface per engine interface, nanosecond "
        + "timestamps, direction flags, a loopback frame once, each received frame's verdict (epb_verdict, as an XDP "
        + "action: pass or drop), a comment only on a drop or a failed send; an imported capture's comments and "
        + "cut frames as the capture had them.")
public final class JournalExportCommand implements Callable<Integer>
{
    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "DIR", description = "The journal directory.")
    Path directory;

    @Parameters(index = "1", paramLabel = "OUT.pcapng",
        description = "The capture file to write (replaced only when the whole journal was exported).")
    Path output;

    public Integer call()
    {
        try (JournalReader reader = JournalCli.open(directory))
        {
            final JournalProgress progress = new JournalProgress(spec.commandLine().getErr(), "export");
            final JournalExport.Result result = JournalExport.write(reader.progress(progress), output);
            progress.done();
            if (result.read().intact())
            {
                spec.commandLine().getOut().println("exported " + result.frames() + " frames to " + output);
            }
            return JournalCli.exitCode(spec.commandLine(), directory, result.read());
        }
    }
}
