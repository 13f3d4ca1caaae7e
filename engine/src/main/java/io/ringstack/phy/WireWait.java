package io.ringstack.phy;

/**
 * A wait for frames on a wire, for an engine with nothing to do: its thread sleeps until the wire has a frame to
 * read, a timeout passes, or another thread wakes it, as a NIC's receive interrupt wakes a kernel, instead of
 * sleeping out a timeout whatever arrives. For a wire behind a file descriptor (a TAP, a packet socket): the engine
 * neither spins nor answers a frame late by the rest of its park.
 */
public interface WireWait
{
    /**
     * Engine thread: sleep until the wire has a frame, {@code timeoutNs} passes or {@link #wake} is called; may
     * return early. A wake that came before the call ends it at once.
     */
    void await(long timeoutNs);

    /**
     * Any thread: end the engine's current {@link #await}, or its next.
     */
    void wake();
}
