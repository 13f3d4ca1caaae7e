package io.ringstack.socket;

import io.ringstack.wire.Ipv4Text;
import io.ringstack.wire.MacText;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class AddressTextTest
{
    @Test
    void macAddressesRoundTripThroughTheirColonForm()
    {
        assertEquals(0x5254_0012_3456L, MacText.parse("52:54:00:12:34:56"));
        assertEquals("52:54:00:12:34:56", MacText.format(0x5254_0012_3456L));
        assertEquals("ff:ff:ff:ff:ff:ff", MacText.format(MacText.parse("FF:FF:FF:FF:FF:FF")));
    }

    @Test
    void ipv4AddressesRoundTripThroughDottedQuads()
    {
        assertEquals(0x0A00_020F, Ipv4Text.parse("10.0.2.15"));
        assertEquals("10.0.2.15", Ipv4Text.format(0x0A00_020F));
        assertEquals("255.255.255.255", Ipv4Text.format(Ipv4Text.parse("255.255.255.255")));
    }

    @ParameterizedTest
    @ValueSource(strings = { "52:54:00:12:34", "52:54:00:12:34:56:78", "52-54-00-12-34-56", "5g:54:00:12:34:56",
        "525:4:00:12:34:56", "" })
    void malformedMacAddressesAreRejectedWithTheText(final String text)
    {
        final IllegalArgumentException error = assertThrows(IllegalArgumentException.class, () -> MacText.parse(text));
        assertEquals(true, error.getMessage().contains("not a MAC address"), error.getMessage());
    }

    @ParameterizedTest
    @ValueSource(strings = { "10.0.2", "10.0.2.256", "10.0.2.x", "10..2.15", "10.0.2.15.1", "1000.0.2.15", "" })
    void malformedIpv4AddressesAreRejectedWithTheText(final String text)
    {
        assertThrows(IllegalArgumentException.class, () -> Ipv4Text.parse(text));
    }
}
