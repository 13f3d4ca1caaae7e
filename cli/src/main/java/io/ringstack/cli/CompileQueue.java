package io.ringstack.cli;

import java.lang.management.ManagementFactory;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import javax.management.JMException;
import javax.management.ObjectName;

/**
 * The JIT compilers' queue, as {@code jcmd PID Compiler.queue} shows it: the methods being compiled and those waiting.
 * The run that writes the launcher's class data sharing archive waits for it to drain before the JVM exits, since
 * JDK 17 archives a method still queued for compilation with its "queued" mark (JDK-8306460), and every later run from
 * that archive would then never compile it.
 */
final class CompileQueue
{
    /** The system property the launcher sets on the run that writes the archive. */
    static final String ARCHIVING_PROPERTY = "ringstack.cds.archiving";
    /** How long to wait for the queue at most: longer than a burst of C2 compiles takes on a busy machine. */
    static final long DRAIN_WAIT_MS = 5_000;

    private static final long POLL_MS = 10;
    /** The lines of an empty queue's listing; any other line is a method being compiled or waiting. */
    private static final Set<String> EMPTY_QUEUE_LINES =
        Set.of("", "Current compiles:", "C1 compile queue:", "C2 compile queue:", "Empty");

    private CompileQueue()
    {
    }

    /**
     * Wait until no method is being compiled or waits to be, or {@code timeoutMs} has passed.
     *
     * @return whether the queue drained.
     */
    static boolean awaitDrained(final long timeoutMs)
    {
        final long deadlineNs = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMs);
        try
        {
            final ObjectName commands = new ObjectName("com.sun.management:type=DiagnosticCommand");
            while (!isEmpty((String)ManagementFactory.getPlatformMBeanServer().invoke(
                commands, "compilerQueue", new Object[] { null }, new String[] { String[].class.getName() })))
            {
                if (deadlineNs - System.nanoTime() < 0)
                {
                    return false;
                }
                Thread.sleep(POLL_MS);
            }
            return true;
        }
        catch (final JMException ex)
        {
            return false;
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /**
     * @param listing what {@code Compiler.queue} printed.
     * @return whether it lists no method.
     */
    static boolean isEmpty(final String listing)
    {
        return listing.lines().map(String::strip).allMatch(EMPTY_QUEUE_LINES::contains);
    }
}
