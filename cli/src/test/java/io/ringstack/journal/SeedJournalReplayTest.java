package io.ringstack.journal;

import io.ringstack.engine.Command;
import io.ringstack.engine.EngineTap;
import io.ringstack.iface.DropReason;
import io.ringstack.seed.SeedWorld;
import java.nio.file.Path;
import java.util.function.Predicate;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The seed's socket programs run through {@link SeedWorld} with both engines journaled, then each journal replayed
 * into a fresh engine on a virtual clock: identical, through the recorded device or another one, TCP connections
 * included; and a journal with one input byte changed diverges at the record that byte reaches.
 */
class SeedJournalReplayTest
{
    static Path guestJournal;
    static Path gatewayJournal;
    static SeedJournals journals;

    @BeforeAll
    static void recordTheSeedPrograms()
    {
        journals = SeedJournals.recorded();
        guestJournal = journals.guest();
        gatewayJournal = journals.gateway();
    }

    @Test
    void guestJournalReplaysIdentical()
    {
        final ReplayReport report = Replayer.replay(guestJournal, null);

        assertTrue(report.identical(), report::toString);
        assertTrue(report.commands() > 20, report::summary);
        assertTrue(report.deviceFrames() >= 2, report::summary);
        assertTrue(report.outputs() > report.commands(), report::summary);
        assertFalse(report.tailCut());
        assertEquals(0, report.appDependent());
        assertTrue(report.summary().startsWith("identical: "), report.summary());
    }

    @Test
    void gatewayJournalReplaysIdentical()
    {
        final ReplayReport report = Replayer.replay(gatewayJournal, null);

        assertTrue(report.identical(), report::toString);
        assertEquals(0, report.commands());
        assertTrue(report.deviceFrames() >= 2, report::summary);
    }

    @Test
    void guestJournalHoldsTheTcpProgramsAndTheirRings()
    {
        find(guestJournal, (record) -> record.type() == JournalFormat.COMMAND &&
            record.operation() == Command.TCP_ACCEPT);
        find(guestJournal, (record) -> record.type() == JournalFormat.COMMAND &&
            record.operation() == Command.TCP_RING_MOVED);
        find(guestJournal, (record) -> record.type() == JournalFormat.APP_DATA && record.appDataLength() > 0);
        find(guestJournal, (record) -> record.type() == JournalFormat.APP_CONSUMED && record.consumedBytes() > 0);
    }

    @Test
    void guestJournalReplaysIdenticalThroughAnotherDevice()
    {
        final ReplayReport report = Replayer.replay(guestJournal, (header, counters) -> new CopyingReplayWire(header));

        assertTrue(report.identical(), report::toString);
    }

    @Test
    void perturbedCommandPayloadDivergesAtTheFrameThatCarriesIt()
    {
        final long command = find(guestJournal, (record) -> record.type() == JournalFormat.COMMAND &&
            record.operation() == Command.UDP_SEND);
        final long frame = find(guestJournal, (record) -> record.type() == JournalFormat.TX_FRAME &&
            summary(record).destinationPort() == 7777);
        final Path perturbed = journals.newDirectory("perturbed-command").resolve("journal");
        final int payloadByte = JournalFormat.COMMAND_MESSAGE_OFFSET + Command.PAYLOAD_OFFSET + 5;
        JournalCopy.copy(guestJournal, perturbed, command,
            (body, length) -> body.putByte(payloadByte, (byte)(body.getByte(payloadByte) ^ 0x20)));

        final ReplayReport report = Replayer.replay(perturbed, null);

        final Divergence divergence = report.divergence();
        assertNotNull(divergence, report::summary);
        assertEquals(frame, divergence.sequence(), divergence::describe);
        assertEquals("TX_FRAME", divergence.recordType());
        assertEquals("frame", divergence.field());
        assertTrue(divergence.hexDiff().contains("^^"), divergence::describe);
        assertTrue(divergence.describe().startsWith("first divergence at record " + frame + " (TX_FRAME)"),
            divergence::describe);
        // The datagram waited for the gateway's MAC: the input that sent it is the ARP reply, just before it.
        assertTrue(divergence.input().startsWith("#" + (frame - 1) + " "), divergence::describe);
        assertTrue(divergence.input().contains("RX_FRAME device"), divergence::describe);
        assertTrue(divergence.input().contains("ARP 10.0.2.2 is-at"), divergence::describe);
        assertTrue(divergence.fields().stream().anyMatch((field) -> field.startsWith("UDP checksum 0x")),
            divergence::describe);
        assertTrue(divergence.fields().stream().anyMatch((field) -> field.startsWith("payload byte 5 ")),
            divergence::describe);
    }

    @Test
    void keepGoingReportsEachPerturbedCommandAtItsOwnFrame()
    {
        final long first = find(guestJournal, (record) -> record.type() == JournalFormat.COMMAND &&
            record.operation() == Command.UDP_SEND);
        final long firstDatagram = find(guestJournal, (record) -> record.sequence() > first &&
            record.type() == JournalFormat.TX_FRAME && FrameSummary.UDP.equals(summary(record).protocol()));
        final long second = find(guestJournal, (record) -> record.sequence() > firstDatagram &&
            record.type() == JournalFormat.COMMAND && record.operation() == Command.UDP_SEND);
        final Path once = journals.newDirectory("perturbed-first").resolve("journal");
        final Path twice = journals.newDirectory("perturbed-both").resolve("journal");
        final int payloadByte = JournalFormat.COMMAND_MESSAGE_OFFSET + Command.PAYLOAD_OFFSET;
        final JournalCopy.Edit flip =
            (body, length) -> body.putByte(payloadByte, (byte)(body.getByte(payloadByte) ^ 1));
        JournalCopy.copy(guestJournal, once, first, flip);
        JournalCopy.copy(once, twice, second, flip);

        final ReplayReport stopping = Replayer.replay(twice, null);
        final ReplayReport going = replay(twice, new Replayer.Options(Replayer.Options.TO_THE_END, true));

        assertEquals(1, stopping.divergenceCount(), stopping::summary);
        assertEquals(2, going.divergenceCount(), () -> describeAll(going));
        final String firstInput = going.divergences().get(0).input();
        assertTrue(firstInput.contains("ARP 10.0.2.2 is-at") || firstInput.startsWith("#" + first + " "),
            () -> "the first datagram leaves on the ARP reply it waited for, or at once: " + describeAll(going));
        assertTrue(going.divergences().get(1).input().startsWith("#" + second + " "), () -> describeAll(going));
        assertTrue(going.divergences().get(1).input().contains("COMMAND udp_send"), () -> describeAll(going));
        assertTrue(going.summary().startsWith("diverged after "), going.summary());
        assertTrue(going.summary().endsWith(", 2 divergences"), going.summary());
    }

    @Test
    void untilStopsBeforeTheFrameThatDivergesAndIsIdenticalUpToIt()
    {
        final long command = find(guestJournal, (record) -> record.type() == JournalFormat.COMMAND &&
            record.operation() == Command.UDP_SEND);
        final long frame = find(guestJournal, (record) -> record.type() == JournalFormat.TX_FRAME &&
            summary(record).destinationPort() == 7777);
        final Path perturbed = journals.newDirectory("perturbed-until").resolve("journal");
        final int payloadByte = JournalFormat.COMMAND_MESSAGE_OFFSET + Command.PAYLOAD_OFFSET;
        JournalCopy.copy(guestJournal, perturbed, command,
            (body, length) -> body.putByte(payloadByte, (byte)(body.getByte(payloadByte) ^ 1)));

        final ReplayReport before = replay(perturbed, new Replayer.Options(frame - 1, false));
        final ReplayReport at = replay(perturbed, new Replayer.Options(frame, false));

        assertTrue(before.identical(), () -> describeAll(before));
        assertTrue(before.summary().startsWith("identical up to record " + (frame - 1) + ": "), before.summary());
        assertFalse(at.identical(), at::summary);
        assertEquals(frame, at.divergence().sequence(), () -> describeAll(at));
    }

    @Test
    void perturbedApplicationBytesDivergeAtTheSegmentThatCarriesThem()
    {
        final long written = find(guestJournal, (record) -> record.type() == JournalFormat.APP_DATA);
        final Path perturbed = journals.newDirectory("perturbed-app-data").resolve("journal");
        final int firstByte = JournalFormat.APP_DATA_OFFSET;
        JournalCopy.copy(guestJournal, perturbed, written,
            (body, length) -> body.putByte(firstByte, (byte)(body.getByte(firstByte) ^ 0x20)));

        final ReplayReport report = Replayer.replay(perturbed, null);

        final Divergence divergence = report.divergence();
        assertNotNull(divergence, report::summary);
        assertTrue(divergence.sequence() > written, divergence::describe);
        assertEquals("TX_FRAME", divergence.recordType(), divergence::describe);
        assertEquals("frame", divergence.field(), divergence::describe);
        assertTrue(divergence.hexDiff().contains("^^"), divergence::describe);
    }

    @Test
    void perturbedDeviceFrameDivergesAtItsVerdict()
    {
        final long unreachable = find(guestJournal, (record) -> record.type() == JournalFormat.RX_FRAME &&
            record.interfaceId() == EngineTap.INTERFACE_DEVICE && FrameSummary.ICMP.equals(summary(record).protocol()));
        final Path perturbed = journals.newDirectory("perturbed-frame").resolve("journal");
        JournalCopy.copy(guestJournal, perturbed, unreachable,
            (body, length) -> body.putByte(length - 1, (byte)(body.getByte(length - 1) ^ 0x01)));

        final ReplayReport report = Replayer.replay(perturbed, null);

        final Divergence divergence = report.divergence();
        assertNotNull(divergence, report::summary);
        assertEquals(unreachable, divergence.sequence(), divergence::describe);
        assertEquals("verdict", divergence.field(), divergence::describe);
        assertEquals(DropReason.ICMP_ERROR_NOT_REPORTED.name(), divergence.recorded());
        assertEquals(DropReason.ICMP_BAD_CHECKSUM.name(), divergence.replayed());
        assertTrue(divergence.input().startsWith("#" + unreachable + " "), divergence::describe);
    }

    static ReplayReport replay(final Path journal, final Replayer.Options options)
    {
        try (JournalReader reader = JournalReader.open(journal))
        {
            return Replayer.replay(reader, null, options);
        }
    }

    static String describeAll(final ReplayReport report)
    {
        final StringBuilder text = new StringBuilder(report.summary()).append(System.lineSeparator());
        report.divergences().forEach((divergence) -> text.append(divergence.describe("next")));
        return text.toString();
    }

    /**
     * @return the sequence of the first record that matches.
     */
    static long find(final Path journal, final Predicate<JournalRecord> match)
    {
        final long[] found = { -1 };
        try (JournalReader reader = JournalReader.open(journal))
        {
            reader.read((record) ->
            {
                if (match.test(record))
                {
                    found[0] = record.sequence();
                    return false;
                }
                return true;
            });
        }
        assertTrue(found[0] >= 0, "no such record in " + journal);
        return found[0];
    }

    static FrameSummary summary(final JournalRecord record)
    {
        return new FrameSummary().parse(record.buffer(), record.frameOffset(), record.frameLength());
    }
}
