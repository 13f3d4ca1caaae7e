package io.ringstack.seed;

/**
 * A seed phase did not get what the original program expected; the message says what it got instead.
 */
public final class SeedFailure extends Exception
{
    private static final long serialVersionUID = 1L;

    public SeedFailure(final String message)
    {
        super(message, null, false, false);
    }
}
