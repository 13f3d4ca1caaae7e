package io.ringstack.drivers.e1000;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The EEPROM image holds what a real 82540EM's does where the driver and the device look.
 */
class E1000EepromTest
{
    private static final long MAC = 0x5254_0012_3456L;

    @Test
    void holdsTheStationAddressInWordsZeroToTwoFirstOctetLow()
    {
        final E1000Eeprom eeprom = E1000Eeprom.forMac(MAC);
        assertEquals(0x5452, eeprom.word(0));
        assertEquals(0x1200, eeprom.word(1));
        assertEquals(0x5634, eeprom.word(2));
        assertEquals(MAC, eeprom.macAddress());
    }

    @Test
    void wordsAddUpToBabaWithTheValidSignature()
    {
        final E1000Eeprom eeprom = E1000Eeprom.forMac(MAC);
        assertEquals(E1000Eeprom.CHECKSUM_SUM, eeprom.checksum());
        assertTrue(eeprom.hasValidSignature());
        assertEquals(E1000Device.DEVICE_ID, eeprom.word(E1000Eeprom.DEVICE_ID_WORD));
        assertEquals(E1000Device.VENDOR_ID, eeprom.word(E1000Eeprom.VENDOR_ID_WORD));
    }

    @Test
    void anErasedPartReadsAllOnesWithoutSignature()
    {
        final E1000Eeprom eeprom = E1000Eeprom.erased();
        for (int word = 0; word < E1000Eeprom.WORDS; word++)
        {
            assertEquals(0xFFFF, eeprom.word(word));
        }
        assertFalse(eeprom.hasValidSignature());
        assertEquals(0xFFFF_FFFF_FFFFL, eeprom.macAddress());
    }
}
