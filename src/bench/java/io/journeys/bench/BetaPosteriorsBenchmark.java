package io.journeys.bench;

import io.journeys.stats.BetaPosteriors;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.OptionsBuilder;

/**
 * {@link BetaPosteriors#probabilityBest} in µs/op for three arms of a million profiles each with close rates
 * (10%, 10.03%, 9.98%), so that the three posteriors overlap and every piece of the grid is used: the case a
 * keyed counter recomputes on each request. The target is well under 100 µs. JMH generates its harness from
 * this class when the benchmarks compile, so it must stay public and not final; the fields are not final so
 * that the JIT cannot fold the call away.
 *
 * <p>The same short runs as {@link ExpressionBenchmarks}: one fork, 4 warm-up iterations of 1 s, 5 measured
 * ones of 0.5 s.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(1)
@Warmup(iterations = 4, time = 1)
@Measurement(iterations = 5, time = 500, timeUnit = TimeUnit.MILLISECONDS)
public class BetaPosteriorsBenchmark {

    private long[] profiles = {1_000_000, 1_000_000, 1_000_000};
    private long[] conversions = {100_000, 100_300, 99_800};

    public static void main(String[] args) throws RunnerException {
        // the forked JVM gets this JVM's java.class.path and arguments, which is what JMH does by default
        new Runner(new OptionsBuilder()
                .include(Pattern.quote(BetaPosteriorsBenchmark.class.getName()) + "\\.")
                .shouldFailOnError(true)
                .build()).run();
    }

    @Benchmark
    public double[] probabilityBestOfThreeArms() {
        return BetaPosteriors.probabilityBest(profiles, conversions);
    }
}
