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
 * @param divergences      the divergences kept, in order: the first only, or, when the replay went on after one,
 *                         up to a thousand; empty when the replay was identical.
 * @param divergenceCount  how many divergences there were, kept or not.
 * @param untilRecord      the record the replay was asked to stop at and did, or -1 when it read the whole journal.
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
    List<Divergence> divergences,
    long divergenceCount,
    long untilRecord,
    String problem)
{
    public boolean identical()
    {
        return divergenceCount == 0 && problem == null;
    }

    /**
     * @return the first divergence, or {@code null}.
     */
    public Divergence divergence()
    {
        return divergences.isEmpty() ? null : divergences.get(0);
    }

    /**
     * @return one line: {@code "identical: 1234 cycles, 56 device frames, 7 commands, 89 outputs compared"}, with
     * {@code " up to record N"} after the verdict when the replay stopped there, and how many divergences there
     * were when it went on after the first.
     */
    public String summary()
    {
        final String counts = cycles + " cycles, " + deviceFrames + " device frames, " + commands + " commands, " +
            outputs + " outputs compared" + (appDependent > 0 ? ", " + appDependent + " socket-ring-full verdicts " +
            "accepted as delivered (application-dependent)" : "") +
            (tailCut && untilRecord < 0 ? ", tail cut (journal not closed)" : "") +
            (divergenceCount > 1 ? ", " + divergenceCount + " divergences" : "");
        if (problem != null)
        {
            return "cannot replay: " + problem;
        }
        final String until = untilRecord >= 0 ? " up to record " + untilRecord : "";
        return (divergenceCount == 0 ? "identical" + until + ": " : "diverged" + until + " after ") + counts;
    }
}
