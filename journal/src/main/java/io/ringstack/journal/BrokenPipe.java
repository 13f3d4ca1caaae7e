package io.ringstack.journal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.Pipe;

/**
 * Whether a failed write met a pipe (or socket) whose reader has gone, {@code EPIPE}: the reader's choice
 * ({@code dump | head}), which ends the output quietly, unlike any other failure ({@code ENOSPC}, a full disk).
 * <p>
 * The JDK gives a write's {@code errno} only as the text of {@code strerror(3)}, in the language of the process's
 * locale: {@code "Broken pipe"} in English, {@code "Datenübergabe unterbrochen (broken pipe)"} under
 * {@code LANGUAGE=de}. So the text is not matched against an English constant but against the one this JVM gives for
 * {@code EPIPE}, learnt once by writing into a pipe whose reader is closed, through the same native code and the same
 * locale as the failed write; the constant is the answer only where that write fails in no way at all.
 */
public final class BrokenPipe
{
    /** The C locale's text of {@code EPIPE}. */
    static final String C_LOCALE_MESSAGE = "Broken pipe";

    private BrokenPipe()
    {
    }

    /**
     * @param failure what a write failed with, or {@code null}.
     * @return whether it failed because the pipe's reader had gone.
     */
    public static boolean is(final Throwable failure)
    {
        return failure instanceof IOException && Message.TEXT.equals(failure.getMessage());
    }

    /**
     * The text of {@code EPIPE} as this JVM gives it, learnt when first asked for.
     */
    private static final class Message
    {
        static final String TEXT = learn();

        private static String learn()
        {
            final Pipe pipe;
            try
            {
                pipe = Pipe.open();
                pipe.source().close();
            }
            catch (final IOException ex)
            {
                return C_LOCALE_MESSAGE;
            }
            try (Pipe.SinkChannel sink = pipe.sink())
            {
                return written(sink);
            }
            catch (final IOException ex)
            {
                return C_LOCALE_MESSAGE;
            }
        }

        /**
         * @return the text {@code sink}'s write failed with.
         */
        private static String written(final Pipe.SinkChannel sink)
        {
            try
            {
                sink.write(ByteBuffer.allocate(1));
            }
            catch (final IOException ex)
            {
                return ex.getMessage() == null ? C_LOCALE_MESSAGE : ex.getMessage();
            }
            return C_LOCALE_MESSAGE;
        }
    }
}
