package io.ringstack.journal;

/**
 * A journal that cannot be written or read as asked: missing, foreign, corrupt or of another format version. The
 * message is one line meant for people, e.g. {@code "not a ringstack journal: /tmp/x (no queue files)"}.
 */
public final class JournalException extends RuntimeException
{
    private static final long serialVersionUID = 1L;

    public JournalException(final String message)
    {
        super(message);
    }

    public JournalException(final String message, final Throwable cause)
    {
        super(message, cause);
    }
}
