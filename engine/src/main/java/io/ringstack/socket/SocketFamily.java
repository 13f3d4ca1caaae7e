package io.ringstack.socket;

/**
 * Creates the sockets of one address family ({@link SocketConstants#AF_UNIX} or {@link SocketConstants#AF_INET}).
 */
public interface SocketFamily
{
    /**
     * Create one socket and install it in {@code fds}.
     *
     * @param type {@link SocketConstants#SOCK_STREAM} or {@link SocketConstants#SOCK_DGRAM}, flags removed.
     * @param statusFlags {@link SocketConstants#O_NONBLOCK} or 0.
     * @param descriptorFlags {@link SocketConstants#FD_CLOEXEC} or 0.
     * @return the descriptor, or {@code -EPROTONOSUPPORT}, {@code -EINVAL}, {@code -EMFILE}...
     */
    int open(FdTable fds, int type, int protocol, int statusFlags, int descriptorFlags);

    /**
     * Create a connected pair and install both in {@code fds}, their descriptors in {@code sv[0]} and {@code sv[1]}.
     *
     * @return {@code 0}, or {@code -errno} with nothing installed.
     */
    int openPair(FdTable fds, int type, int protocol, int statusFlags, int descriptorFlags, int[] sv);
}
