package io.ringstack.journal;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.List;

/**
 * Classic pcap files for tests: a 24-byte file header, then a 16-byte record header before each packet.
 */
final class ClassicPcap
{
    private static final int VERSION_MAJOR = 2;
    private static final int VERSION_MINOR = 4;
    private static final int SNAP_LENGTH = 65535;
    private static final long NANOS_PER_SECOND = 1_000_000_000L;

    private ClassicPcap()
    {
    }

    /**
     * @param magic    {@link PcapFormat#PCAP_MAGIC_MICROSECONDS} or {@link PcapFormat#PCAP_MAGIC_NANOSECONDS}.
     * @param firstNs  the first packet's time, nanoseconds since 1970; each next one {@code stepNs} later.
     */
    static byte[] of(
        final ByteOrder order, final int magic, final int linkType, final List<byte[]> packets, final long firstNs,
        final long stepNs)
    {
        int length = PcapFormat.PCAP_FILE_HEADER_LENGTH;
        for (final byte[] packet : packets)
        {
            length += PcapFormat.PCAP_RECORD_HEADER_LENGTH + packet.length;
        }
        final ByteBuffer file = ByteBuffer.allocate(length).order(order);
        file.putInt(magic).putShort((short)VERSION_MAJOR).putShort((short)VERSION_MINOR)
            .putInt(0).putInt(0).putInt(SNAP_LENGTH).putInt(linkType);
        final long fractionNs = magic == PcapFormat.PCAP_MAGIC_NANOSECONDS ? 1 : 1000;
        long ns = firstNs;
        for (final byte[] packet : packets)
        {
            file.putInt((int)(ns / NANOS_PER_SECOND)).putInt((int)(ns % NANOS_PER_SECOND / fractionNs))
                .putInt(packet.length).putInt(packet.length).put(packet);
            ns += stepNs;
        }
        return file.array();
    }
}
