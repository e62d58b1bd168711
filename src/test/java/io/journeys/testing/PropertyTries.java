package io.journeys.testing;

import java.io.PrintStream;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalInt;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;

/**
 * Runs a property on JUnit 5: one dynamic test per try, every try drawn from one seed, which is printed; a
 * failing try names the seed and its number, and {@code -Djourneys.seed=SEED -Djourneys.try=N} runs that try
 * again (on the Maven command line too: surefire hands {@code -D} options to the tests).
 *
 * <pre>{@code
 * @TestFactory
 * Stream<DynamicTest> shouldKeepTheEngineInvariants() {
 *     return PropertyTries.check("engine invariants", 60, scenarios(), scenario -> assertThat(...));
 * }
 * }</pre>
 *
 * <p>Like jqwik's default, one try in {@code edgeCaseRatio + 1} (one in six when the generator has as many edge
 * cases as tries) takes the generator's next edge case in order instead of a random value; the edge cases come
 * from {@link Gen#edgeCases(int)}, at most as many as tries. The number of tries is also the generators'
 * {@code genSize}. Nothing shrinks: the failing value is printed as it was drawn.
 */
public final class PropertyTries {

    public static final String SEED_PROPERTY = "journeys.seed";
    public static final String TRY_PROPERTY = "journeys.try";

    /** The property: throws (an assertion error, mostly) when the value breaks it. */
    @FunctionalInterface
    public interface Check<T> {
        void accept(T value) throws Exception;
    }

    /** One try: its number from 1, and either an edge case's index or the seed of its random value. */
    record Try(int number, int edgeCase, long seed) {
        boolean isEdgeCase() {
            return edgeCase >= 0;
        }
    }

    private PropertyTries() {}

    /** The tries of the property, seeded by {@code -Djourneys.seed} if given, else by a fresh random seed. */
    public static <T> Stream<DynamicTest> check(String property, int tries, Gen<T> generator, Check<T> check) {
        long seed = seedProperty().orElseGet(() -> new SecureRandom().nextLong());
        return check(property, tries, generator, check, seed, tryProperty(), System.out);
    }

    static <T> Stream<DynamicTest> check(String property, int tries, Gen<T> generator, Check<T> check, long seed,
            OptionalInt onlyTry, PrintStream log) {
        if (onlyTry.isPresent() && (onlyTry.getAsInt() < 1 || onlyTry.getAsInt() > tries)) {
            throw new IllegalArgumentException("Expected -D" + TRY_PROPERTY + " between 1 and " + tries + ", but found "
                    + onlyTry.getAsInt());
        }
        log.printf("%s: seed %d, %d tries (replay with -D%s=%d)%n", property, seed, tries, SEED_PROPERTY, seed);
        List<Try> schedule = schedule(tries, generator, seed);
        return schedule.stream()
                .filter(t -> onlyTry.isEmpty() || t.number() == onlyTry.getAsInt())
                .map(t -> DynamicTest.dynamicTest(name(t, tries), () -> run(property, tries, generator, check, seed, t)));
    }

    /**
     * Which tries take an edge case and the seed of every other one, all from the property's seed, so that a
     * try is the same whether it runs among the others or alone.
     */
    static List<Try> schedule(int tries, Gen<?> generator, long seed) {
        Random random = new Random(seed);
        int edgeCases = generator.edgeCases(tries).size();
        int ratio = edgeCases == 0 ? 0 : Gen.edgeCaseRatio(tries, edgeCases);
        List<Try> schedule = new ArrayList<>(tries);
        int nextEdgeCase = 0;
        for (int number = 1; number <= tries; number++) {
            boolean edge = ratio > 0 && random.nextInt(ratio + 1) == 0 && nextEdgeCase < edgeCases;
            long trySeed = random.nextLong(); // drawn for every try, so edge cases do not shift the others' seeds
            schedule.add(edge ? new Try(number, nextEdgeCase++, trySeed) : new Try(number, -1, trySeed));
        }
        return schedule;
    }

    static <T> T value(Gen<T> generator, int tries, Try t) {
        return t.isEdgeCase() ? generator.edgeCases(tries).get(t.edgeCase()) : generator.next(new Random(t.seed()), tries);
    }

    private static <T> void run(String property, int tries, Gen<T> generator, Check<T> check, long seed, Try t) {
        T value = value(generator, tries, t);
        try {
            check.accept(value);
        } catch (Exception | AssertionError failure) {
            throw new AssertionError(String.format("%s failed at try %d of %d with seed %d; replay it with -D%s=%d -D%s=%d"
                    + "%nvalue: %s%n%s", property, t.number(), tries, seed, SEED_PROPERTY, seed, TRY_PROPERTY, t.number(),
                    value, failure.getMessage()), failure);
        }
    }

    private static String name(Try t, int tries) {
        return "try " + t.number() + " of " + tries + (t.isEdgeCase() ? " (edge case " + (t.edgeCase() + 1) + ")" : "");
    }

    private static java.util.Optional<Long> seedProperty() {
        String text = System.getProperty(SEED_PROPERTY);
        if (text == null || text.isBlank()) {
            return java.util.Optional.empty();
        }
        try {
            return java.util.Optional.of(Long.parseLong(text.trim()));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("Expected -D" + SEED_PROPERTY + " to be a whole number, but found " + text);
        }
    }

    private static OptionalInt tryProperty() {
        String text = System.getProperty(TRY_PROPERTY);
        if (text == null || text.isBlank()) {
            return OptionalInt.empty();
        }
        try {
            return OptionalInt.of(Integer.parseInt(text.trim()));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("Expected -D" + TRY_PROPERTY + " to be a try number, but found " + text);
        }
    }
}
