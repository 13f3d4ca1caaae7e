package io.ringstack.wire;

import org.agrona.DirectBuffer;

/**
 * The checksum shared by UDP (RFC 768) and TCP (RFC 9293 section 3.1) over IPv4: the Internet checksum of the
 * message prefixed by the pseudo-header (source, destination, zero, protocol, message length).
 */
final class TransportChecksum
{
    private TransportChecksum()
    {
    }

    /**
     * @return the value to store in the checksum field (computed with that field zeroed), or zero when verifying a
     * message whose checksum field is correct.
     */
    static int compute(
        final DirectBuffer buffer,
        final int offset,
        final int length,
        final int protocol,
        final int sourceAddress,
        final int destinationAddress)
    {
        final long pseudoHeaderSum =
            InternetChecksum.pseudoHeaderSum(sourceAddress, destinationAddress, protocol, length);
        return InternetChecksum.fold(InternetChecksum.sum(buffer, offset, length, pseudoHeaderSum));
    }
}
