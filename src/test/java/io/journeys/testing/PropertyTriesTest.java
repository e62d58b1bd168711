package io.journeys.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.assertj.core.api.Assertions.within;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalInt;
import java.util.stream.IntStream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;

class PropertyTriesTest {

    private static final long SEED = 1234L;
    private static final Gen<Integer> NUMBERS = Gen.integers(0, 1000);

    private final ByteArrayOutputStream log = new ByteArrayOutputStream();

    @Test
    void shouldRunOneDynamicTestPerTryAndPrintTheSeed() throws Throwable {
        List<Integer> seen = new ArrayList<>();

        List<DynamicTest> tries = tries(60, seen::add, OptionalInt.empty());
        for (DynamicTest t : tries) {
            t.getExecutable().execute();
        }

        assertThat(tries).hasSize(60);
        assertThat(tries.get(0).getDisplayName()).startsWith("try 1 of 60");
        assertThat(seen).hasSize(60).allMatch(v -> v >= 0 && v <= 1000);
        assertThat(log.toString(StandardCharsets.UTF_8)).contains("seed 1234", "-Djourneys.seed=1234");
    }

    @Test
    void shouldTakeTheEdgeCasesInOrderOneTryInSixWhenThereAreAsManyAsTries() {
        // 5 x 5 x 5 combinations of 0, 2, 1, 1000, 999, cut to 60: one try in 6 takes the next one
        Gen<List<Object>> triples = Gen.combine(NUMBERS, NUMBERS, NUMBERS, List::<Object>of);
        int edgeTries = 0;
        int seeds = 1000;
        for (long seed = 0; seed < seeds; seed++) {
            List<Integer> edgeCases = edgeCasesTaken(PropertyTries.schedule(60, triples, seed));
            assertThat(edgeCases).isEqualTo(IntStream.range(0, edgeCases.size()).boxed().toList());
            edgeTries += edgeCases.size();
        }
        assertThat(edgeTries / (double) seeds).isCloseTo(10.0, within(0.5));
    }

    @Test
    void shouldTakeEachEdgeCaseOnceAtMost() {
        for (long seed = 0; seed < 100; seed++) {
            // five edge cases (0, 2, 1, 1000, 999), one try in 13 asks for one
            assertThat(edgeCasesTaken(PropertyTries.schedule(60, NUMBERS, seed))).hasSizeLessThanOrEqualTo(5);
        }
    }

    private static List<Integer> edgeCasesTaken(List<PropertyTries.Try> schedule) {
        return schedule.stream().filter(PropertyTries.Try::isEdgeCase).map(PropertyTries.Try::edgeCase).toList();
    }

    @Test
    void shouldNameThePropertyTheSeedAndTheTryOfAFailureAndTheValue() {
        List<DynamicTest> tries = tries(60, v -> assertThat(v).as("a number").isLessThan(100), OptionalInt.empty());

        AssertionError failure = null;
        int failed = 0;
        for (DynamicTest t : tries) {
            failure = catchThrowableOfType(AssertionError.class, () -> t.getExecutable().execute());
            if (failure != null) {
                failed = Integer.parseInt(t.getDisplayName().split(" ")[1]);
                break;
            }
        }

        assertThat(failure).isNotNull();
        assertThat(failure.getMessage()).contains("numbers below 100 failed at try " + failed + " of 60 with seed 1234",
                "-Djourneys.seed=1234 -Djourneys.try=" + failed, "value: ", "[a number]");
        assertThat(failure.getCause()).isInstanceOf(AssertionError.class);
    }

    @Test
    void shouldReplayOneTryAloneWithTheValueItHadAmongTheOthers() throws Throwable {
        List<Integer> all = new ArrayList<>();
        for (DynamicTest t : tries(60, all::add, OptionalInt.empty())) {
            t.getExecutable().execute();
        }
        List<Integer> alone = new ArrayList<>();

        List<DynamicTest> replay = tries(60, alone::add, OptionalInt.of(17));
        for (DynamicTest t : replay) {
            t.getExecutable().execute();
        }

        assertThat(replay).singleElement().satisfies(t -> assertThat(t.getDisplayName()).startsWith("try 17 of 60"));
        assertThat(alone).containsExactly(all.get(16));
    }

    @Test
    void shouldDrawOtherValuesFromAnotherSeed() {
        List<Long> seeds = PropertyTries.schedule(60, NUMBERS, SEED).stream().map(PropertyTries.Try::seed).toList();
        List<Long> others = PropertyTries.schedule(60, NUMBERS, SEED + 1).stream().map(PropertyTries.Try::seed).toList();

        assertThat(seeds).doesNotContainAnyElementsOf(others);
    }

    @Test
    void shouldRefuseATryThatTheRunDoesNotHave() {
        assertThatThrownBy(() -> tries(60, v -> {}, OptionalInt.of(61)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("Expected -Djourneys.try between 1 and 60, but found 61");
    }

    private List<DynamicTest> tries(int count, PropertyTries.Check<Integer> check, OptionalInt onlyTry) {
        return PropertyTries.check("numbers below 100", count, NUMBERS, check, SEED, onlyTry,
                new PrintStream(log, true, StandardCharsets.UTF_8)).toList();
    }
}
