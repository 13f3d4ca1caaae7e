package io.ringstack.journal;

import org.agrona.concurrent.UnsafeBuffer;
import org.agrona.concurrent.status.CountersManager;
import org.agrona.concurrent.status.CountersReader;

import java.nio.ByteBuffer;

/**
 * Counters for the engines the journal builds itself (replay, import), which nobody reads from outside.
 */
final class InMemoryCounters
{
    private static final int MAX_COUNTERS = 256;

    private InMemoryCounters()
    {
    }

    static CountersManager newManager()
    {
        return new CountersManager(
            new UnsafeBuffer(ByteBuffer.allocateDirect(MAX_COUNTERS * CountersReader.METADATA_LENGTH)),
            new UnsafeBuffer(ByteBuffer.allocateDirect(MAX_COUNTERS * CountersReader.COUNTER_LENGTH)));
    }
}
