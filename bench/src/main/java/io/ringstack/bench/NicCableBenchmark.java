package io.ringstack.bench;

import io.ringstack.drivers.platform.PlatformProfile;
import io.ringstack.phy.Cable;
import io.ringstack.phy.FrameHandler;
import io.ringstack.phy.Link;
import io.ringstack.phy.NetworkDevice;
import org.agrona.BufferUtil;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;
import org.agrona.concurrent.status.CountersManager;
import org.agrona.concurrent.status.CountersReader;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

import java.util.concurrent.TimeUnit;

/**
 * Frames per second one way through a cable between two NIC models of the same profile: the sending guest driver
 * fills its transmit ring, its device model DMAs the frames out of guest memory onto the cable, the receiving model
 * DMAs them into its guest's receive buffers, and the receiving driver hands them over in place and replenishes.
 * One operation is one frame; each invocation moves {@link #BATCH} frames, so ops/s is frames/s per direction.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
public class NicCableBenchmark extends ForkedBenchmark
{
    /** Frames per invocation: fewer than either model's transmit ring holds. */
    public static final int BATCH = 16;

    private static final int CABLE_CAPACITY = 1 << 20;
    private static final int COUNTERS = 64;

    @Param({ "e1000", "virtio" })
    String nic;

    @Param({ "64", "1514" })
    int frameLength;

    private NetworkDevice sender;
    private NetworkDevice receiver;
    private final UnsafeBuffer frame = new UnsafeBuffer(BufferUtil.allocateDirectAligned(2048, 64));
    private final FrameHandler ignore = (buffer, offset, length) -> { };
    private final Receiver counting = new Receiver();
    private long sent;

    /**
     * Counts the frames handed over and reads one byte of each, as a consumer would.
     */
    static final class Receiver implements FrameHandler
    {
        long frames;
        long checksum;

        public void onFrame(final DirectBuffer buffer, final int offset, final int length)
        {
            frames++;
            checksum += buffer.getByte(offset + length - 1);
        }
    }

    @Setup(Level.Trial)
    public void setUp()
    {
        final PlatformProfile profile = PlatformProfile.forNic(nic);
        final Link[] cable = Cable.ends(CABLE_CAPACITY);
        sender = profile.nicOn(cable[0], 0x0200_0000_0001L).create("sender", inMemoryCounters());
        receiver = profile.nicOn(cable[1], 0x0200_0000_0002L).create("receiver", inMemoryCounters());
        for (int i = 0; i < frameLength; i++)
        {
            frame.putByte(i, (byte)i);
        }
    }

    private static CountersManager inMemoryCounters()
    {
        return new CountersManager(
            new UnsafeBuffer(BufferUtil.allocateDirectAligned(COUNTERS * CountersReader.METADATA_LENGTH, 64)),
            new UnsafeBuffer(BufferUtil.allocateDirectAligned(COUNTERS * CountersReader.COUNTER_LENGTH, 64)));
    }

    @Benchmark
    @OperationsPerInvocation(BATCH)
    public long framesThroughCable()
    {
        for (int i = 0; i < BATCH; i++)
        {
            while (sender.transmit(frame, 0, frameLength) != NetworkDevice.TX_OK)
            {
                sender.receive(ignore, BATCH);
            }
        }
        sent += BATCH;
        while (counting.frames < sent)
        {
            sender.receive(ignore, BATCH);
            receiver.receive(counting, BATCH);
        }
        return counting.checksum;
    }

    @TearDown(Level.Trial)
    public void checkEveryFrameArrived()
    {
        if (counting.frames != sent)
        {
            throw new IllegalStateException(nic + ": sent " + sent + " frames, received " + counting.frames);
        }
    }
}
