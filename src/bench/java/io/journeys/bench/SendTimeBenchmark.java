package io.journeys.bench;

import java.io.PrintWriter;

/**
 * The bench's {@code send-time} part (issue 18): {@link SendTimeEvaluation}'s open rates, then
 * {@link SendTimeCost}'s state bytes and throughput, on the same generated population.
 *
 * <pre>{@code
 * new SendTimeBenchmark(20_000, 12, 5, 1, new PrintWriter(System.out, true)).run();
 * }</pre>
 */
public final class SendTimeBenchmark {

    private final int profiles;
    private final int weeks;
    private final int mostPerWeek;
    private final long seed;
    private final PrintWriter out;

    public SendTimeBenchmark(int profiles, int weeks, int mostPerWeek, long seed, PrintWriter out) {
        this.profiles = profiles;
        this.weeks = weeks;
        this.mostPerWeek = mostPerWeek;
        this.seed = seed;
        this.out = out;
    }

    public static void main(String[] args) {
        int profiles = args.length > 0 ? Integer.parseInt(args[0]) : 20_000;
        int weeks = args.length > 1 ? Integer.parseInt(args[1]) : 12;
        int mostPerWeek = args.length > 2 ? Integer.parseInt(args[2]) : 5;
        long seed = args.length > 3 ? Long.parseLong(args[3]) : 1;
        new SendTimeBenchmark(profiles, weeks, mostPerWeek, seed, new PrintWriter(System.out, true)).run();
    }

    public void run() {
        long start = System.nanoTime(); // benchmark timing
        SendTimeEvaluation evaluation = new SendTimeEvaluation(profiles, weeks, mostPerWeek, seed);
        SendTimeEvaluation.Result result = evaluation.run();
        SendTimeEvaluation.print(result, profiles, weeks, mostPerWeek, seed, out);
        out.printf("(evaluation: %.1f s)%n", (System.nanoTime() - start) / 1e9);
        out.flush();
        new SendTimeCost(evaluation, out).run();
    }
}
