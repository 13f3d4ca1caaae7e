package io.ringstack.drivers.virtio;

/**
 * Ethernet frames of one IPv4 TCP segment for the offload tests: a 20-byte IP header and a 32-byte TCP header (data
 * offset 8, as with timestamps), so the headers end at byte 66 and the TCP header begins at 34, then a payload that
 * differs with {@code seed}. Only the fields a virtio-net header is read off are real.
 */
final class SegmentFrames
{
    /** The largest frame of one segment: an IP packet of 65535 bytes behind an Ethernet header. */
    static final int LARGEST = 14 + 0xFFFF;
    static final int MSS = 1448;

    private SegmentFrames()
    {
    }

    static byte[] tcp(final int length, final int seed)
    {
        final byte[] frame = RegisterLevelGuest.frame(length, seed);
        frame[12] = 0x08;
        frame[13] = 0x00;
        frame[14] = 0x45;
        frame[14 + 9] = 6;
        frame[34 + 12] = (byte)0x80;
        return frame;
    }
}
