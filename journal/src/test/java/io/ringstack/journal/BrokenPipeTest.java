package io.ringstack.journal;

import java.io.BufferedReader;
import java.io.File;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * A write into a pipe whose reader has gone is told apart from every other failed write (a full device), and from
 * no failure at all, whatever the text the platform gives it.
 */
class BrokenPipeTest
{
    private static final File FULL_DEVICE = new File("/dev/full");
    private static final File SHELL = new File("/bin/sh");

    @Test
    void aWriteIntoThePipeOfAProcessThatClosedItIsABrokenPipe() throws IOException
    {
        assumeTrue(SHELL.canExecute(), "no /bin/sh on this system: the test of a pipe without reader is skipped");
        final Process reader = new ProcessBuilder(SHELL.getPath(), "-c", "exec 0<&-; echo closed; sleep 60").start();
        try
        {
            assertEquals("closed", new BufferedReader(new InputStreamReader(reader.getInputStream(),
                StandardCharsets.US_ASCII)).readLine(), "the reader closed its end of the pipe");
            final OutputStream pipe = reader.getOutputStream();

            final IOException failure = assertThrows(IOException.class, () ->
            {
                pipe.write(new byte[64]);
                pipe.flush();
            });

            assertTrue(BrokenPipe.is(failure), failure.getMessage());
        }
        finally
        {
            reader.destroy();
        }
    }

    @Test
    void aWriteIntoAFullDeviceIsNotABrokenPipe()
    {
        assumeTrue(FULL_DEVICE.canWrite(), "no writable /dev/full on this system: the test of a full device is skipped");

        final IOException failure = assertThrows(IOException.class, () ->
        {
            try (FileOutputStream full = new FileOutputStream(FULL_DEVICE))
            {
                full.write(new byte[64]);
            }
        });

        assertFalse(BrokenPipe.is(failure), failure.getMessage());
    }

    @Test
    void noFailureOrAnotherKindOfFailureIsNotABrokenPipe()
    {
        assertFalse(BrokenPipe.is(null));
        assertFalse(BrokenPipe.is(new IOException((String)null)));
        assertFalse(BrokenPipe.is(new IllegalStateException(BrokenPipe.C_LOCALE_MESSAGE)));
    }
}
