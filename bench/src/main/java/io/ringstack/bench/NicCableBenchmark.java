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
 * Frames per second through a cable between two NIC models of the same profile: the sending guest driver fills its
 * transmit ring, its device model DMAs the frames out of guest memory onto the cable, the receiving model DMAs them
 * into its guest's receive buffers, and the receiving driver hands them over in place and replenishes.
 * {@link #framesThroughCable} sends one way; {@link #framesBothWays} sends both ways at once, each end a sender and
 * a receiver, all on one thread as two engines' duty cycles would interleave. One operation is one frame each way;
 * each invocation moves {@link #BATCH} frames per direction, so ops/s is frames/s per direction.
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

    @Param({ "64", "512", "1514" })
    int frameLength;

    private NetworkDevice sender;
    private NetworkDevice receiver;
    private final UnsafeBuffer frame = new UnsafeBuffer(BufferUtil.allocateDirectAligned(2048, 64));
    private final Receiver counting = new Receiver();
    private final Receiver countingBack = new Receiver();
    private long sent;
    private long sentBack;

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
            send(sender, countingBack);
        }
        sent += BATCH;
        awaitEveryFrame();
        return counting.checksum;
    }

    @Benchmark
    @OperationsPerInvocation(BATCH)
    public long framesBothWays()
    {
        for (int i = 0; i < BATCH; i++)
        {
            send(sender, countingBack);
            send(receiver, counting);
        }
        sent += BATCH;
        sentBack += BATCH;
        awaitEveryFrame();
        return counting.checksum + countingBack.checksum;
    }

    /**
     * Queue the frame on {@code device}, polling it with {@code handler} while its transmit ring is full.
     */
    private void send(final NetworkDevice device, final FrameHandler handler)
    {
        while (device.transmit(frame, 0, frameLength) != NetworkDevice.TX_OK)
        {
            device.receive(handler, BATCH);
        }
    }

    /**
     * Poll both ends, as their engines' duty cycles would, until every frame sent either way has arrived.
     */
    private void awaitEveryFrame()
    {
        while (counting.frames < sent || countingBack.frames < sentBack)
        {
            sender.receive(countingBack, BATCH);
            receiver.receive(counting, BATCH);
        }
    }

    @TearDown(Level.Trial)
    public void checkEveryFrameArrived()
    {
        if (counting.frames != sent || countingBack.frames != sentBack)
        {
            throw new IllegalStateException(nic + ": sent " + sent + " and " + sentBack + " frames back, received " +
                counting.frames + " and " + countingBack.frames + " back");
        }
    }
}
