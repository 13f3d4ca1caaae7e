package io.ringstack.bench.report;

/**
 * A part of the engine the report gives a table of its own, in the order the report shows them.
 */
public enum Area
{
    UDP_RECEIVE("UDP receive", "udp-receive"),
    PARSE("Parse", "parse"),
    DISPATCH("Dispatcher", "dispatcher"),
    UDP_SEND("UDP send", "udp-send"),
    UDP_ROUND_TRIP("UDP round trip", "udp-round-trip"),
    UDP_LATENCY("UDP latency", "udp-latency"),
    NIC_CABLE("NIC cable", "nic-cable"),
    TCP("TCP loopback", "tcp"),
    JOURNAL("Journal", "journal"),
    /** Results the catalogue does not know: listed as JMH gave them, so nothing measured vanishes. */
    OTHER("Other results", "other");

    private final String title;
    private final String slug;

    Area(final String title, final String slug)
    {
        this.title = title;
        this.slug = slug;
    }

    /**
     * @return the heading of the area's table.
     */
    public String title()
    {
        return title;
    }

    /**
     * @return the area's name in file names: lower case, no spaces.
     */
    public String slug()
    {
        return slug;
    }
}
