package io.ringstack.bench.report;

import java.util.List;
import java.util.SortedMap;
import java.util.stream.Collectors;

/**
 * What one JMH result is of: a benchmark method, in one mode, at one set of {@code @Param} values.
 *
 * @param benchmark the benchmark's full name as JMH gives it, {@code package.Class.method}.
 * @param mode      JMH's short name of the mode, such as {@code thrpt}.
 * @param params    the parameter values by name; empty for a benchmark without parameters.
 */
public record BenchmarkId(String benchmark, String mode, SortedMap<String, String> params)
{
    /**
     * @return the benchmark's name without its package: {@code Class.method} or {@code Outer.Inner.method}.
     */
    public String shortName()
    {
        final List<String> parts = List.of(benchmark.split("\\."));
        int first = 0;
        while (first < parts.size() - 2 && !Character.isUpperCase(parts.get(first).charAt(0)))
        {
            first++;
        }
        return String.join(".", parts.subList(first, parts.size()));
    }

    /**
     * @return the short name and the parameters: {@code NicCableBenchmark.framesThroughCable frameLength=64 nic=e1000}.
     */
    public String describe()
    {
        if (params.isEmpty())
        {
            return shortName();
        }
        return shortName() + " " + params.entrySet().stream()
            .map((param) -> param.getKey() + "=" + param.getValue())
            .collect(Collectors.joining(" "));
    }
}
