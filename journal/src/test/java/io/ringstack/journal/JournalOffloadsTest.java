package io.ringstack.journal;

import io.ringstack.phy.FrameHandler;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A received frame's offloads are an input like its bytes: the RX_FRAME record keeps them
 * ({@link JournalFormat#OFFLOAD_CHECKSUM_GOOD}) and a replay hands them to the replayed engine's device, so that a
 * frame the recorded device vouched for is not checked on replay either. The datagram below has a wrong UDP
 * checksum: taken as right, it reaches the UDP arm and earns a port unreachable; checked, it would be dropped as a
 * bad checksum with no answer, and the replay would diverge.
 */
class JournalOffloadsTest
{
    private static final long MILLISECOND = TimeUnit.MILLISECONDS.toNanos(1);
    /** The UDP checksum's first byte: Ethernet 14, IPv4 20, then 6 into the UDP header. */
    private static final int UDP_CHECKSUM = 14 + 20 + 6;

    @TempDir
    Path directory;

    @Test
    void aFrameTheDeviceVouchedForIsRecordedWithItsOffloadsAndReplaysIdentical()
    {
        final Path journal = directory.resolve("offloads");
        try (JournaledEngine engine = JournaledEngine.startWithOffloads(journal, FrameHandler.CHECKSUM_GOOD))
        {
            engine.fromPeer(PeerFrames.arpRequest());
            engine.cycle(MILLISECOND);
            final UnsafeBuffer datagram = PeerFrames.udp(40000, 9, 100);
            datagram.putByte(UDP_CHECKSUM, (byte)(datagram.getByte(UDP_CHECKSUM) ^ 0x10));
            engine.fromPeer(datagram);
            engine.cycle(MILLISECOND);
        }

        final List<String> received = new ArrayList<>();
        try (JournalReader reader = JournalReader.open(journal))
        {
            final VerdictPairing pairing = new VerdictPairing((record) ->
            {
                if (record.type() == JournalFormat.RX_FRAME)
                {
                    received.add(record.offloads() + " " + reader.header().verdictName(record.verdict()));
                }
                return true;
            });
            reader.read(pairing);
            pairing.finish();
        }
        assertEquals(List.of("1 delivered", "1 UDP_NO_SOCKET"), received, "offloads and verdict of each frame");
        assertTrue(JournalTapTest.count(journal, JournalFormat.TX_FRAME) >= 2,
            "the ARP reply and the port unreachable");
        assertTrue(Replayer.replay(journal, null).identical());
    }
}
