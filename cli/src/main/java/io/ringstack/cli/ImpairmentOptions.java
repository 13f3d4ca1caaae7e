package io.ringstack.cli;

import io.ringstack.phy.FaultInjectingDevice;
import io.ringstack.phy.relay.Impairment;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import picocli.CommandLine.IModelTransformer;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;

/**
 * The impairment options of {@code ringstack relay}: each knob once for both directions ({@code --loss 5%}) and once
 * per direction ({@code --a-to-b-loss}, {@code --b-to-a-loss}), which overrides the first for that direction. The
 * per-direction forms are made here, as a picocli model transformer, so that every knob is declared once. The
 * knobs can also come as one list, {@code --faults loss=5%,delay=10ms,reorder=25%,dup=5%,corrupt=1%,rate=10mbit,
 * seed=1}, for both directions; an option of its own for a knob wins over the list.
 */
final class ImpairmentOptions implements IModelTransformer
{
    /** The direction prefixes of the per-direction options. */
    static final String A_TO_B = "a-to-b";
    static final String B_TO_A = "b-to-a";

    private static final long NANOS_PER_MS = 1_000_000L;
    /** The name in {@code --faults} of the seed, which is not a knob. */
    static final String SEED = "seed";
    private static final String FAULTS = "--faults";

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
        MARK("mark", "P", "Probability an ECN-capable (ECT) IPv4 packet gets CE, as an ECN router marks it."),
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
    static Impairment impairment(
        final CommandSpec spec,
        final String direction,
        final long seed,
        final int lineFrames,
        final Map<String, String> list)
    {
        final Values values = new Values(spec, direction, list);
        final FaultInjectingDevice.Faults faults = new FaultInjectingDevice.Faults().seed(seed)
            .loss(probability(values, Knob.LOSS))
            .reordering(probability(values, Knob.REORDER))
            .duplication(probability(values, Knob.DUPLICATE))
            .corruption(probability(values, Knob.CORRUPT))
            .congestionMarks(probability(values, Knob.MARK))
            .holdNs(milliseconds(values, Knob.REORDER_BY, "10"));
        final String queue = values.value(Knob.QUEUE, String.valueOf(Impairment.DEFAULT_QUEUE_FRAMES));
        return new Impairment(faults)
            .delayNs(milliseconds(values, Knob.DELAY, "0"))
            .jitterNs(milliseconds(values, Knob.JITTER, "0"))
            .rateBitsPerSecond((long)(number(values.optionName(Knob.RATE),
                values.value(Knob.RATE, "0"), "Mbit/s", 100_000) * 1_000_000))
            .queueFrames(count(values.optionName(Knob.QUEUE), queue))
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

    /**
     * Parse {@code --faults}: {@code NAME=VALUE} pairs, comma-separated, named as the knobs' options are (and
     * {@code dup} for {@code duplicate}, {@code seed}); {@code ms} after a time and {@code mbit} after a rate may be
     * written out.
     *
     * @return each value by its knob's option name, or {@value #SEED}.
     * @throws IllegalArgumentException naming an unknown or repeated name, or a pair without {@code =}.
     */
    static Map<String, String> faultList(final String text)
    {
        final Map<String, String> list = new HashMap<>();
        if (text == null)
        {
            return list;
        }
        for (final String pair : text.split(",", -1))
        {
            final int equals = pair.indexOf('=');
            final String name = equals < 0 ? pair.trim() : pair.substring(0, equals).trim().toLowerCase(Locale.ROOT);
            final String key = "dup".equals(name) ? Knob.DUPLICATE.name : name;
            if (equals < 0 || !(SEED.equals(key) || knob(key) != null))
            {
                throw new IllegalArgumentException(FAULTS + ": '" + pair + "' is not NAME=VALUE with NAME one of " +
                    "loss, delay, jitter, reorder, reorder-by, dup, corrupt, rate, queue, seed");
            }
            if (list.put(key, unitless(pair.substring(equals + 1).trim())) != null)
            {
                throw new IllegalArgumentException(FAULTS + ": '" + name + "' given twice");
            }
        }
        return list;
    }

    private static Knob knob(final String name)
    {
        for (final Knob knob : Knob.values())
        {
            if (knob.name.equals(name))
            {
                return knob;
            }
        }
        return null;
    }

    private static String unitless(final String value)
    {
        final String lower = value.toLowerCase(Locale.ROOT);
        for (final String unit : new String[]{ "mbit", "ms" })
        {
            if (lower.endsWith(unit))
            {
                return value.substring(0, value.length() - unit.length());
            }
        }
        return value;
    }

    private static double probability(final Values values, final Knob knob)
    {
        final String text = values.value(knob, "0");
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
        throw new IllegalArgumentException(values.optionName(knob) + ": '" + text +
            "' is not a probability: 0% to 100%, or 0 to 1");
    }

    private static long milliseconds(final Values values, final Knob knob, final String defaultValue)
    {
        final String option = values.optionName(knob);
        return (long)(number(option, values.value(knob, defaultValue), "milliseconds", 60_000) *
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
     * Where one direction's knobs come from: its own option, else the both-directions option, else {@code --faults},
     * else the default.
     */
    private record Values(CommandSpec spec, String direction, Map<String, String> list)
    {
        String value(final Knob knob, final String defaultValue)
        {
            final String own = spec.findOption("--" + direction + "-" + knob.name).getValue();
            if (own != null)
            {
                return own.trim();
            }
            final String both = spec.findOption("--" + knob.name).getValue();
            if (both != null)
            {
                return both.trim();
            }
            return list.getOrDefault(knob.name, defaultValue);
        }

        /**
         * @return the option a knob's value came from, for an error message.
         */
        String optionName(final Knob knob)
        {
            if (spec.findOption("--" + direction + "-" + knob.name).getValue() != null)
            {
                return "--" + direction + "-" + knob.name;
            }
            if (spec.findOption("--" + knob.name).getValue() == null && list.containsKey(knob.name))
            {
                return FAULTS + " " + knob.name;
            }
            return "--" + knob.name;
        }
    }
}
