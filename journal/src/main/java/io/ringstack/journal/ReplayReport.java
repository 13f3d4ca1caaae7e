package io.ringstack.journal;

import java.util.List;

/**
 * What a replay found. {@link #identical()} when every output of the replayed engine matched the journal.
 *
 * @param cycles           recorded duty cycles replayed, idle ones included.
 * @param deviceFrames     device frames fed to the engine (inputs).
 * @param commands         application commands fed to the engine (inputs).
 * @param outputs          outputs compared: verdicts, transmitted and looped-back frames, answers.
 * @param appDependent     socket-ring-full verdicts accepted as delivered: whether a socket's ring was full
 *                         depended on how fast the application read, which the journal does not record.
 * @param tailCut          the journal was not closed; its last duty cycle was compared as far as it goes.
 * @param unknownSettings  recorded engine settings this build does not know and could not apply.
 * @param divergence       the first divergence, or {@code null}.
 * @param problem          why the journal could not be replayed (integrity, lost records), or {@code null}.
 */
public record ReplayReport(
    long cycles,
    long deviceFrames,
    long commands,
    long outputs,
    long appDependent,
    boolean tailCut,
    List<String> unknownSettings,
    Divergence divergence,
    String problem)
{
    public boolean identical()
    {
        return divergence == null && problem == null;
    }

    /**
     * @return one line: {@code "identical: 1234 cycles, 56 device frames, 7 commands, 89 outputs compared"}.
     */
    public String summary()
    {
        final String counts = cycles + " cycles, " + deviceFrames + " device frames, " + commands + " commands, " +
            outputs + " outputs compared" + (appDependent > 0 ? ", " + appDependent + " socket-ring-full verdicts " +
            "accepted as delivered (application-dependent)" : "") + (tailCut ? ", tail cut (journal not closed)" : "");
        if (problem != null)
        {
            return "cannot replay: " + problem;
        }
        return (divergence == null ? "identical: " : "diverged after ") + counts;
    }
}
