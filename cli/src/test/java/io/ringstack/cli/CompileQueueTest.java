package io.ringstack.cli;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class CompileQueueTest
{
    @Test
    void aListingWithNoMethodIsEmpty()
    {
        assertTrue(CompileQueue.isEmpty("Current compiles: \n\nC1 compile queue:\nEmpty\n\nC2 compile queue:\nEmpty\n"));
    }

    @Test
    void aMethodBeingCompiledOrWaitingIsNotEmpty()
    {
        assertFalse(CompileQueue.isEmpty("Current compiles: \nC2 CompilerThread0  1176   !   4       "
            + "io.ringstack.journal.JournalReader::read (497 bytes)\n\nC1 compile queue:\nEmpty\n\n"
            + "C2 compile queue:\nEmpty\n"));
        assertFalse(CompileQueue.isEmpty("Current compiles: \n\nC1 compile queue:\nEmpty\n\nC2 compile queue:\n"
            + "1171       4       io.ringstack.journal.JournalDump::lambda$write$0 (106 bytes)\n"));
    }

    @Test
    void theRunningJvmsQueueDrainsOnceItIsIdle()
    {
        assertTrue(CompileQueue.awaitDrained(CompileQueue.DRAIN_WAIT_MS));
    }
}
