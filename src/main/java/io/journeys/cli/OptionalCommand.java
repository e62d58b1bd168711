package io.journeys.cli;

/**
 * A subcommand of {@code ./journeys} whose classes are not in the main source set, so that the cluster jar and
 * the production classpath do without them: the benchmarks ({@code src/bench/java}). Each is listed in a
 * {@code META-INF/services/io.journeys.cli.OptionalCommand} file beside it and found with
 * {@link java.util.ServiceLoader} when its classes are on the classpath, as the launcher puts them.
 *
 * <pre>{@code
 * @Command(name = "bench")
 * public final class BenchCommand implements Callable<Integer>, OptionalCommand { ... }
 * }</pre>
 */
public interface OptionalCommand {}
