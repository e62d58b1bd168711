package io.journeys.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Runs a fuzz kind: {@code count} cases, each drawn from its own random numbers made of the suite's seed, the
 * kind and the case number, so that one case is the same whether it runs among the others or alone. The seed is
 * fixed (CI runs the same inputs every time) unless {@code -Djourneys.seed=S} gives another; a failure names the
 * seed and the case, and {@code -Djourneys.fuzz.case=N} runs that case alone. Unlike {@link PropertyTries} a
 * kind is one test, not one per case: ten thousand dynamic tests would cost more than the cases themselves.
 *
 * <pre>{@code
 * Fuzz.run("events", 12_000, (random, tally) -> { ...; tally.bad(code); });
 * }</pre>
 */
public final class Fuzz {

    public static final String CASE_PROPERTY = "journeys.fuzz.case";
    /** The seed of the suite when none is given: the issue that asked for it. */
    public static final long DEFAULT_SEED = 20L;

    private static final int FAILURES_SHOWN = 5;
    private static final ThreadMXBean CPU = ManagementFactory.getThreadMXBean();
    private static final Pattern CODE = Pattern.compile("\\b[A-Z]{3}-\\d{3}\\b");

    /** One case: draws its input from {@code random}, checks what became of it, tells the tally. */
    @FunctionalInterface
    public interface Case {
        void run(Random random, Tally tally) throws Exception;
    }

    /** What the cases of a kind came to: how many were valid and processed, and each code the bad ones got. */
    public static final class Tally {
        private int valid;
        private int bad;
        private final Map<String, Integer> codes = new TreeMap<>();

        /** A valid input that was processed. */
        public void valid() {
            valid++;
        }

        /** A bad input, turned into a dead letter or a problem with this code (already checked documented). */
        public void bad(String code) {
            bad++;
            codes.merge(code, 1, Integer::sum);
        }

        public int validCount() {
            return valid;
        }

        public int badCount() {
            return bad;
        }

        @Override
        public String toString() {
            return valid + " valid, " + bad + " bad " + codes;
        }
    }

    private Fuzz() {}

    public static long seed() {
        String text = System.getProperty(PropertyTries.SEED_PROPERTY);
        return text == null || text.isBlank() ? DEFAULT_SEED : Long.parseLong(text.trim());
    }

    /** Runs the cases and fails, naming the seed and the first failing cases, if any case fails. */
    public static Tally run(String kind, int count, Case check) {
        long seed = seed();
        String only = System.getProperty(CASE_PROPERTY);
        Tally tally = new Tally();
        List<String> failures = new ArrayList<>();
        int failed = 0;
        // for the log only, no logic depends on them: CPU time tells the cost on a machine shared with others
        long started = System.nanoTime();
        long startedCpu = CPU.getCurrentThreadCpuTime();
        for (int number = 0; number < count; number++) {
            if (only != null && !only.isBlank() && Integer.parseInt(only.trim()) != number) {
                continue;
            }
            try {
                check.run(random(seed, kind, number), tally);
            } catch (Exception | AssertionError | StackOverflowError | OutOfMemoryError failure) {
                failed++;
                if (failures.size() < FAILURES_SHOWN) {
                    failures.add("case " + number + " (-D" + CASE_PROPERTY + "=" + number + "): "
                            + Mutations.shorten(String.valueOf(failure).replace('\n', ' '))
                            + (failure.getCause() != null ? "\n    caused by " + failure.getCause() : ""));
                    if (failures.size() == 1) {
                        failure.printStackTrace(System.out);
                    }
                }
            }
        }
        System.out.printf("fuzz %s: %d cases, seed %d (-D%s=%d): %s, %d ms (%d ms of CPU)%n", kind, count, seed,
                PropertyTries.SEED_PROPERTY, seed, tally, (System.nanoTime() - started) / 1_000_000,
                (CPU.getCurrentThreadCpuTime() - startedCpu) / 1_000_000);
        if (failed > 0) {
            throw new AssertionError(String.format("fuzz %s: %d of %d cases failed with seed %d (replay with -D%s=%d)%n%s",
                    kind, failed, count, seed, PropertyTries.SEED_PROPERTY, seed, String.join("\n", failures)));
        }
        return tally;
    }

    /** The random numbers of one case, from the seed, the kind and the case number only. */
    static Random random(long seed, String kind, int number) {
        long mixed = seed * 0x9E3779B97F4A7C15L + kind.hashCode() * 0xBF58476D1CE4E5B9L + number * 0x94D049BB133111EBL;
        return new Random(mixed ^ (mixed >>> 31));
    }

    private static Set<String> documented;

    /**
     * Every code README.md's "Error codes" section names (validation problems, dead letters, step errors): a
     * code the engine gives and the README does not list fails the fuzz suite.
     */
    public static synchronized Set<String> documentedCodes() {
        if (documented == null) {
            String readme;
            try {
                readme = Files.readString(Path.of("README.md"));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            int from = readme.indexOf("### Error codes");
            int to = readme.indexOf("\n## ", from);
            if (from < 0 || to < 0) {
                throw new IllegalStateException("Expected a section \"### Error codes\" in README.md, but found none");
            }
            Set<String> codes = new TreeSet<>();
            Matcher code = CODE.matcher(readme.substring(from, to));
            while (code.find()) {
                codes.add(code.group());
            }
            documented = Set.copyOf(codes);
        }
        return documented;
    }

    /** Fails unless README.md documents the code. */
    public static void assertDocumented(String code, Object input) {
        if (code == null || !documentedCodes().contains(code)) {
            throw new AssertionError("Expected a code documented in README.md, but found " + code + " for "
                    + Mutations.shorten(String.valueOf(input)));
        }
    }
}
