package io.ringstack.phy;

import io.ringstack.wire.Ipv4Packet;
import java.nio.ByteOrder;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The fault model's decisions: per seed and profile, each fault takes its share of the frames (within five standard
 * deviations of the binomial count), the same seed draws the same faults frame by frame, the rules between faults
 * hold (a lost frame is only lost, a held frame is not also duplicated), corruption flips one bit past the
 * Ethernet header, and a congestion mark sets CE on ECN-capable IPv4 packets only.
 */
class FaultModelTest
{
    private static final int FRAMES = 100_000;
    private static final int LENGTH = 100;

    @ParameterizedTest(name = "seed {0}: loss {1}, corruption {2}, duplication {3}, reordering {4}, marks {5}")
    @CsvSource({
        "1,     0.0,  0.0,  0.0,  0.0,  0.0",
        "1,     0.01, 0.0,  0.0,  0.0,  0.0",
        "2,     0.05, 0.0,  0.0,  0.0,  0.0",
        "3,     0.10, 0.0,  0.0,  0.0,  0.0",
        "4,     0.0,  0.0,  0.0,  0.25, 0.0",
        "5,     0.0,  0.0,  0.05, 0.0,  0.0",
        "6,     0.0,  0.01, 0.0,  0.0,  0.0",
        "7,     0.05, 0.01, 0.05, 0.25, 0.0",
        "8,     0.05, 0.0,  0.0,  0.0,  0.1",
        "-9,    0.5,  0.5,  0.5,  0.5,  0.5",
    })
    void eachFaultTakesItsShareOfTheFrames(final long seed, final double loss, final double corruption,
        final double duplication, final double reordering, final double marks)
    {
        final FaultModel model = new FaultModel(new FaultInjectingDevice.Faults().seed(seed).loss(loss)
            .corruption(corruption).duplication(duplication).reordering(reordering).congestionMarks(marks));
        long lost = 0;
        long corrupted = 0;
        long duplicated = 0;
        long reordered = 0;
        long marked = 0;
        for (int i = 0; i < FRAMES; i++)
        {
            final int verdict = model.decide(LENGTH, true);
            lost += verdict == FaultModel.LOSE ? 1 : 0;
            corrupted += (verdict & FaultModel.CORRUPT) != 0 ? 1 : 0;
            duplicated += (verdict & FaultModel.DUPLICATE) != 0 ? 1 : 0;
            reordered += (verdict & FaultModel.REORDER) != 0 ? 1 : 0;
            marked += (verdict & FaultModel.MARK) != 0 ? 1 : 0;
        }
        assertShare("lost", lost, FRAMES, loss);
        final long kept = FRAMES - lost;
        assertShare("corrupted", corrupted, kept, corruption);
        assertShare("reordered", reordered, kept, reordering);
        assertShare("duplicated", duplicated, kept - reordered, duplication);
        assertShare("marked", marked, kept, marks);
    }

    @Test
    void theSameSeedDrawsTheSameFaultsFrameByFrameAndAnotherSeedOthers()
    {
        final int[] first = verdicts(42);
        assertArrayEquals(first, verdicts(42));
        assertFalse(java.util.Arrays.equals(first, verdicts(43)), "seeds 42 and 43 drew the same faults");
    }

    @Test
    void aLostFrameIsOnlyLostAndAHeldFrameIsNotAlsoDuplicated()
    {
        final FaultModel allLost = new FaultModel(new FaultInjectingDevice.Faults().loss(1).corruption(1)
            .duplication(1).reordering(1));
        final FaultModel allFaults = new FaultModel(new FaultInjectingDevice.Faults().corruption(1)
            .duplication(1).reordering(1));
        for (int i = 0; i < 100; i++)
        {
            assertEquals(FaultModel.LOSE, allLost.decide(LENGTH, true));
            assertEquals(FaultModel.CORRUPT | FaultModel.REORDER, allFaults.decide(LENGTH, true));
            assertEquals(FaultModel.CORRUPT | FaultModel.DUPLICATE, allFaults.decide(LENGTH, false));
        }
    }

    @Test
    void corruptionFlipsOneBitPastTheEthernetHeaderAndSparesAFrameWithoutPayload()
    {
        final FaultModel model = new FaultModel(new FaultInjectingDevice.Faults().seed(3).corruption(1));
        final UnsafeBuffer frame = new UnsafeBuffer(new byte[60]);
        final boolean[] bitHit = new boolean[60 * 8];
        for (int i = 0; i < 10_000; i++)
        {
            frame.setMemory(0, 60, (byte)0);
            assertEquals(FaultModel.CORRUPT, model.decide(60, true));
            model.corrupt(frame, 0);
            int setBits = 0;
            for (int b = 0; b < 60; b++)
            {
                setBits += Integer.bitCount(frame.getByte(b) & 0xFF);
            }
            assertEquals(1, setBits, "bits flipped");
            assertEquals(1, (frame.getByte(model.corruptBit() >>> 3) >>> (model.corruptBit() & 7)) & 1);
            assertTrue(model.corruptBit() >= 14 * 8, "bit " + model.corruptBit() + " is in the Ethernet header");
            bitHit[model.corruptBit()] = true;
        }
        for (int bit = 14 * 8; bit < 60 * 8; bit++)
        {
            assertTrue(bitHit[bit], "bit " + bit + " never chosen in 10,000 frames");
        }
        assertEquals(0, model.decide(14, true), "a 14-byte frame has no bit past its header to flip");
    }

    /**
     * The usual worked example of the IPv4 header checksum, 192.168.0.1 to 192.168.0.199, UDP, 0xB861 with a zero
     * second octet: with ECT(0) (0x02) it is 0xB85F, marked CE (0x03) 0xB85E.
     */
    @Test
    void aMarkSetsCeOnAnEct0PacketAndWritesItsHeaderChecksumAgain()
    {
        final UnsafeBuffer frame = ipv4Frame(0x02);
        assertEquals(0xB85F, frame.getShort(14 + 10, ByteOrder.BIG_ENDIAN) & 0xFFFF, "ECT(0) header checksum");
        assertTrue(FaultModel.isEcnCapable(frame, 0, frame.capacity()));

        FaultModel.markCongestion(frame, 0);

        assertEquals(0x03, frame.getByte(14 + 1), "CE");
        assertEquals(0xB85E, frame.getShort(14 + 10, ByteOrder.BIG_ENDIAN) & 0xFFFF, "CE header checksum");
    }

    @ParameterizedTest(name = "ECN field {0}: capable {1}")
    @CsvSource({ "0, false", "1, true", "2, true", "3, false" })
    void onlyEctPacketsMayBeMarked(final int ecn, final boolean capable)
    {
        assertEquals(capable, FaultModel.isEcnCapable(ipv4Frame(ecn), 0, 34));
    }

    @Test
    void aFrameThatIsNotIpv4IsNeverMarked()
    {
        final UnsafeBuffer arp = ipv4Frame(0x02);
        arp.putShort(12, (short)0x0806, ByteOrder.BIG_ENDIAN);

        assertFalse(FaultModel.isEcnCapable(arp, 0, 34));
        assertFalse(FaultModel.isEcnCapable(ipv4Frame(0x02), 0, 33), "a frame shorter than an IPv4 header");
    }

    /**
     * @return an Ethernet frame holding the 20-byte IPv4 header of the example, its ECN field {@code ecn}.
     */
    private static UnsafeBuffer ipv4Frame(final int ecn)
    {
        final UnsafeBuffer frame = new UnsafeBuffer(new byte[34]);
        frame.putShort(12, (short)0x0800, ByteOrder.BIG_ENDIAN);
        Ipv4Packet.writeHeader(frame, 14, ecn, 0x73 - 20, 0, Ipv4Packet.FLAG_DONT_FRAGMENT, 64,
            Ipv4Packet.PROTOCOL_UDP, 0xC0A80001, 0xC0A800C7);
        return frame;
    }

    private static int[] verdicts(final long seed)
    {
        final FaultModel model = new FaultModel(new FaultInjectingDevice.Faults().seed(seed).loss(0.05)
            .corruption(0.01).duplication(0.05).reordering(0.25));
        final int[] verdicts = new int[10_000];
        for (int i = 0; i < verdicts.length; i++)
        {
            verdicts[i] = model.decide(LENGTH, true) | (model.corruptBit() << 4);
        }
        return verdicts;
    }

    private static void assertShare(final String fault, final long count, final long trials, final double rate)
    {
        final double expected = trials * rate;
        final double tolerance = 5 * Math.sqrt(trials * rate * (1 - rate));
        assertTrue(Math.abs(count - expected) <= tolerance, () -> fault + ": " + count + " of " + trials +
            " frames, expected " + expected + " +- " + tolerance);
    }
}
