package io.ringstack.errno;

/**
 * The error an ICMP destination unreachable stands for, by code (RFC 792, RFC 1122 3.2.2.1, RFC 1812 5.2.7.1), as
 * Linux converts them ({@code icmp_err_convert}), and whether it is hard. A hard error reaches a connected UDP
 * socket without {@code IP_RECVERR}; net and host unreachable (codes 0, 1, 11, 12) and source route failed (5) are
 * soft, since routing may recover, and fragmentation needed (4) is path MTU information. TCP aborts a connect on any
 * of them and remembers one on a synchronized connection as its soft error (RFC 1122 4.2.3.9).
 */
public final class UnreachableErrors
{
    private static final int HARD = 1 << 16;
    private static final int ERRNO_MASK = HARD - 1;

    /** Positive errno by code, {@link #HARD} or'ed where the error is hard. */
    private static final int[] ERRORS = {
        Errno.ENETUNREACH,         // 0 net unreachable
        Errno.EHOSTUNREACH,        // 1 host unreachable
        Errno.ENOPROTOOPT | HARD,  // 2 protocol unreachable
        Errno.ECONNREFUSED | HARD, // 3 port unreachable
        Errno.EMSGSIZE,            // 4 fragmentation needed and DF set: path MTU
        Errno.EOPNOTSUPP,          // 5 source route failed
        Errno.ENETUNREACH | HARD,  // 6 destination network unknown
        Errno.EHOSTDOWN | HARD,    // 7 destination host unknown
        Errno.ENONET | HARD,       // 8 source host isolated
        Errno.ENETUNREACH | HARD,  // 9 network administratively prohibited
        Errno.EHOSTUNREACH | HARD, // 10 host administratively prohibited
        Errno.ENETUNREACH,         // 11 network unreachable for type of service
        Errno.EHOSTUNREACH,        // 12 host unreachable for type of service
        Errno.EHOSTUNREACH | HARD, // 13 communication administratively prohibited (RFC 1812)
        Errno.EHOSTUNREACH | HARD, // 14 host precedence violation
        Errno.EHOSTUNREACH | HARD, // 15 precedence cutoff in effect
    };

    private UnreachableErrors()
    {
    }

    /**
     * @return the positive errno a destination unreachable of {@code code} stands for, 0 for an unknown code.
     */
    public static int errorOf(final int code)
    {
        return isKnown(code) ? ERRORS[code] & ERRNO_MASK : 0;
    }

    /**
     * @return the positive errno a hard destination unreachable of {@code code} reports, 0 when it is soft or
     * unknown.
     */
    public static int hardError(final int code)
    {
        return isKnown(code) && (ERRORS[code] & HARD) != 0 ? ERRORS[code] & ERRNO_MASK : 0;
    }

    private static boolean isKnown(final int code)
    {
        return code >= 0 && code < ERRORS.length;
    }
}
