package io.ringstack.wire;

import com.code_intelligence.jazzer.junit.FuzzTest;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.Arrays;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Fuzz target of the wire flyweights: the input is a header region from the network layer up, and every flyweight
 * wraps it ({@link FlyweightProbe}: Ethernet, ARP, IPv4, ICMP, UDP, TCP, and the transport flyweights again over an
 * IPv4 payload), with every accessor and checksum check after a {@code VALID} wrap, and {@link TcpOptions} parses
 * the whole input as an options area. It proves that no bytes make a {@code wrap}, an accessor or the options
 * parser throw or read outside the region, and that every payload lies inside it.
 * <p>
 * The region is put through twice: at the start of a buffer of exactly its length, and at the end of a buffer with
 * a few bytes before it, so Agrona's bounds checks catch a read past either end. Seeds: the golden frames from
 * their network and from their transport header. Without {@code JAZZER_FUZZ} it runs the seeds and the inputs
 * kept under {@code WireFuzzTestInputs}; see FUZZING.md.
 */
class WireFuzzTest
{
    /** Pseudo-header addresses for a region taken as a transport header: 10.99.0.1 to 10.99.0.2. */
    private static final int SOURCE = GoldenFrames.HOST_A;
    private static final int DESTINATION = GoldenFrames.HOST_B;
    private static final int LEADING_BYTES = 3;

    private final FlyweightProbe probe = new FlyweightProbe();

    @MethodSource("goldenHeaders")
    @FuzzTest
    @Timeout(60)
    void noBytesMakeAFlyweightThrowOrReadOutsideItsRegion(final byte[] input)
    {
        assertTrue(DirectBuffer.SHOULD_BOUNDS_CHECK, "without Agrona's bounds checks this target proves nothing");
        final UnsafeBuffer exact = new UnsafeBuffer(input);
        probe.exercise(exact, 0, input.length, SOURCE, DESTINATION);
        probe.exerciseOptions(exact, 0, input.length);

        final byte[] behind = new byte[LEADING_BYTES + input.length];
        Arrays.fill(behind, 0, LEADING_BYTES, (byte)0xA5);
        System.arraycopy(input, 0, behind, LEADING_BYTES, input.length);
        probe.exercise(new UnsafeBuffer(behind), LEADING_BYTES, input.length, SOURCE, DESTINATION);
    }

    static Stream<Arguments> goldenHeaders()
    {
        return GoldenFrames.headerSlices().stream().map(slice -> Arguments.of((Object)slice));
    }
}
