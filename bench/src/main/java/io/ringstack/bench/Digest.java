package io.ringstack.bench;

/**
 * A running hash of the header fields a parse read, so that two parsers of the same frame can be shown to have read
 * the same values, and a benchmark can check every parse it timed against the first.
 */
final class Digest
{
    /** What a parse returns when a length, checksum or protocol check fails: no digest of fields is this value. */
    static final long FAILED = Long.MIN_VALUE;
    /** The TCP flags both parsers read: FIN, SYN, RST, PSH, ACK and URG. */
    static final int TCP_FLAGS = 0x3F;

    private static final long PRIME = 1_000_003L;

    private Digest()
    {
    }

    /**
     * @param digest the digest so far.
     * @param value  the next field read.
     * @return the digest with the field.
     */
    static long mix(final long digest, final long value)
    {
        return (digest * PRIME + value) & Long.MAX_VALUE;
    }
}
