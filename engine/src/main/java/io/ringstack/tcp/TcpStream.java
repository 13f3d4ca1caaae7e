package io.ringstack.tcp;

import io.ringstack.ring.ParkedThread;
import java.lang.invoke.VarHandle;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * What a TCP connection shares with the application thread that holds its socket: the two byte rings, the
 * status the engine publishes, and the doorbell the application rings after moving bytes.
 * <pre>
 *   application                          engine thread
 *   write() ──► send ring ─────────────► segments (bytes released when acknowledged)
 *   read()  ◄── receive ring ◄────────── segments (out-of-order bytes placed past the tail)
 *           ──► doorbell ──(slot on the TcpSocketBoard ring)──► "look at my rings"
 * </pre>
 * The doorbell is one flag per connection: the application rings the board only when it flips the flag from 0 to
 * 1, and the engine flips it back before it looks at the rings, so each burst of writes costs one notification
 * and no write waits for the engine.
 * <p>
 * The engine publishes {@link #status()}, the end of the peer's stream and errors with volatile stores after the
 * ring contents they describe; the application loads them before reading the ring. A blocking call names its thread
 * ({@link #reader()}, {@link #writer()}) before it parks; the engine unparks it as soon as bytes, the end of the
 * stream or a new status reach the receive side, or room or a new status the send side.
 */
public final class TcpStream
{
    /** A connect or handshake is under way. */
    public static final int CONNECTING = 0;
    /** The handshake completed: data may flow. */
    public static final int CONNECTED = 1;
    /** The connection is over: reset, timed out, refused, or closed in both directions. */
    public static final int CLOSED = 2;

    private final TcpByteRing sendRing;
    private final TcpByteRing receiveRing;
    private final AtomicInteger doorbell = new AtomicInteger();
    private final AtomicInteger error = new AtomicInteger();
    private final ParkedThread reader = new ParkedThread();
    private final ParkedThread writer = new ParkedThread();
    private volatile int status;
    private volatile boolean peerFinished;
    private volatile boolean sendStopped;
    private volatile boolean windowUpdateWanted;
    /** The engine's own record of the wish it last stored: it never reads the wish the application clears. */
    private boolean windowUpdateAsked;

    public TcpStream(final int sendCapacity, final int receiveCapacity)
    {
        sendRing = new TcpByteRing(sendCapacity);
        receiveRing = new TcpByteRing(receiveCapacity);
    }

    public TcpByteRing sendRing()
    {
        return sendRing;
    }

    public TcpByteRing receiveRing()
    {
        return receiveRing;
    }

    /**
     * Engine: make the stream new for a connection, before any application sees it.
     */
    void reset(final int sendLimit, final int receiveLimit)
    {
        sendRing.reset(sendLimit);
        receiveRing.reset(receiveLimit);
        doorbell.set(0);
        error.set(0);
        peerFinished = false;
        sendStopped = false;
        windowUpdateWanted = false;
        windowUpdateAsked = false;
        status = CONNECTING;
    }

    public int status()
    {
        return status;
    }

    void status(final int status)
    {
        this.status = status;
        reader.wake();
        writer.wake();
    }

    /**
     * @return the thread a blocking read parks, to be woken when the receive ring can be read.
     */
    public ParkedThread reader()
    {
        return reader;
    }

    /**
     * @return the thread a blocking write parks, to be woken when the send ring has room.
     */
    public ParkedThread writer()
    {
        return writer;
    }

    /**
     * @return {@code true} once the peer's FIN has been received in order: the receive ring holds the rest of the
     * peer's stream.
     */
    public boolean isPeerFinished()
    {
        return peerFinished;
    }

    void peerFinished()
    {
        peerFinished = true;
        reader.wake();
    }

    /**
     * @return {@code true} once the engine will send nothing more: the connection was reset or timed out.
     */
    public boolean isSendStopped()
    {
        return sendStopped;
    }

    void stopSending()
    {
        sendStopped = true;
        writer.wake();
    }

    /**
     * Engine: record the error that ended the connection, for the application's next call.
     *
     * @param errno a positive error number, e.g. {@code ECONNRESET}.
     */
    void fail(final int errno)
    {
        error.set(errno);
    }

    /**
     * Application: take the pending error, as {@code SO_ERROR} does: it is reported once.
     *
     * @return the error number, or {@code 0} when none is pending.
     */
    public int takeError()
    {
        return error.get() == 0 ? 0 : error.getAndSet(0);
    }

    /**
     * Application, after publishing bytes to the send ring: flip the doorbell flag. The flip is a full fence, so
     * either the engine's next {@link #lowerDoorbell} sees the bytes or this call reports the flag down.
     *
     * @return {@code true} when the caller must notify the engine: the flag was down.
     */
    public boolean raiseDoorbell()
    {
        return doorbell.getAndSet(1) == 0;
    }

    /**
     * Application, after consuming bytes from the receive ring: claim the engine's wish for a window update.
     * The fence orders the consumed head before the load of the wish, against the engine storing the wish and
     * then loading the head.
     *
     * @return {@code true} when the caller must notify the engine that the window has opened.
     */
    public boolean claimWindowUpdate()
    {
        VarHandle.fullFence();
        if (windowUpdateWanted)
        {
            windowUpdateWanted = false;
            return true;
        }
        return false;
    }

    /**
     * Engine: lower the flag before looking at the rings, so a later write rings again. The doorbell may be the
     * application's answer to the window update wish, which it cleared: the engine forgets having asked, so that it
     * asks again when it must.
     */
    void lowerDoorbell()
    {
        doorbell.getAndSet(0);
        windowUpdateAsked = false;
    }

    /**
     * Engine: ask to hear when the application has made room in the receive ring, after advertising a small window.
     * Stores only a change of what the engine asked, never reading what the application did to the flag, so that
     * what the engine does depends only on what it took from the application (see {@link TcpByteRing}).
     *
     * @return {@code true} when the wish was raised just now: the engine must then take the receive ring's head
     * ({@link TcpByteRing#takeConsumed()}), as the application may have read before it could see the wish.
     */
    boolean windowUpdateWanted(final boolean wanted)
    {
        if (windowUpdateAsked != wanted)
        {
            windowUpdateAsked = wanted;
            windowUpdateWanted = wanted;
            return wanted;
        }
        return false;
    }
}
