package io.ringstack.seed;

/**
 * One step of a seed program, named as the seed inventory names it (e.g. {@code "6 loopback RX"}).
 */
public final class SeedPhase
{
    /**
     * The body of a phase: it returns when the phase passes and throws {@link SeedFailure} when it does not.
     */
    @FunctionalInterface
    public interface Body
    {
        void run(SeedContext context) throws SeedFailure;
    }

    private final String name;
    private final Body body;

    public SeedPhase(final String name, final Body body)
    {
        this.name = name;
        this.body = body;
    }

    public String name()
    {
        return name;
    }

    public Body body()
    {
        return body;
    }

    public String toString()
    {
        return name;
    }
}
