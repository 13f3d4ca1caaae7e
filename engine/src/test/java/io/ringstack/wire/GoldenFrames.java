package io.ringstack.wire;

import org.agrona.BitUtil;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Real frames captured from Linux 6.18 (Debian 12 userland, tcpdump 4.99.3 with {@code -w}, hex from {@code -xx}),
 * between two network namespaces joined by a veth pair with checksum offload off ({@code ethtool -K ... tx off}):
 * <pre>
 *   namespace wgA: veth 02:00:00:00:00:01, 10.99.0.1/24  (capture point)
 *   namespace wgB: veth 02:00:00:00:00:02, 10.99.0.2/24
 * </pre>
 * Traffic: {@code ping -c 1}, {@code ping -c 1 -R} (Record Route), {@code nc -u} to a listening and to a closed
 * port, a {@code nc} TCP connection, a 30 kB TCP transfer through an nftables rule dropping every 4th data segment
 * (to make the receiver send SACK blocks), and {@code ping} over a 68-byte MTU (fragments). Whole Ethernet frames
 * without FCS; veth does not pad to 60 bytes. Hex is grouped by header field, whitespace ignored.
 */
final class GoldenFrames
{
    static final long MAC_A = 0x0200_0000_0001L;
    static final long MAC_B = 0x0200_0000_0002L;
    /** 10.99.0.1 */
    static final int HOST_A = 0x0A63_0001;
    /** 10.99.0.2 */
    static final int HOST_B = 0x0A63_0002;

    /** ARP, Request who-has 10.99.0.2 tell 10.99.0.1. */
    static final String ARP_REQUEST =
        "ffffffffffff 020000000001 0806" +                                    // Ethernet: dst, src, type ARP
        "0001 0800 06 04 0001" +                                              // htype, ptype, hlen, plen, op request
        "020000000001 0a630001" +                                             // sender MAC, sender IPv4
        "000000000000 0a630002";                                              // target MAC (unknown), target IPv4

    /** ARP, Reply 10.99.0.2 is-at 02:00:00:00:00:02. */
    static final String ARP_REPLY =
        "020000000001 020000000002 0806" +
        "0001 0800 06 04 0002" +                                              // op reply
        "020000000002 0a630002" +
        "020000000001 0a630001";

    /** 10.99.0.1 > 10.99.0.2: ICMP echo request, id 3679, seq 1, length 64 (Linux ping's 56-byte payload). */
    static final String ICMP_ECHO_REQUEST =
        "020000000002 020000000001 0800" +
        "45 00 0054 ed60 4000 40 01 3880 0a630001 0a630002" +                 // IPv4: DF, ttl 64, ICMP
        "08 00 8a96 0e5f 0001" +                                              // type, code, checksum, id, seq
        "1958056b00000000 8173000000000000" +                                 // struct timeval (tv_sec, tv_usec)
        "101112131415161718191a1b1c1d1e1f202122232425262728292a2b2c2d2e2f3031323334353637";

    /** 10.99.0.2 > 10.99.0.1: ICMP echo reply, id 3679, seq 1, length 64. */
    static final String ICMP_ECHO_REPLY =
        "020000000001 020000000002 0800" +
        "45 00 0054 217e 0000 40 01 4463 0a630002 0a630001" +                 // IPv4: no DF on Linux's reply
        "00 00 9296 0e5f 0001" +
        "1958056b00000000 8173000000000000" +
        "101112131415161718191a1b1c1d1e1f202122232425262728292a2b2c2d2e2f3031323334353637";

    /** 10.99.0.1 > 10.99.0.2: ICMP echo request with IP options (NOP, RR 10.99.0.1, 8 empty slots). */
    static final String ICMP_ECHO_REQUEST_RECORD_ROUTE =
        "020000000002 020000000001 0800" +
        "4f 00 007c ed61 4000 40 01 fbe3 0a630001 0a630002" +                 // IHL 15: 60-byte header
        "01" +                                                                // option NOP
        "07 27 08 0a630001" +                                                 // option RR: type, length 39, ptr 8
        "00000000 00000000 00000000 00000000 00000000 00000000 00000000 00000000" +
        "08 00 1889 0e60 0001" +
        "1958056b00000000 f37f000000000000" +
        "101112131415161718191a1b1c1d1e1f202122232425262728292a2b2c2d2e2f3031323334353637";

    /** 10.99.0.1.40000 > 10.99.0.2.7777: UDP, length 9 ("ringstack"). */
    static final String UDP_RINGSTACK =
        "020000000002 020000000001 0800" +
        "45 00 0025 352f 4000 40 11 f0d0 0a630001 0a630002" +
        "9c40 1e61 0011 0fb9" +                                               // ports 40000, 7777, length, checksum
        "72696e67737461636b";                                                 // "ringstack"

    /** 10.99.0.2 > 10.99.0.1: ICMP 10.99.0.2 udp port 9999 unreachable, quoting the whole datagram "hello". */
    static final String ICMP_PORT_UNREACHABLE =
        "020000000001 020000000002 0800" +
        "45 c0 003d 22cf 0000 40 01 4269 0a630002 0a630001" +                 // IPv4: tos 0xc0 (CS6), no DF
        "03 03 11e4 00000000" +                                               // type 3, code 3, checksum, unused
        "45 00 0021 38aa 4000 40 11 ed59 0a630001 0a630002" +                 // quoted IPv4 header
        "9c41 270f 000d e3e8 68656c6c6f";                                     // quoted UDP 40001 > 9999, "hello"

    /** 10.99.0.1.40002 > 10.99.0.2.8080: Flags [S], options [mss 1460,sackOK,TS val 1077479913 ecr 0,nop,wscale 10]. */
    static final String TCP_SYN =
        "020000000002 020000000001 0800" +
        "45 00 003c 48e6 4000 40 06 dd0d 0a630001 0a630002" +
        "9c42 1f90 0fc8db25 00000000 a0 02 faf0 4761 0000" +                  // ports, seq, ack, off 10, SYN, win
        "020405b4 0402 080a403909e900000000 01 03030a";                       // MSS, SACK-perm, TS, NOP, WS

    /** 10.99.0.2.8080 > 10.99.0.1.40002: Flags [S.], seq 2688903419, ack 264821542, win 65160. */
    static final String TCP_SYN_ACK =
        "020000000001 020000000002 0800" +
        "45 00 003c 0000 4000 40 06 25f4 0a630002 0a630001" +
        "1f90 9c42 a04568fb 0fc8db26 a0 12 fe88 a4f7 0000" +
        "020405b4 0402 080a504d4532403909e9 01 03030a";

    /** 10.99.0.1.40002 > 10.99.0.2.8080: Flags [P.], seq 1:4, ack 1, win 63, options [nop,nop,TS], "GET". */
    static final String TCP_PSH_GET =
        "020000000002 020000000001 0800" +
        "45 00 0037 48e8 4000 40 06 dd10 0a630001 0a630002" +
        "9c42 1f90 0fc8db26 a04568fc 80 18 003f 36c0 0000" +                  // off 8, PSH|ACK
        "01 01 080a403909e9504d4532" +
        "474554";                                                             // "GET"

    /** 10.99.0.2.8081 > 10.99.0.1.40003: Flags [.], ack, win 75, options [nop,nop,TS,nop,nop,sack 3 {...}]. */
    static final String TCP_ACK_SACK_3 =
        "020000000001 020000000002 0800" +
        "45 00 0050 4b02 4000 40 06 dadd 0a630002 0a630001" +
        "1f91 9c43 9ec824b5 a4c9cf46 f0 10 004b 92c6 0000" +                  // off 15, ACK
        "01 01 080ad8bfa54cde487f48" +
        "01 01 05 1a" +                                                       // NOP, NOP, SACK length 26
        "a4ca022e a4ca07d6 a4c9eb8e a4c9fc86 a4c9d4ee a4c9e5e6";              // 3 x (left, right)

    /** 10.99.0.1 > 10.99.0.2: first fragment of a 64-byte echo request over a 68-byte MTU (MF, offset 0). */
    static final String IPV4_FIRST_FRAGMENT =
        "020000000002 020000000001 0800" +
        "45 00 0044 7ff3 2000 40 01 c5fd 0a630001 0a630002" +                 // MF set, offset 0, no DF
        "08 00 3b85 143a 0001 ba58056b00000000 25a9040000000000" +
        "101112131415161718191a1b1c1d1e1f2021222324252627";

    /** 10.99.0.1 > 10.99.0.2: last fragment of the same datagram (offset 6 x 8 = 48 bytes). */
    static final String IPV4_LAST_FRAGMENT =
        "020000000002 020000000001 0800" +
        "45 00 0024 7ff3 0006 40 01 e617 0a630001 0a630002" +                 // MF clear, offset 6
        "28292a2b2c2d2e2f3031323334353637";

    static final String[] ALL =
    {
        ARP_REQUEST, ARP_REPLY, ICMP_ECHO_REQUEST, ICMP_ECHO_REPLY, ICMP_ECHO_REQUEST_RECORD_ROUTE, UDP_RINGSTACK,
        ICMP_PORT_UNREACHABLE, TCP_SYN, TCP_SYN_ACK, TCP_PSH_GET, TCP_ACK_SACK_3, IPV4_FIRST_FRAGMENT,
        IPV4_LAST_FRAGMENT,
    };

    private GoldenFrames()
    {
    }

    /**
     * Every golden frame from its network header, and from its transport header when it has one: the inputs the
     * flyweights above Ethernet see.
     */
    static List<byte[]> headerSlices()
    {
        final List<byte[]> slices = new ArrayList<>();
        for (final String hex : ALL)
        {
            final byte[] frame = bytes(hex);
            final int network = EthernetFrame.HEADER_LENGTH;
            slices.add(Arrays.copyOfRange(frame, network, frame.length));
            if ((frame[network] & 0xF0) == 0x40)
            {
                slices.add(Arrays.copyOfRange(frame, network + ((frame[network] & 0xF) << 2), frame.length));
            }
        }
        return slices;
    }

    static byte[] bytes(final String hex)
    {
        return BitUtil.fromHex(hex.replaceAll("\\s", ""));
    }

    /**
     * @return a buffer holding exactly the frame, so that any read past its end fails Agrona's bounds check.
     */
    static UnsafeBuffer frame(final String hex)
    {
        return new UnsafeBuffer(bytes(hex));
    }

    /**
     * @return the frame with {@code replacementHex} written over it at {@code index}.
     */
    static UnsafeBuffer frameWith(final String hex, final int index, final String replacementHex)
    {
        final UnsafeBuffer frame = frame(hex);
        final byte[] replacement = bytes(replacementHex);
        frame.putBytes(index, replacement);
        return frame;
    }

    /**
     * @return a view of the first {@code capacity} bytes of {@code frame}: reading past them fails the bounds check.
     */
    static UnsafeBuffer cut(final UnsafeBuffer frame, final int capacity)
    {
        return new UnsafeBuffer(frame.byteArray(), 0, capacity);
    }

    static String hex(final DirectBuffer buffer, final int index, final int length)
    {
        final byte[] bytes = new byte[length];
        buffer.getBytes(index, bytes);
        return BitUtil.toHex(bytes);
    }

    static void assertSameBytes(
        final DirectBuffer expected,
        final int expectedIndex,
        final DirectBuffer actual,
        final int actualIndex,
        final int length)
    {
        assertEquals(hex(expected, expectedIndex, length), hex(actual, actualIndex, length));
    }
}
