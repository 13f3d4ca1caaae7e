package io.ringstack.socket;

import io.ringstack.tcp.TcpOperation;

/**
 * The constants of the socket API, with Linux's values so that ported programs read as they did in C.
 */
public final class SocketConstants
{
    public static final int AF_UNSPEC = 0;
    public static final int AF_UNIX = 1;
    public static final int AF_INET = 2;

    public static final int SOCK_STREAM = 1;
    public static final int SOCK_DGRAM = 2;
    /** Mask of the type proper within a {@code type} argument that may also carry the flags below. */
    public static final int SOCK_TYPE_MASK = 0xF;
    public static final int SOCK_NONBLOCK = 0x800;
    public static final int SOCK_CLOEXEC = 0x80000;

    public static final int IPPROTO_TCP = 6;
    public static final int IPPROTO_UDP = 17;

    public static final int SHUT_RD = TcpOperation.SHUT_RD;
    public static final int SHUT_WR = TcpOperation.SHUT_WR;
    public static final int SHUT_RDWR = TcpOperation.SHUT_RDWR;

    public static final int F_GETFD = 1;
    public static final int F_SETFD = 2;
    public static final int F_GETFL = 3;
    public static final int F_SETFL = 4;
    public static final int FD_CLOEXEC = 1;
    public static final int O_NONBLOCK = 0x800;

    /** {@code recv} flag: do not block for this call only. */
    public static final int MSG_DONTWAIT = 0x40;

    public static final int INADDR_ANY = 0;
    public static final int INADDR_LOOPBACK = 0x7F00_0001;

    private SocketConstants()
    {
    }
}
