package io.journeys.bench;

import java.io.PrintWriter;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.openjdk.jmh.results.Result;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.format.OutputFormatFactory;
import org.openjdk.jmh.runner.options.Options;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.VerboseMode;

/**
 * Runs {@link ExpressionBenchmarks} through JMH (issue 7) and prints each figure beside its baseline measured
 * in the same run, and their ratio: the machine is shared and noisy, the ratios are what to read. The
 * iterations are set on the benchmarks themselves (short ones: the whole run takes about 90 s).
 *
 * <pre>{@code
 * new ExpressionBenchmark(new PrintWriter(System.out, true)).run();
 * }</pre>
 */
public final class ExpressionBenchmark {

    /** A row of the table: a method of {@link ExpressionBenchmarks} and the one it is compared with. */
    private record Comparison(String benchmark, String baseline) {}

    private static final List<Comparison> TABLE = List.of(
            new Comparison("entryFilterCel", "entryFilterJava"),
            new Comparison("entryFilterCelWithVariables", "entryFilterJava"),
            new Comparison("profileConditionCel", "profileConditionJava"),
            new Comparison("profileConditionCelWithVariables", "profileConditionJava"),
            new Comparison("compileJourney", "readJourneyTree"));

    private final PrintWriter out;

    public ExpressionBenchmark(PrintWriter out) {
        this.out = out;
    }

    public static void main(String[] args) throws RunnerException {
        new ExpressionBenchmark(new PrintWriter(System.out, true)).run();
    }

    public void run() throws RunnerException {
        out.printf("Expressions (JMH, average ns/op): entry filter \"%s\", condition \"%s\", compiling journey"
                + " bench-0 of the events benchmark%n", ExpressionBenchmarks.ENTRY_FILTER,
                ExpressionBenchmarks.PROFILE_CONDITION);
        out.flush();
        // the forked JVM gets this JVM's java.class.path and arguments, which is what JMH does by default
        Options options = new OptionsBuilder()
                .include(Pattern.quote(ExpressionBenchmarks.class.getName()) + "\\.")
                .forks(1)
                .shouldFailOnError(true)
                .build();
        // JMH's progress goes to stderr, so that stdout holds only the table
        Map<String, Result<?>> scores = new HashMap<>();
        for (RunResult result : new Runner(options,
                OutputFormatFactory.createFormatInstance(System.err, VerboseMode.NORMAL)).run()) {
            String benchmark = result.getParams().getBenchmark();
            scores.put(benchmark.substring(benchmark.lastIndexOf('.') + 1), result.getPrimaryResult());
        }
        printTable(scores);
    }

    private void printTable(Map<String, Result<?>> scores) {
        out.printf("%-34s %28s   %-22s %22s %9s%n", "benchmark", "ns/op", "baseline", "baseline ns/op", "ratio");
        for (Comparison row : TABLE) {
            Result<?> measured = scores.get(row.benchmark());
            Result<?> base = scores.get(row.baseline());
            out.printf("%-34s %28s   %-22s %22s %9.1f%n", row.benchmark(), nanos(measured), row.baseline(),
                    nanos(base), measured.getScore() / base.getScore());
        }
        out.println("ns/op ± the 99.9% confidence half-width JMH reports; ratio = ns/op / baseline ns/op");
        out.flush();
    }

    private static String nanos(Result<?> result) {
        return String.format("%,.1f ± %,.1f", result.getScore(), result.getScoreError());
    }
}
