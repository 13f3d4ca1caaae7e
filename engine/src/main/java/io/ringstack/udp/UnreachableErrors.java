package io.ringstack.udp;

import io.ringstack.errno.Errno;

/**
 * The error an ICMP destination unreachable reports to a connected UDP socket, by code (RFC 792, RFC 1122 3.2.2.1),
 * as Linux converts them ({@code icmp_err_convert}): only the hard errors reach a socket without
 * {@code IP_RECVERR}. Net and host unreachable (codes 0, 1, 11, 12) are soft, since routing may recover, and
 * fragmentation needed (4) is path MTU information, not an error; none of them is reported.
 */
final class UnreachableErrors
{
    /** Positive errno by code; 0 where the code is soft or unknown. */
    private static final int[] HARD_ERRORS = {
        0,                  // 0 net unreachable: soft
        0,                  // 1 host unreachable: soft
        Errno.ENOPROTOOPT,  // 2 protocol unreachable
        Errno.ECONNREFUSED, // 3 port unreachable
        0,                  // 4 fragmentation needed and DF set: path MTU
        0,                  // 5 source route failed: soft
        Errno.ENETUNREACH,  // 6 destination network unknown
        Errno.EHOSTDOWN,    // 7 destination host unknown
        Errno.ENONET,       // 8 source host isolated
        Errno.ENETUNREACH,  // 9 network administratively prohibited
        Errno.EHOSTUNREACH, // 10 host administratively prohibited
        0,                  // 11 network unreachable for type of service: soft
        0,                  // 12 host unreachable for type of service: soft
        Errno.EHOSTUNREACH, // 13 communication administratively prohibited (RFC 1812)
        Errno.EHOSTUNREACH, // 14 host precedence violation
        Errno.EHOSTUNREACH, // 15 precedence cutoff in effect
    };

    private UnreachableErrors()
    {
    }

    /**
     * @return the positive errno a destination unreachable of {@code code} reports, 0 when it reports none.
     */
    static int hardError(final int code)
    {
        return code >= 0 && code < HARD_ERRORS.length ? HARD_ERRORS[code] : 0;
    }
}
