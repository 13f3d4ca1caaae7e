package io.ringstack.bench;

import java.util.concurrent.TimeUnit;
import org.agrona.concurrent.UnsafeBuffer;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

/**
 * Wire parse with every checksum verified, one frame per operation, so ops/s is frames/s: ringstack's flyweights
 * ({@link FlyweightParse}) against pcap4j 1.8.2 ({@link Pcap4jParse}) on the same bytes, in the same run.
 * <ul>
 *   <li>{@link #udp}: Ethernet, IPv4 and UDP, IPv4 and UDP checksums.</li>
 *   <li>{@link #tcp}: Ethernet, IPv4 and TCP with Linux's SYN options (MSS, SACK permitted, timestamps, NOP, window
 *       scale: 20 bytes), IPv4 and TCP checksums, every option read. Its shortest frame is 74 bytes, so at
 *       {@code frameLength=64} it parses the 74-byte segment without payload.</li>
 *   <li>{@link #icmp}: Ethernet, IPv4 and an ICMP echo request, IPv4 and ICMP checksums.</li>
 *   <li>{@link Arp}: Ethernet and an ARP request, which has one size.</li>
 * </ul>
 * The peers, {@code udpPcap4j} and so on, parse a {@code byte[]} copy of the same frame. Each frame is built once
 * in the trial set-up with the engine's wire writers; the payload fills the frame up to {@code frameLength}
 * (1514 is a full 1500-byte MTU). The set-up fails unless both parsers read the same fields from each frame (the
 * same {@link Digest}), then has each parse each frame {@value Checked#WARM_UP_PARSES} times so that both are
 * compiled before JMH's own warm-up. Every invocation sends its digest to the {@link Blackhole}, and the trial
 * tear-down fails the run if any parse failed or read other values.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
public class ParseBenchmark extends ForkedBenchmark
{
    /** The length of the TCP frame at {@code frameLength=64}: the shortest its options fit in. */
    public static final int TCP_MIN_FRAME_LENGTH = WireFrames.TCP_MIN_FRAME_LENGTH;
    /** The length of the ARP frame: a 28-byte ARP packet padded to Ethernet's minimum. */
    public static final int ARP_FRAME_LENGTH = WireFrames.ARP_FRAME_LENGTH;

    @Param({ "64", "512", "1514" })
    int frameLength;

    private final FlyweightParse flyweights = new FlyweightParse();
    private final Pcap4jParse pcap4j = new Pcap4jParse();
    private final Checked checked = new Checked();

    private UnsafeBuffer udpFrame;
    private UnsafeBuffer tcpFrame;
    private UnsafeBuffer icmpFrame;
    private byte[] udpBytes;
    private byte[] tcpBytes;
    private byte[] icmpBytes;
    private int tcpLength;
    private long udpDigest;
    private long tcpDigest;
    private long icmpDigest;

    /**
     * Build the frames and check that both parsers read the same fields from each.
     */
    @Setup(Level.Trial)
    public void setUp()
    {
        udpFrame = WireFrames.udp(frameLength, UdpFrames.PEER_PORT + 1);
        tcpLength = Math.max(frameLength, WireFrames.TCP_MIN_FRAME_LENGTH);
        tcpFrame = WireFrames.tcp(tcpLength, UdpFrames.PEER_PORT + 1);
        icmpFrame = WireFrames.icmpEcho(frameLength);
        udpBytes = WireFrames.bytes(udpFrame);
        tcpBytes = WireFrames.bytes(tcpFrame);
        icmpBytes = WireFrames.bytes(icmpFrame);
        udpDigest = Checked.agreed("UDP", flyweights.udp(udpFrame, udpBytes.length), pcap4j.udp(udpBytes));
        tcpDigest = Checked.agreed("TCP", flyweights.tcp(tcpFrame, tcpBytes.length), pcap4j.tcp(tcpBytes));
        icmpDigest = Checked.agreed("ICMP", flyweights.icmp(icmpFrame, icmpBytes.length), pcap4j.icmp(icmpBytes));
        for (int i = 0; i < Checked.WARM_UP_PARSES; i++)
        {
            checked.warmUp(udpDigest, flyweights.udp(udpFrame, frameLength), pcap4j.udp(udpBytes));
            checked.warmUp(tcpDigest, flyweights.tcp(tcpFrame, tcpLength), pcap4j.tcp(tcpBytes));
            checked.warmUp(icmpDigest, flyweights.icmp(icmpFrame, frameLength), pcap4j.icmp(icmpBytes));
        }
    }

    @Benchmark
    public void udp(final Blackhole blackhole)
    {
        blackhole.consume(checked.expect(udpDigest, flyweights.udp(udpFrame, frameLength)));
    }

    @Benchmark
    public void udpPcap4j(final Blackhole blackhole)
    {
        blackhole.consume(checked.expect(udpDigest, pcap4j.udp(udpBytes)));
    }

    @Benchmark
    public void tcp(final Blackhole blackhole)
    {
        blackhole.consume(checked.expect(tcpDigest, flyweights.tcp(tcpFrame, tcpLength)));
    }

    @Benchmark
    public void tcpPcap4j(final Blackhole blackhole)
    {
        blackhole.consume(checked.expect(tcpDigest, pcap4j.tcp(tcpBytes)));
    }

    @Benchmark
    public void icmp(final Blackhole blackhole)
    {
        blackhole.consume(checked.expect(icmpDigest, flyweights.icmp(icmpFrame, frameLength)));
    }

    @Benchmark
    public void icmpPcap4j(final Blackhole blackhole)
    {
        blackhole.consume(checked.expect(icmpDigest, pcap4j.icmp(icmpBytes)));
    }

    /**
     * Fail the run if any timed parse failed or read other values than the set-up's.
     */
    @TearDown(Level.Trial)
    public void tearDown()
    {
        checked.verify("frameLength=" + frameLength);
    }

    /**
     * The ARP request, parsed by both: one size, so a class of its own without the frame length parameter.
     */
    @State(Scope.Thread)
    public static class Arp extends ForkedBenchmark
    {
        private final FlyweightParse flyweights = new FlyweightParse();
        private final Pcap4jParse pcap4j = new Pcap4jParse();
        private final Checked checked = new Checked();
        private UnsafeBuffer frame;
        private byte[] bytes;
        private long digest;

        @Setup(Level.Trial)
        public void setUp()
        {
            frame = WireFrames.arpRequest();
            bytes = WireFrames.bytes(frame);
            digest = Checked.agreed("ARP", flyweights.arp(frame, bytes.length), pcap4j.arp(bytes));
            for (int i = 0; i < Checked.WARM_UP_PARSES; i++)
            {
                checked.warmUp(digest, flyweights.arp(frame, WireFrames.ARP_FRAME_LENGTH), pcap4j.arp(bytes));
            }
        }

        @Benchmark
        public void arp(final Blackhole blackhole)
        {
            blackhole.consume(checked.expect(digest, flyweights.arp(frame, WireFrames.ARP_FRAME_LENGTH)));
        }

        @Benchmark
        public void arpPcap4j(final Blackhole blackhole)
        {
            blackhole.consume(checked.expect(digest, pcap4j.arp(bytes)));
        }

        @TearDown(Level.Trial)
        public void tearDown()
        {
            checked.verify("ARP");
        }
    }

    /**
     * Counts the parses whose digest differed from the expected one.
     */
    static final class Checked
    {
        /**
         * Parses each parser makes of each frame in the trial set-up, before JMH's warm-up: pcap4j's deep call tree
         * runs interpreted or in C1 for some hundred thousand parses on this machine, far longer than the one-second
         * warm-up of {@code --quick}, and a peer measured before it is compiled would flatter the ratio.
         */
        static final int WARM_UP_PARSES = 200_000;

        private long parses;
        private long wrong;

        /**
         * Count a set-up parse by each parser.
         */
        void warmUp(final long expected, final long flyweights, final long pcap4j)
        {
            expect(expected, flyweights);
            expect(expected, pcap4j);
        }

        /**
         * @return the digest, after counting it.
         */
        long expect(final long expected, final long digest)
        {
            parses++;
            if (digest != expected)
            {
                wrong++;
            }
            return digest;
        }

        void verify(final String what)
        {
            if (0 == parses || 0 != wrong)
            {
                throw new IllegalStateException(what + ": " + wrong + " of " + parses + " parses failed or differed");
            }
        }

        /**
         * @return the digest both parsers agree on.
         * @throws IllegalStateException if either failed or they read different values.
         */
        static long agreed(final String what, final long flyweights, final long pcap4j)
        {
            if (Digest.FAILED == flyweights || flyweights != pcap4j)
            {
                throw new IllegalStateException(what + ": ringstack's digest " + flyweights + ", pcap4j's " + pcap4j);
            }
            return flyweights;
        }
    }
}
