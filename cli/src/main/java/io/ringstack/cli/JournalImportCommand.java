package io.ringstack.cli;

import io.ringstack.journal.CaptureImport;
import io.ringstack.wire.MacText;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine;

/**
 * {@code ringstack journal import CAPTURE DIR}: a pcap or pcapng capture run through an engine into a new journal,
 * whose inputs are the captured frames and which replays identical.
 */
@Command(
    name = "import",
    mixinStandardHelpOptions = true,
    versionProvider = RingstackCommand.VersionProvider.class,
    description = "Turn a pcap or pcapng capture into a journal: each frame the captured host received becomes a "
        + "device input of an engine standing in for that host.")
public final class JournalImportCommand implements Callable<Integer>
{
    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "CAPTURE",
        description = "A .pcap or .pcapng file, gzip-compressed or not, of Ethernet or Linux cooked (SLL, SLL2) "
            + "frames.")
    Path capture;

    @Parameters(index = "1", paramLabel = "DIR", description = "The new journal's directory (missing or empty).")
    Path directory;

    @Option(names = "--ip", paramLabel = "ADDRESS/PREFIX",
        description = "The engine's address (default: the capture's if_IPv4addr, else " +
            CaptureImport.DEFAULT_ADDRESS + ").")
    String address;

    @Option(names = "--gateway", paramLabel = "ADDRESS", description = "The engine's gateway (default: none).")
    String gateway;

    @Option(names = "--mac", paramLabel = "MAC",
        description = "The engine's MAC (default: the capture's if_MACaddr, else 52:54:00:12:34:56); frames from "
            + "it are taken as sent by the host and skipped.")
    String mac;

    public Integer call()
    {
        final Long macAddress;
        try
        {
            macAddress = mac == null ? null : MacText.parse(mac);
        }
        catch (final IllegalArgumentException ex)
        {
            throw new CommandLine.ParameterException(spec.commandLine(), "--mac: " + ex.getMessage());
        }
        JournalCli.quietChronicle();
        final JournalProgress progress = new JournalProgress(spec.commandLine().getErr(), "import");
        final CaptureImport.Result result =
            CaptureImport.run(capture, directory, new CaptureImport.Settings(address, gateway, macAddress), progress);
        progress.done();
        final PrintWriter out = spec.commandLine().getOut();
        out.println("imported " + result.imported() + " of " + result.packets() + " packets into " + directory +
            " (" + result.header().addressText() + ", mac " + result.header().macText() + ")" +
            (result.cut() > 0 ? "; " + result.cut() + " of them cut by the capture's snapshot length, imported as " +
            "captured (the engine drops them as it would a cut frame)" : ""));
        out.println("skipped " + result.skippedOutbound() + " sent by the host, " + result.skippedTruncated() +
            " cut inside their cooked header, " + result.skippedNotEthernet() + " not Ethernet" +
            (result.captureTruncated() ? "; the capture file ends inside a packet" : ""));
        return RingstackCommand.EXIT_OK;
    }
}
