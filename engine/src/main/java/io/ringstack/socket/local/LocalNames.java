package io.ringstack.socket.local;

import io.ringstack.socket.SockAddr;
import java.util.concurrent.ConcurrentHashMap;

import static io.ringstack.errno.Errno.EINVAL;
import static io.ringstack.socket.SocketConstants.AF_UNIX;

/**
 * The namespace of local sockets: names bound to listeners, to stream sockets that are bound but not listening,
 * and to datagram sockets. A name starting with {@code '\0'} is in the abstract namespace; any other is a path
 * in name only, as there is no file system behind it. A name stays taken until its socket is closed.
 */
final class LocalNames
{
    /** The size of {@code sun_path}, here counted in characters. */
    static final int MAX_NAME_LENGTH = 108;

    private final ConcurrentHashMap<String, LocalSocket> sockets = new ConcurrentHashMap<>();

    /**
     * @return {@code 0} when {@code address} names a local socket, {@code -EINVAL} when it is of another family,
     * empty or longer than {@code sun_path}.
     */
    static int check(final SockAddr address)
    {
        final String path = address.path();
        final boolean valid = address.family() == AF_UNIX && path != null && !path.isEmpty() &&
            path.length() <= MAX_NAME_LENGTH;
        return valid ? 0 : -EINVAL;
    }

    /**
     * @return {@code true} if {@code name} was free and is now bound to {@code socket}.
     */
    boolean register(final String name, final LocalSocket socket)
    {
        return sockets.putIfAbsent(name, socket) == null;
    }

    /**
     * Free {@code name} if it is still bound to {@code socket}.
     */
    void unregister(final String name, final LocalSocket socket)
    {
        sockets.remove(name, socket);
    }

    /**
     * @return the socket bound to {@code name}, or {@code null}.
     */
    LocalSocket find(final String name)
    {
        return sockets.get(name);
    }
}
