package io.ringstack.drivers.e1000;

import java.util.Arrays;

/**
 * The 82540EM's 64-word (1 Kbit Microwire) EEPROM, read through {@link E1000Registers#EERD}. The layout used here
 * (8254x SDM 5.6):
 * <pre>
 *   word 0x00-0x02  Ethernet address, octet 1 in the low byte of word 0
 *   word 0x0A       Initialization Control Word 1; bits 15:14 = 01b is the signature of valid contents
 *   word 0x0B       Subsystem ID
 *   word 0x0C       Subsystem Vendor ID
 *   word 0x0D       Device ID
 *   word 0x0E       Vendor ID
 *   word 0x3F       checksum: the sum of all 64 words is 0xBABA
 * </pre>
 * An erased part reads 0xFFFF everywhere and has no valid signature, so the device loads nothing from it at reset.
 */
public final class E1000Eeprom
{
    public static final int WORDS = 64;
    public static final int INIT_CONTROL_1_WORD = 0x0A;
    public static final int SUBSYSTEM_ID_WORD = 0x0B;
    public static final int SUBSYSTEM_VENDOR_ID_WORD = 0x0C;
    public static final int DEVICE_ID_WORD = 0x0D;
    public static final int VENDOR_ID_WORD = 0x0E;
    public static final int CHECKSUM_WORD = 0x3F;

    public static final int SIGNATURE_MASK = 0xC000;
    public static final int SIGNATURE_VALID = 0x4000;
    /** What all the words of a good EEPROM add up to, modulo 2^16. */
    public static final int CHECKSUM_SUM = 0xBABA;

    /** Intel's subsystem ID for the PRO/1000 MT Desktop adapter built on the 82540EM. */
    public static final int PRO_1000_MT_DESKTOP_SUBSYSTEM_ID = 0x001E;

    private static final int ERASED = 0xFFFF;

    private final int[] words;

    private E1000Eeprom(final int[] words)
    {
        this.words = words;
    }

    /**
     * A programmed EEPROM for an 82540EM with the given station address and a correct checksum.
     */
    public static E1000Eeprom forMac(final long macAddress)
    {
        final int[] words = new int[WORDS];
        for (int i = 0; i < 3; i++)
        {
            words[i] = macWord(macAddress, i);
        }
        words[INIT_CONTROL_1_WORD] = SIGNATURE_VALID;
        words[SUBSYSTEM_ID_WORD] = PRO_1000_MT_DESKTOP_SUBSYSTEM_ID;
        words[SUBSYSTEM_VENDOR_ID_WORD] = E1000Device.VENDOR_ID;
        words[DEVICE_ID_WORD] = E1000Device.DEVICE_ID;
        words[VENDOR_ID_WORD] = E1000Device.VENDOR_ID;
        int sum = 0;
        for (int i = 0; i < CHECKSUM_WORD; i++)
        {
            sum += words[i];
        }
        words[CHECKSUM_WORD] = (CHECKSUM_SUM - sum) & 0xFFFF;
        return new E1000Eeprom(words);
    }

    /**
     * A blank part: every word reads 0xFFFF and the signature is invalid.
     */
    public static E1000Eeprom erased()
    {
        final int[] words = new int[WORDS];
        Arrays.fill(words, ERASED);
        return new E1000Eeprom(words);
    }

    /**
     * @return word {@code index} (0-63).
     */
    public int word(final int index)
    {
        return words[index];
    }

    /**
     * @return {@code true} when word 0x0A carries the valid signature, so the device loads the address from it.
     */
    public boolean hasValidSignature()
    {
        return (words[INIT_CONTROL_1_WORD] & SIGNATURE_MASK) == SIGNATURE_VALID;
    }

    /**
     * @return the sum of all words modulo 2^16, {@link #CHECKSUM_SUM} for a good part.
     */
    public int checksum()
    {
        int sum = 0;
        for (final int word : words)
        {
            sum += word;
        }
        return sum & 0xFFFF;
    }

    /**
     * @return the station address held in words 0-2.
     */
    public long macAddress()
    {
        return macFromWords(words[0], words[1], words[2]);
    }

    /**
     * @return EEPROM word {@code index} (0-2) of a station address: octets {@code 2 * index} (low byte) and
     * {@code 2 * index + 1} (high byte).
     */
    public static int macWord(final long macAddress, final int index)
    {
        return (int)(E1000Registers.octet(macAddress, 2 * index) |
            E1000Registers.octet(macAddress, 2 * index + 1) << 8);
    }

    /**
     * @return the station address in EEPROM words 0-2.
     */
    public static long macFromWords(final int word0, final int word1, final int word2)
    {
        return E1000Registers.macFromReceiveAddress((word0 & 0xFFFF) | (word1 & 0xFFFF) << 16, word2);
    }
}
