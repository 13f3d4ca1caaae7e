package io.ringstack.journal;

import io.ringstack.engine.Engine;
import io.ringstack.engine.EngineContext;
import io.ringstack.iface.InterfaceConfig;
import io.ringstack.wire.EthernetFrame;
import io.ringstack.wire.Ipv4Text;
import java.nio.file.Path;
import org.agrona.CloseHelper;
import org.agrona.concurrent.CachedNanoClock;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * {@code ringstack journal import}: turns a real capture into a journal by running an engine on it. Each frame
 * that arrived at the captured host becomes a device RX input, in a duty cycle of its own at its capture time (the
 * engine clock is wall-clock time, so an export of the journal has the capture's timestamps); the engine's
 * verdicts and replies are recorded as in any session, so the journal replays identical. Frames the host sent
 * (flagged outbound, or from its MAC), cooked headers the capture cut, or packets that are not Ethernet are skipped
 * and counted. Linux cooked captures (SLL and SLL2, {@code tcpdump -i any}) are turned into Ethernet frames
 * ({@link CookedCapture}).
 * <p>
 * What the capture says of a frame it keeps: a frame its snapshot length cut is imported as captured (the engine
 * sees, and drops, the cut frame, and so does every replay) with a {@link JournalFormat#NOTE} giving its length on the
 * wire; a pcapng packet's {@code opt_comment} goes into a NOTE too. An export puts both back on the frame.
 * <p>
 * The engine's interface is the first of: what the caller sets, the capture's own description of the interface
 * ({@code if_IPv4addr}, {@code if_MACaddr}), and QEMU's guest, 10.0.2.15/24 at 52:54:00:12:34:56.
 */
public final class CaptureImport
{
    public static final String DEFAULT_ADDRESS = "10.0.2.15/24";
    public static final long DEFAULT_MAC = 0x5254_0012_3456L;
    /**
     * Frames imported between runs of the journal agent: each run writes one Chronicle document, so running it after
     * every frame would make a document of two or three records, and every later read pay Chronicle's cost per
     * document for each. (A full tap ring runs the agent in between, so nothing waits or is lost.)
     */
    static final int FRAMES_PER_JOURNAL_BATCH = 256;

    private final Path journalDirectory;
    private final Settings settings;
    private final String profile;
    private final CachedNanoClock clock = new CachedNanoClock();
    private final UnsafeBuffer cookedFrame = new UnsafeBuffer(new byte[EthernetFrame.HEADER_LENGTH + 65_536]);
    private DirectReplayWire wire;
    private Engine engine;
    private Journal journal;
    private long macAddress;
    private long lastNs = Long.MIN_VALUE;
    private long packets;
    private long imported;
    private long skippedOutbound;
    private long cut;
    private long skippedTruncated;
    private CaptureReader reader;
    private long skippedNotEthernet;

    /**
     * What the caller sets of the engine's interface; {@code null} leaves it to the capture or the default.
     *
     * @param addressAndPrefix e.g. {@code "10.0.2.15/24"}.
     * @param gateway          e.g. {@code "10.0.2.2"}; no gateway when {@code null}.
     * @param macAddress       the MAC, low 48 bits.
     */
    public record Settings(String addressAndPrefix, String gateway, Long macAddress)
    {
    }

    /**
     * What an import did.
     *
     * @param packets            packets in the capture.
     * @param imported           frames fed to the engine and journaled as device input.
     * @param cut                of those, frames the capture's snapshot length cut, imported as captured.
     * @param skippedOutbound    frames the captured host sent.
     * @param skippedTruncated   cooked packets the capture cut inside their link-layer header.
     * @param skippedNotEthernet packets of another link type.
     * @param captureTruncated   whether the capture file itself ends inside a packet.
     * @param header             the new journal's session header.
     */
    public record Result(
        long packets,
        long imported,
        long cut,
        long skippedOutbound,
        long skippedTruncated,
        long skippedNotEthernet,
        boolean captureTruncated,
        SessionHeader header)
    {
    }

    private CaptureImport(final Path journalDirectory, final Settings settings, final String profile)
    {
        this.journalDirectory = journalDirectory;
        this.settings = settings;
        this.profile = profile;
    }

    /**
     * Import {@code capture} into a new journal in {@code journalDirectory}.
     *
     * @throws JournalException when the capture cannot be read or holds no frame to import, or the journal cannot
     *                          be written.
     */
    public static Result run(
        final Path capture, final Path journalDirectory, final Settings settings, final ProgressListener progress)
    {
        final CaptureImport importer =
            new CaptureImport(journalDirectory, settings, "import of " + capture.getFileName());
        try (CaptureReader reader = CaptureReader.open(capture))
        {
            importer.reader = reader;
            importer.packets = reader.progress(progress).read(importer::onPacket);
            if (importer.engine == null)
            {
                throw new JournalException("nothing to import from " + capture + ": " + importer.packets +
                    " packets, none an Ethernet frame received by the captured host");
            }
            importer.finish();
            try (JournalReader journal = JournalReader.open(journalDirectory))
            {
                return new Result(importer.packets, importer.imported, importer.cut, importer.skippedOutbound,
                    importer.skippedTruncated, importer.skippedNotEthernet, reader.truncated(), journal.header());
            }
        }
        finally
        {
            importer.abandon();
        }
    }

    private void onPacket(
        final CaptureReader.Interface captureInterface, final long epochNs, final int direction,
        final UnsafeBuffer packet, final int offset, final int length, final int wireLength)
    {
        final int linkType = captureInterface.linkType();
        final boolean cooked = CookedCapture.isCooked(linkType);
        if (linkType != PcapFormat.LINKTYPE_ETHERNET && !cooked)
        {
            skippedNotEthernet++;
            return;
        }
        final int packetType = cooked ? CookedCapture.packetType(linkType, packet, offset, length) : 0;
        if (packetType == CookedCapture.MALFORMED)
        {
            skippedTruncated++;
            return;
        }
        if (engine == null)
        {
            start(captureInterface, epochNs);
        }
        if (direction == PcapFormat.DIRECTION_OUTBOUND || packetType == CookedCapture.PACKET_OUTGOING ||
            (!cooked && length >= EthernetFrame.HEADER_LENGTH &&
            EthernetFrame.readMac(packet, offset + EthernetFrame.SOURCE_OFFSET) == macAddress))
        {
            skippedOutbound++;
            return;
        }
        final int frameLength =
            cooked ? CookedCapture.toEthernet(linkType, packet, offset, length, macAddress, cookedFrame) : length;
        if (frameLength == CookedCapture.MALFORMED)
        {
            skippedNotEthernet++;
            return;
        }
        final boolean frameCut = length < wireLength;
        if (frameCut || reader.commentLength() > 0)
        {
            cut += frameCut ? 1 : 0;
            journal.tap().onCaptureNote(frameCut ? frameLength + wireLength - length : 0,
                packet, reader.commentOffset(), reader.commentLength());
        }
        lastNs = Math.max(lastNs, epochNs);
        clock.update(lastNs);
        wire.deliver(cooked ? cookedFrame : packet, cooked ? 0 : offset, frameLength, 0);
        engine.doWork();
        wire.drain();
        if (++imported % FRAMES_PER_JOURNAL_BATCH == 0)
        {
            journal.doWork();
        }
    }

    private void start(final CaptureReader.Interface captureInterface, final long epochNs)
    {
        final boolean described = captureInterface.ipv4Address() != 0;
        final String address = settings.addressAndPrefix() != null ? settings.addressAndPrefix() : described ?
            Ipv4Text.format(captureInterface.ipv4Address()) + "/" + captureInterface.prefixLength() : DEFAULT_ADDRESS;
        macAddress = settings.macAddress() != null ? settings.macAddress() :
            captureInterface.macAddress() >= 0 ? captureInterface.macAddress() : DEFAULT_MAC;
        final InterfaceConfig config = InterfaceConfig.parse(address, settings.gateway(), macAddress);
        final String deviceName = captureInterface.name().isEmpty() ? "capture" : captureInterface.name();
        wire = new DirectReplayWire(deviceName, macAddress, EthernetFrame.MAX_PAYLOAD_LENGTH, () -> 0);
        clock.update(epochNs);
        lastNs = epochNs;
        final EngineContext context = new EngineContext()
            .name("import")
            .interfaceConfig(config)
            .device(wire)
            .nanoClock(clock)
            .countersManager(InMemoryCounters.newManager());
        journal = Journal.attach(context, new JournalContext()
            .directory(journalDirectory)
            .dedicatedAgent(false)
            .epochOffsetNs(0)
            .profile(profile));
        engine = new Engine(context);
    }

    private void finish()
    {
        engine.onClose();
        final Journal closing = journal;
        journal = null;
        closing.close();
    }

    private void abandon()
    {
        CloseHelper.quietClose(journal);
    }
}
