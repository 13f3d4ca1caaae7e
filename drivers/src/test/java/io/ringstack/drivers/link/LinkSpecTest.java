package io.ringstack.drivers.link;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
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
    void aPacketLinkNamesAnExistingInterface()
    {
        final LinkSpec spec = LinkSpec.parse("packet:veth0");
        assertEquals("veth0", spec.packetInterface());
        assertNull(spec.tapName());
        assertFalse(spec.direct());
        assertEquals("packet:veth0", spec.toString());
    }

    @ParameterizedTest
    @ValueSource(strings = {"direct:tap:rstap0", "direct:packet:veth0", "direct:udp:127.0.0.1:9001,127.0.0.1:9002"})
    void directPutsTheEngineOnAnyKindOfLink(final String text)
    {
        final LinkSpec spec = LinkSpec.parse(text);
        assertTrue(spec.direct());
        assertEquals(text, spec.toString());
        assertEquals(LinkSpec.parse(text.substring("direct:".length())).toString(),
            text.substring("direct:".length()));
    }

    @Test
    void aTapHasOffloadForTheEngineAndForANicModelUnlessTheLinkTurnsItOff()
    {
        assertTrue(LinkSpec.parse("direct:tap:rstap0").offload());
        assertTrue(LinkSpec.parse("tap:rstap0").offload());
        final LinkSpec off = LinkSpec.parse("direct:tap:rstap0,offload=off");
        assertFalse(off.offload());
        assertEquals("rstap0", off.tapName());
        assertEquals("direct:tap:rstap0,offload=off", off.toString());
        final LinkSpec nicOff = LinkSpec.parse("tap:rstap0,offload=off");
        assertFalse(nicOff.offload());
        assertEquals("rstap0", nicOff.tapName());
        assertEquals("tap:rstap0,offload=off", nicOff.toString());
        assertFalse(LinkSpec.parse("direct:packet:veth0").offload());
        assertFalse(LinkSpec.parse("udp:127.0.0.1:9001,127.0.0.1:9002").offload());
    }

    @Test
    void aPacketLinkSharesRingsWithTheKernelUnlessTheLinkTurnsThemOff()
    {
        assertTrue(LinkSpec.parse("packet:veth0").rings());
        assertTrue(LinkSpec.parse("direct:packet:veth0").rings());
        final LinkSpec off = LinkSpec.parse("packet:veth0,rings=off");
        assertFalse(off.rings());
        assertEquals("veth0", off.packetInterface());
        assertEquals("packet:veth0,rings=off", off.toString());
        assertEquals("direct:packet:veth0,rings=off", LinkSpec.parse("direct:packet:veth0,rings=off").toString());
        assertFalse(LinkSpec.parse("tap:rstap0").rings());
    }

    @Test
    void aFifteenCharacterNameIsTheLongestLinuxTakes()
    {
        assertEquals("tap:abcdefghijklmno", LinkSpec.parse("tap:abcdefghijklmno").toString());
    }

    @ParameterizedTest
    @ValueSource(strings = {"tap:", "tap:abcdefghijklmnop", "tap:.", "tap:..", "tap:a/b", "tap:a:b", "tap:a b",
        "packet:", "direct:tap:", "direct:packet:a/b", "tap:,offload=off", "packet:,rings=off"})
    void aNameLinuxWouldRefuseIsRejected(final String text)
    {
        final IllegalArgumentException error = assertThrows(IllegalArgumentException.class, () -> LinkSpec.parse(text));
        assertTrue(error.getMessage().startsWith("link '" + text + "': "), error.getMessage());
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "tap:a,rings=off       | unknown option 'rings=off' in link 'tap:a,rings=off': expected udp:",
        "packet:a,speed=1      | unknown option 'speed=1' in link 'packet:a,speed=1': expected udp:",
        "packet:a,offload=yes  | option 'offload=yes' in link 'packet:a,offload=yes': offload=on or offload=off",
        "tap:a,offload=        | option 'offload=' in link 'tap:a,offload=': offload=on or offload=off"})
    void anOptionTheLinkDoesNotTakeIsRejectedWithWhatItTakes(final String text, final String message)
    {
        final IllegalArgumentException error = assertThrows(IllegalArgumentException.class, () -> LinkSpec.parse(text));
        assertTrue(error.getMessage().startsWith(message), error.getMessage());
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "packet:a                     | true  | false | packet:a",
        "packet:a,offload=on          | true  | true  | packet:a,offload=on",
        "packet:a,offload=on,rings=off| false | true  | packet:a,rings=off,offload=on",
        "packet:a,rings=on,offload=off| true  | false | packet:a",
        "direct:tap:a,offload=on      | false | true  | direct:tap:a"})
    void optionsFollowTheNameInAnyOrderAndPrintOnlyWhenNotTheDefault(
        final String text, final boolean rings, final boolean offload, final String printed)
    {
        final LinkSpec spec = LinkSpec.parse(text);
        assertEquals(rings, spec.rings());
        assertEquals(offload, spec.offload());
        assertEquals(printed, spec.toString());
    }

    @Test
    void anUnknownKindNamesEveryForm()
    {
        assertEquals("unknown link 'tun:x': expected udp:LOCAL_HOST:PORT,REMOTE_HOST:PORT, tap:NAME[,offload=on|off]" +
            " or packet:NAME[,rings=on|off][,offload=on|off], each optionally after direct: (TCP segmentation offload" +
            " is on for a TAP and off for a packet link unless set; rings are the PACKET_MMAP rings, on unless set)",
            assertThrows(IllegalArgumentException.class, () -> LinkSpec.parse("tun:x")).getMessage());
    }

    @Test
    void openErrorsSayWhatIsMissing()
    {
        assertEquals("no /dev/net/tun: load the tun module (modprobe tun)",
            TapLink.openError(TunSystemCalls.ENOENT));
        assertEquals("needs CAP_NET_ADMIN (run as root)", TapLink.attachError(TunSystemCalls.EPERM, "rstap0"));
        assertEquals("needs CAP_NET_RAW (run as root)", PacketLink.socketError(DescriptorCalls.EPERM));
    }
}
