package io.ringstack.engine;

/**
 * What a blocking call does between two attempts. With an engine on its own thread it busy-polls for a while
 * (running the engine's duty cycles itself when that thread sleeps), then idles; with an embedded engine it runs one
 * duty cycle on the caller's thread, so that a blocking call in a single-threaded program still makes the network
 * move.
 */
@FunctionalInterface
public interface Progress
{
    /**
     * Wait a little or do a little work, returning by {@code deadlineNs} at the latest.
     *
     * @param attempt    how many attempts the blocking call has made so far, for back-off.
     * @param sinceNs    the {@link System#nanoTime()} at which the blocking call began to wait.
     * @param deadlineNs the {@link System#nanoTime()} at which the blocking call gives up.
     */
    void await(int attempt, long sinceNs, long deadlineNs);

    /**
     * {@link #await} for a call whose thread the engine unparks when what it waits for arrives (it named its thread
     * on the socket first, and the engine unparks it for a datagram, bytes, room, a connection, a new status or a
     * pending error alike): it may sleep until that unpark, for ten milliseconds at a time instead of
     * {@link #await}'s tenth of one, so that a thread blocked in {@code accept} or {@code recvfrom} on an idle socket
     * neither wakes thousands of times a second nor climbs through short sleeps the unpark would have ended.
     */
    default void awaitWoken(final int attempt, final long sinceNs, final long deadlineNs)
    {
        await(attempt, sinceNs, deadlineNs);
    }

    /**
     * A command was just put on the engine's command ring: an engine on its own thread is woken if it sleeps (or,
     * busy-polling, the caller runs its duty cycle), an embedded engine runs one duty cycle on the caller's thread,
     * so that a command nobody waits for still goes out.
     */
    default void posted()
    {
    }

    /**
     * A TCP doorbell was just rung: an engine on its own thread is woken if it sleeps (or, busy-polling, the caller
     * runs its duty cycle); an embedded engine takes it with its next cycle.
     */
    default void rang()
    {
    }
}
