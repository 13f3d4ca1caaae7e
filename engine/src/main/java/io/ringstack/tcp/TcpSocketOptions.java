package io.ringstack.tcp;

import io.ringstack.config.Setting;
import io.ringstack.config.Settings;
import io.ringstack.errno.Errno;
import java.util.concurrent.TimeUnit;

/**
 * The options of one TCP socket, as {@code setsockopt} sets them, with Linux's levels and names. Engine thread
 * only: the application sets them with {@link io.ringstack.engine.Command#TCP_SET_OPTION}. A connection takes them
 * when it is made (connect, or accept from a listener that had them) and follows later changes to Nagle,
 * keepalive and linger; buffer sizes apply to connections made after the change.
 */
public final class TcpSocketOptions
{
    public static final int SOL_SOCKET = 1;
    public static final int IPPROTO_TCP = 6;

    public static final int SO_REUSEADDR = 2;
    public static final int SO_SNDBUF = 7;
    public static final int SO_RCVBUF = 8;
    public static final int SO_KEEPALIVE = 9;
    /** Value: -1 for off (graceful close), else seconds; 0 makes close abort the connection with RST. */
    public static final int SO_LINGER = 13;

    public static final int TCP_NODELAY = 1;
    public static final int TCP_KEEPIDLE = 4;
    public static final int TCP_KEEPINTVL = 5;
    public static final int TCP_KEEPCNT = 6;

    /** The smallest buffer a socket may ask for, as Linux's {@code SOCK_MIN_SNDBUF} / 2. */
    public static final int MIN_BUFFER_BYTES = 2048;

    int sendBufferBytes;
    int receiveBufferBytes;
    boolean noDelay;
    boolean abortOnClose;
    boolean reuseAddress;
    boolean keepAlive;
    long keepAliveIdleNs;
    long keepAliveIntervalNs;
    int keepAliveProbes;

    private final Settings settings;

    TcpSocketOptions(final Settings settings)
    {
        this.settings = settings;
        reset();
    }

    /**
     * @return the command argument naming {@code name} at {@code level}.
     */
    public static int optionId(final int level, final int name)
    {
        return (level << 16) | name;
    }

    void reset()
    {
        sendBufferBytes = settings.intValue(Setting.TCP_SEND_BUFFER_CAPACITY);
        receiveBufferBytes = settings.intValue(Setting.TCP_RECEIVE_BUFFER_CAPACITY);
        noDelay = !settings.flag(Setting.TCP_NAGLE);
        abortOnClose = false;
        reuseAddress = false;
        keepAlive = false;
        keepAliveIdleNs = settings.longValue(Setting.TCP_KEEP_ALIVE_IDLE_NS);
        keepAliveIntervalNs = settings.longValue(Setting.TCP_KEEP_ALIVE_INTERVAL_NS);
        keepAliveProbes = settings.intValue(Setting.TCP_KEEP_ALIVE_PROBES);
    }

    void copyFrom(final TcpSocketOptions other)
    {
        sendBufferBytes = other.sendBufferBytes;
        receiveBufferBytes = other.receiveBufferBytes;
        noDelay = other.noDelay;
        abortOnClose = other.abortOnClose;
        reuseAddress = other.reuseAddress;
        keepAlive = other.keepAlive;
        keepAliveIdleNs = other.keepAliveIdleNs;
        keepAliveIntervalNs = other.keepAliveIntervalNs;
        keepAliveProbes = other.keepAliveProbes;
    }

    /**
     * @return 0, or {@code -EINVAL} for an unknown option or a bad value.
     */
    int set(final int optionId, final int value)
    {
        switch (optionId)
        {
            case (SOL_SOCKET << 16) | SO_REUSEADDR:
                reuseAddress = value != 0;
                return 0;
            case (SOL_SOCKET << 16) | SO_SNDBUF:
                sendBufferBytes = clampBuffer(value, settings.intValue(Setting.TCP_SEND_BUFFER_CAPACITY));
                return 0;
            case (SOL_SOCKET << 16) | SO_RCVBUF:
                receiveBufferBytes = clampBuffer(value, settings.intValue(Setting.TCP_RECEIVE_BUFFER_CAPACITY));
                return 0;
            case (SOL_SOCKET << 16) | SO_KEEPALIVE:
                keepAlive = value != 0;
                return 0;
            case (SOL_SOCKET << 16) | SO_LINGER:
                abortOnClose = value == 0;
                return 0;
            case (IPPROTO_TCP << 16) | TCP_NODELAY:
                noDelay = value != 0;
                return 0;
            case (IPPROTO_TCP << 16) | TCP_KEEPIDLE:
                if (value <= 0)
                {
                    return -Errno.EINVAL;
                }
                keepAliveIdleNs = TimeUnit.SECONDS.toNanos(value);
                return 0;
            case (IPPROTO_TCP << 16) | TCP_KEEPINTVL:
                if (value <= 0)
                {
                    return -Errno.EINVAL;
                }
                keepAliveIntervalNs = TimeUnit.SECONDS.toNanos(value);
                return 0;
            case (IPPROTO_TCP << 16) | TCP_KEEPCNT:
                if (value <= 0)
                {
                    return -Errno.EINVAL;
                }
                keepAliveProbes = value;
                return 0;
            default:
                return -Errno.EINVAL;
        }
    }

    private static int clampBuffer(final int value, final int capacity)
    {
        return Math.min(Math.max(value, MIN_BUFFER_BYTES), capacity);
    }
}
