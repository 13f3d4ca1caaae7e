package io.ringstack.cli;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ServeCommandTest
{
    @ParameterizedTest(name = "{0} {1} -> {3}")
    @CsvSource(delimiter = '|', value = {
        "--nic|ne2000|--link=udp:127.0.0.1:9001,127.0.0.1:9002|unknown NIC 'ne2000'",
        "--nic|e1000|--link=udp:127.0.0.1:9001|needs two addresses",
        "--nic|e1000|--link=tcp:127.0.0.1:1,127.0.0.1:2|unknown link",
        "--nic|virtio|--ip=10.0.2.15|expected ADDRESS/PREFIX",
        "--nic|virtio|--ip=10.0.2.300/24|octet out of range",
        "--nic|virtio|--mac=52:54:00:12:34|not a MAC address",
        "--nic|e1000|--services=echo,gopher|unknown service 'gopher'",
        "--nic|e1000|--set=tcpNagle|--set must be NAME=VALUE: 'tcpNagle'",
        "--nic|e1000|--set=tcpWindow=1|--set: unknown setting 'tcpWindow'; valid names: frameBudget, ",
        "--nic|e1000|--set=tcpNagle=maybe|--set tcpNagle=maybe: tcpNagle takes on or off, not 'maybe'",
        "--nic|virtio|--set=tcpSendBufferCapacity=1000|--set tcpSendBufferCapacity=1000: " })
    void badServeArgumentsExitTwoWithOneLineAndNoStackTrace(
        final String nicOption, final String nic, final String badOption, final String expected)
    {
        final String link = badOption.startsWith("--link") ? badOption : "--link=udp:127.0.0.1:9001,127.0.0.1:9002";
        final String other = badOption.startsWith("--link") ? "--ip=10.0.2.15/24" : badOption;
        final CommandRun run = CommandRun.execute("serve", nicOption, nic, link, other);

        assertEquals(RingstackCommand.EXIT_USAGE, run.exitCode(), run.err());
        assertTrue(run.err().startsWith("ringstack: ") && run.err().contains(expected), run.err());
        RingstackCommandTest.assertNoStackTrace(run);
    }
}
