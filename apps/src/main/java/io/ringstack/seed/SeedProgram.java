package io.ringstack.seed;

import java.util.List;

/**
 * A port of one of the seed's socket test programs: numbered phases run in order against one
 * {@link SeedContext}. A program instance is used for one run; phases may share state through its fields,
 * as the original programs shared descriptors between steps.
 */
public interface SeedProgram
{
    /**
     * @return the seed program's name, e.g. {@code "udp_socket_test"}.
     */
    String name();

    /**
     * @return the phases in the order the original program runs them.
     */
    List<SeedPhase> phases();
}
