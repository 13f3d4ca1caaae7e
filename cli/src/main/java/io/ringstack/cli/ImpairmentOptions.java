package io.ringstack.cli;

import io.ringstack.phy.FaultInjectingDevice;
import io.ringstack.phy.relay.Impairment;
import picocli.CommandLine.IModelTransformer;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;

/**
 * The impairment options of {@code ringstack relay}: each knob once for both directions ({@code --loss 5%}) and once
 * per direction ({@code --a-to-b-loss}, {@code --b-to-a-loss}), which overrides the first for that direction. The
 * per-direction forms are made here, as a picocli model transformer, so that every knob is declared once.
 */
final class ImpairmentOptions implements IModelTransformer
{
    /** The direction prefixes of the per-direction options. */
    static final String A_TO_B = "a-to-b";
    static final String B_TO_A = "b-to-a";

    private static final long NANOS_PER_MS = 1_000_000L;

    /**
     * One knob: its option name, the form of its value, and what it means.
     */
    enum Knob
    {
        LOSS("loss", "P", "Probability a frame is lost: 5%% or 0.05."),
        DELAY("delay", "MS", "One-way delay in milliseconds (decimals allowed)."),
        JITTER("jitter", "MS", "The delay varies by up to this many ms either way; frames keep their order."),
        REORDER("reorder", "P", "Probability a frame is held back --reorder-by ms, so later frames overtake it."),
        REORDER_BY("reorder-by", "MS", "How long a reordered frame is held back (default 10)."),
        DUPLICATE("duplicate", "P", "Probability a frame goes twice."),
        CORRUPT("corrupt", "P", "Probability one bit past the Ethernet header is flipped."),
        RATE("rate", "MBIT", "Bottleneck rate in Mbit/s (decimals allowed; 0, the default, for none)."),
        QUEUE("queue", "N", "Frames the bottleneck's queue holds; more are tail-dropped (default "
            + Impairment.DEFAULT_QUEUE_FRAMES + ").");

        final String name;
        final String label;
        final String description;

        Knob(final String name, final String label, final String description)
        {
            this.name = name;
            this.label = label;
            this.description = description;
        }
    }

    public CommandSpec transform(final CommandSpec spec)
    {
        for (final Knob knob : Knob.values())
        {
            spec.addOption(OptionSpec.builder("--" + knob.name).paramLabel(knob.label).type(String.class)
                .description(knob.description).build());
            for (final String direction : new String[]{ A_TO_B, B_TO_A })
            {
                spec.addOption(OptionSpec.builder("--" + direction + "-" + knob.name).paramLabel(knob.label)
                    .type(String.class).hidden(true).build());
            }
        }
        return spec;
    }

    /**
     * The impairment of one direction, from the options given.
     *
     * @param direction {@link #A_TO_B} or {@link #B_TO_A}.
     * @throws IllegalArgumentException naming the option whose value is not of its form.
     */
    static Impairment impairment(final CommandSpec spec, final String direction, final long seed, final int lineFrames)
    {
        final FaultInjectingDevice.Faults faults = new FaultInjectingDevice.Faults().seed(seed)
            .loss(probability(spec, direction, Knob.LOSS))
            .reordering(probability(spec, direction, Knob.REORDER))
            .duplication(probability(spec, direction, Knob.DUPLICATE))
            .corruption(probability(spec, direction, Knob.CORRUPT))
            .holdNs(milliseconds(spec, direction, Knob.REORDER_BY, "10"));
        final String queue = value(spec, direction, Knob.QUEUE, String.valueOf(Impairment.DEFAULT_QUEUE_FRAMES));
        return new Impairment(faults)
            .delayNs(milliseconds(spec, direction, Knob.DELAY, "0"))
            .jitterNs(milliseconds(spec, direction, Knob.JITTER, "0"))
            .rateBitsPerSecond((long)(number(optionName(spec, direction, Knob.RATE),
                value(spec, direction, Knob.RATE, "0"), "Mbit/s", 100_000) * 1_000_000))
            .queueFrames(count(optionName(spec, direction, Knob.QUEUE), queue))
            .lineFrames(lineFrames);
    }

    /**
     * @return a whole number from 1 to 1,000,000.
     * @throws IllegalArgumentException naming the option.
     */
    static int count(final String option, final String text)
    {
        try
        {
            final int count = Integer.parseInt(text);
            if (count >= 1 && count <= 1_000_000)
            {
                return count;
            }
        }
        catch (final NumberFormatException ignore)
        {
            // reported below with the option's name
        }
        throw new IllegalArgumentException(option + ": '" + text + "' is not a number of frames from 1 to 1000000");
    }

    private static double probability(final CommandSpec spec, final String direction, final Knob knob)
    {
        final String text = value(spec, direction, knob, "0");
        final boolean percent = text.endsWith("%");
        try
        {
            final double value = Double.parseDouble(percent ? text.substring(0, text.length() - 1) : text);
            final double probability = percent ? value / 100 : value;
            if (probability >= 0 && probability <= 1)
            {
                return probability;
            }
        }
        catch (final NumberFormatException ignore)
        {
            // reported below with the option's name
        }
        throw new IllegalArgumentException(optionName(spec, direction, knob) + ": '" + text +
            "' is not a probability: 0% to 100%, or 0 to 1");
    }

    private static long milliseconds(
        final CommandSpec spec, final String direction, final Knob knob, final String defaultValue)
    {
        final String option = optionName(spec, direction, knob);
        return (long)(number(option, value(spec, direction, knob, defaultValue), "milliseconds", 60_000) *
            NANOS_PER_MS);
    }

    private static double number(final String option, final String text, final String what, final double max)
    {
        try
        {
            final double value = Double.parseDouble(text);
            if (value >= 0 && value <= max)
            {
                return value;
            }
        }
        catch (final NumberFormatException ignore)
        {
            // reported below with the option's name
        }
        throw new IllegalArgumentException(option + ": '" + text + "' is not a number of " + what + " from 0 to " +
            (long)max);
    }

    /**
     * @return the per-direction option's value if given, else the both-directions option's, else the default.
     */
    private static String value(
        final CommandSpec spec, final String direction, final Knob knob, final String defaultValue)
    {
        final String own = spec.findOption("--" + direction + "-" + knob.name).getValue();
        if (own != null)
        {
            return own.trim();
        }
        final String both = spec.findOption("--" + knob.name).getValue();
        return both != null ? both.trim() : defaultValue;
    }

    private static String optionName(final CommandSpec spec, final String direction, final Knob knob)
    {
        return spec.findOption("--" + direction + "-" + knob.name).getValue() != null ?
            "--" + direction + "-" + knob.name : "--" + knob.name;
    }
}
