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
