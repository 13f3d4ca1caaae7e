package io.ringstack.bench;

/**
 * What a request/response benchmark checks: each request carries its sequence number in its first 8 bytes, and
 * each reply must be the whole request with the same number. The tear-down fails the run unless every request got
 * its reply and the server answered exactly as many.
 */
final class RoundTrips
{
    /** The bytes of the sequence number at the start of every request. */
    static final int SEQUENCE_LENGTH = Long.BYTES;

    private long sent;
    private long answered;
    private long wrong;
    private long lastWrong;

    /**
     * @return the sequence number of the next request, counting it as sent.
     */
    long next()
    {
        return ++sent;
    }

    /**
     * Count a reply, or the failure to get one.
     *
     * @param length   the reply's length, or a negative error.
     * @param expected the request's length.
     * @param sequence the sequence number the reply carries.
     */
    void reply(final int length, final int expected, final long sequence)
    {
        reply(length, expected, sequence == sent);
    }

    /**
     * Count a reply, or the failure to get one.
     *
     * @param length   the reply's length, or a negative error.
     * @param expected the request's length.
     * @param matches  whether the reply carries what the last request did.
     */
    void reply(final int length, final int expected, final boolean matches)
    {
        if (length == expected && matches)
        {
            answered++;
        }
        else
        {
            wrong++;
            lastWrong = length;
        }
    }

    /**
     * @return the requests answered so far.
     */
    long answered()
    {
        return answered;
    }

    /**
     * @param what          the benchmark, for the message.
     * @param serverAnswers the replies the server says it sent.
     * @throws IllegalStateException unless every request was answered, once, by a whole reply.
     */
    void verify(final String what, final long serverAnswers)
    {
        if (0 == sent || answered != sent || serverAnswers != sent)
        {
            throw new IllegalStateException(what + ": sent " + sent + " requests, " + answered +
                " answered correctly, server answered " + serverAnswers + (0 == wrong ? "" : "; " + wrong +
                " wrong or missing replies, the last " + lastWrong));
        }
    }
}
