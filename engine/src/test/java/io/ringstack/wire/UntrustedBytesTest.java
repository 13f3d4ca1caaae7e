package io.ringstack.wire;

import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Property: whatever bytes arrive, {@code wrap} never throws, and after a {@code VALID} wrap no accessor throws and
 * the payload lies inside the wrapped region.
 * Each input sits at the very end of a buffer of exactly {@code offset + length} bytes, so with Agrona's bounds
 * checks on, a read past the wrapped region throws; at offset 0 a read before it throws too.
 */
class UntrustedBytesTest
{
    private static final long SEED = 0x5EED_2026_0001L;
    private static final int ITERATIONS = 200_000;
    private static final int MAX_GARBAGE_LENGTH = 80;
    private static final int MAX_PADDING_LENGTH = 24;
    /** Each flyweight must have been VALID, and so had its accessors called, at least this often. */
    private static final int MIN_VALID_WRAPS = 1_000;

    private final FlyweightProbe probe = new FlyweightProbe();

    @Test
    void garbageAndMutilatedGoldenFramesNeverThrowFromWrapOrAnyAccessor()
    {
        assertTrue(DirectBuffer.SHOULD_BOUNDS_CHECK, "without Agrona's bounds checks this property proves nothing");
        final List<byte[]> seeds = GoldenFrames.headerSlices();
        final Random random = new Random(SEED);

        for (int i = 0; i < ITERATIONS; i++)
        {
            final byte[] input = nextInput(random, seeds);
            final int offset = random.nextBoolean() ? 0 : 1 + random.nextInt(8);
            final byte[] backing = new byte[offset + input.length];
            random.nextBytes(backing);
            System.arraycopy(input, 0, backing, offset, input.length);
            try
            {
                probe.exercise(new UnsafeBuffer(backing), offset, input.length, random.nextInt(), random.nextInt());
            }
            catch (final RuntimeException | AssertionError ex)
            {
                throw new AssertionError("iteration " + i + ", offset " + offset + ", bytes " +
                    GoldenFrames.hex(new UnsafeBuffer(input), 0, input.length), ex);
            }
        }

        for (int i = 0; i < FlyweightProbe.NAMES.length; i++)
        {
            assertTrue(probe.validCount(i) >= MIN_VALID_WRAPS,
                FlyweightProbe.NAMES[i] + " was VALID only " + probe.validCount(i) + " times");
        }
    }

    /**
     * One of: random garbage, a seed cut short, a seed with a few random bytes, a seed with a random run of up to
     * eight bytes, or a seed followed by random trailing bytes (link-layer padding).
     */
    private static byte[] nextInput(final Random random, final List<byte[]> seeds)
    {
        final byte[] seed = seeds.get(random.nextInt(seeds.size()));
        switch (random.nextInt(5))
        {
            case 0:
                final byte[] garbage = new byte[random.nextInt(MAX_GARBAGE_LENGTH + 1)];
                random.nextBytes(garbage);
                return garbage;

            case 1:
                return Arrays.copyOf(seed, random.nextInt(seed.length + 1));

            case 2:
                final byte[] flipped = seed.clone();
                for (int flips = 1 + random.nextInt(4); flips > 0; flips--)
                {
                    flipped[random.nextInt(flipped.length)] = (byte)random.nextInt(256);
                }
                return flipped;

            case 3:
                final byte[] scrambled = seed.clone();
                final int start = random.nextInt(scrambled.length);
                final int end = start + random.nextInt(Math.min(8, scrambled.length - start) + 1);
                for (int i = start; i < end; i++)
                {
                    scrambled[i] = (byte)random.nextInt(256);
                }
                return scrambled;

            default:
                final byte[] padded = Arrays.copyOf(seed, seed.length + random.nextInt(MAX_PADDING_LENGTH + 1));
                for (int i = seed.length; i < padded.length; i++)
                {
                    padded[i] = (byte)random.nextInt(256);
                }
                return padded;
        }
    }
}
