package io.ringstack.errno;

/**
 * POSIX error numbers, with Linux's values, returned negated by every socket call: a result {@code >= 0} is a
 * success (a descriptor, a byte count or zero), a result {@code < 0} is {@code -errno}. No socket call throws
 * for a user mistake; it returns one of these.
 */
public final class Errno
{
    public static final int EPERM = 1;
    public static final int EBADF = 9;
    public static final int EAGAIN = 11;
    public static final int ENOMEM = 12;
    public static final int EFAULT = 14;
    public static final int EINVAL = 22;
    public static final int EMFILE = 24;
    public static final int EPIPE = 32;
    public static final int EDESTADDRREQ = 89;
    public static final int ENONET = 64;
    public static final int EMSGSIZE = 90;
    public static final int EPROTOTYPE = 91;
    public static final int ENOPROTOOPT = 92;
    public static final int EPROTONOSUPPORT = 93;
    public static final int ESOCKTNOSUPPORT = 94;
    public static final int EOPNOTSUPP = 95;
    public static final int EAFNOSUPPORT = 97;
    public static final int EADDRINUSE = 98;
    public static final int EADDRNOTAVAIL = 99;
    public static final int ENETDOWN = 100;
    public static final int ENETUNREACH = 101;
    public static final int ECONNABORTED = 103;
    public static final int ECONNRESET = 104;
    public static final int ENOBUFS = 105;
    public static final int EISCONN = 106;
    public static final int ENOTCONN = 107;
    public static final int ETIMEDOUT = 110;
    public static final int ECONNREFUSED = 111;
    public static final int EHOSTDOWN = 112;
    public static final int EHOSTUNREACH = 113;
    public static final int EALREADY = 114;
    public static final int EINPROGRESS = 115;

    private Errno()
    {
    }

    /**
     * @return the symbolic name of an error number or of a negated one, e.g. {@code "EAGAIN"}.
     */
    public static String name(final int errnoOrResult)
    {
        switch (Math.abs(errnoOrResult))
        {
            case EPERM: return "EPERM";
            case EBADF: return "EBADF";
            case EAGAIN: return "EAGAIN";
            case ENOMEM: return "ENOMEM";
            case EFAULT: return "EFAULT";
            case EINVAL: return "EINVAL";
            case EMFILE: return "EMFILE";
            case EPIPE: return "EPIPE";
            case EDESTADDRREQ: return "EDESTADDRREQ";
            case EMSGSIZE: return "EMSGSIZE";
            case EPROTOTYPE: return "EPROTOTYPE";
            case EPROTONOSUPPORT: return "EPROTONOSUPPORT";
            case ESOCKTNOSUPPORT: return "ESOCKTNOSUPPORT";
            case EOPNOTSUPP: return "EOPNOTSUPP";
            case EAFNOSUPPORT: return "EAFNOSUPPORT";
            case EADDRINUSE: return "EADDRINUSE";
            case EADDRNOTAVAIL: return "EADDRNOTAVAIL";
            case ENETDOWN: return "ENETDOWN";
            case ENETUNREACH: return "ENETUNREACH";
            case ECONNABORTED: return "ECONNABORTED";
            case ECONNRESET: return "ECONNRESET";
            case ENOBUFS: return "ENOBUFS";
            case EISCONN: return "EISCONN";
            case ENOTCONN: return "ENOTCONN";
            case ETIMEDOUT: return "ETIMEDOUT";
            case ECONNREFUSED: return "ECONNREFUSED";
            case EHOSTUNREACH: return "EHOSTUNREACH";
            case EALREADY: return "EALREADY";
            case EINPROGRESS: return "EINPROGRESS";
            default: return "errno " + Math.abs(errnoOrResult);
        }
    }

    /**
     * @return a result rendered for people: the value itself when it is a success, else its error name.
     */
    public static String describe(final int result)
    {
        return result >= 0 ? Integer.toString(result) : "-" + name(result);
    }
}
