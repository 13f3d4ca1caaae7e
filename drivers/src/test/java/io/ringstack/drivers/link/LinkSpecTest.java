package io.ringstack.drivers.link;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class LinkSpecTest
{
    @Test
    void aTapLinkNamesItsInterface()
    {
        final LinkSpec spec = LinkSpec.parse("tap:rstap0");
        assertEquals("rstap0", spec.tapName());
        assertNull(spec.local());
        assertEquals("tap:rstap0", spec.toString());
    }

    @Test
    void aFifteenCharacterNameIsTheLongestLinuxTakes()
    {
        assertEquals("tap:abcdefghijklmno", LinkSpec.parse("tap:abcdefghijklmno").toString());
    }

    @ParameterizedTest
    @ValueSource(strings = {"tap:", "tap:abcdefghijklmnop", "tap:.", "tap:..", "tap:a/b", "tap:a:b", "tap:a b"})
    void aNameLinuxWouldRefuseIsRejected(final String text)
    {
        final IllegalArgumentException error = assertThrows(IllegalArgumentException.class, () -> LinkSpec.parse(text));
        assertTrue(error.getMessage().startsWith("link '" + text + "': "), error.getMessage());
    }

    @Test
    void anUnknownKindNamesBothForms()
    {
        assertEquals("unknown link 'tun:x': expected udp:LOCAL_HOST:PORT,REMOTE_HOST:PORT or tap:NAME",
            assertThrows(IllegalArgumentException.class, () -> LinkSpec.parse("tun:x")).getMessage());
    }

    @Test
    void openErrorsSayWhatIsMissing()
    {
        assertEquals("no /dev/net/tun: load the tun module (modprobe tun)",
            TapLink.openError(TunSystemCalls.ENOENT));
        assertEquals("needs CAP_NET_ADMIN (run as root)", TapLink.attachError(TunSystemCalls.EPERM, "rstap0"));
    }
}
