package io.ringstack.drivers.e1000;

import org.agrona.DirectBuffer;

/**
 * The Ethernet Frame Check Sequence: CRC-32 (IEEE 802.3, reflected polynomial 0xEDB88320, initial value and final
 * complement all ones). Stored after the frame least significant byte first, which is how it goes on the wire.
 */
final class EthernetFcs
{
    static final int LENGTH = 4;

    private static final int[] TABLE = new int[256];

    static
    {
        for (int n = 0; n < TABLE.length; n++)
        {
            int crc = n;
            for (int bit = 0; bit < 8; bit++)
            {
                crc = (crc & 1) != 0 ? 0xEDB8_8320 ^ (crc >>> 1) : crc >>> 1;
            }
            TABLE[n] = crc;
        }
    }

    private EthernetFcs()
    {
    }

    static int compute(final DirectBuffer buffer, final int offset, final int length)
    {
        int crc = 0xFFFF_FFFF;
        for (int i = 0; i < length; i++)
        {
            crc = TABLE[(crc ^ buffer.getByte(offset + i)) & 0xFF] ^ (crc >>> 8);
        }
        return ~crc;
    }
}
