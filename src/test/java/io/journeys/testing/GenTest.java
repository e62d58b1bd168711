package io.journeys.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The generators draw what jqwik 1.10.1's defaults drew for the same declarations, at a generation size of 60
 * (the invariants property's tries). Fixed seeds: the frequencies below are the same on every run.
 */
class GenTest {

    private static final int GEN_SIZE = 60;
    private static final int DRAWS = 120_000;

    @Test
    void shouldBiasIntegersTowardsTheBoundNearestZeroInFourEquallyLikelyPartitions() {
        List<Integer> values = draw(Gen.integers(1, 300));

        assertThat(values).allMatch(v -> v >= 1 && v <= 300).contains(1, 300);
        // partitions 1..11, 12..33, 34..99, 100..300, a quarter each; one value in 15 is an edge case
        // (2, 1, 300, 299), two of which fall in the first partition and two in the last
        double edge = 1.0 / 15;
        assertThat(share(values, v -> v <= 11)).isCloseTo((1 - edge) / 4 + edge / 2, within(0.01));
        assertThat(share(values, v -> v >= 12 && v <= 33)).isCloseTo((1 - edge) / 4, within(0.01));
        assertThat(share(values, v -> v >= 34 && v <= 99)).isCloseTo((1 - edge) / 4, within(0.01));
        assertThat(share(values, v -> v >= 100)).isCloseTo((1 - edge) / 4 + edge / 2, within(0.01));
    }

    @Test
    void shouldDrawSmallRangesUniformly() {
        List<Integer> values = draw(Gen.integers(0, 6)); // 21 values or fewer: one partition

        for (int v = 0; v <= 6; v++) {
            int value = v;
            // edge cases 0, 2, 1, 6, 5, one value in 12
            double expected = 11.0 / 12 / 7 + (List.of(0, 2, 1, 6, 5).contains(v) ? 1.0 / 12 / 5 : 0);
            assertThat(share(values, x -> x == value)).as("share of %d", v).isCloseTo(expected, within(0.01));
        }
    }

    @Test
    void shouldOfferBoundsAndSmallNumbersAsEdgeCasesInJqwiksOrder() {
        assertThat(Gen.integers(1, 300).edgeCases(GEN_SIZE)).containsExactly(2, 1, 300, 299);
        assertThat(Gen.integers(0, 600).edgeCases(GEN_SIZE)).containsExactly(0, 2, 1, 600, 599);
        assertThat(Gen.integers(1, 3).edgeCases(GEN_SIZE)).containsExactly(2, 1, 3);
        assertThat(Gen.integers(30, 600).edgeCases(3)).containsExactly(30, 31, 600);
        assertThat(Gen.of("enter", "react", "other", "leave").edgeCases(GEN_SIZE)).containsExactly("enter", "leave");
        assertThat(Gen.of(true, false).edgeCases(1)).containsExactly(true);
    }

    @Test
    void shouldChooseUniformlyAmongValuesAndNowAndThenTheFirstOrLast() {
        List<Boolean> values = draw(Gen.of(true, false, false, false));

        // a quarter, and one value in 20 is an edge case: true or false
        assertThat(share(values, v -> v)).isCloseTo(19.0 / 20 / 4 + 1.0 / 20 / 2, within(0.01));
    }

    @Test
    void shouldDrawListSizesUniformlyUpToTenAboveTheLeastAndBeyondOnlyOneTimeInTen() {
        List<Integer> sizes = draw(Gen.of("x").list(1, 30)).stream().map(List::size).toList();

        assertThat(sizes).allMatch(size -> size >= 1 && size <= 30).contains(1, 30);
        // one list in 20 is the edge case ["x"]; else 2% are of 30, then 12% of the rest of 12 to 30
        double beyond = 19.0 / 20 * (0.02 + 0.98 * 0.12);
        assertThat(share(sizes, size -> size > 11)).isCloseTo(beyond, within(0.01));
        assertThat(share(sizes, size -> size == 30)).isCloseTo(19.0 / 20 * (0.02 + 0.98 * 0.12 / 19), within(0.005));
        assertThat(share(sizes, size -> size == 5)).isCloseTo((1 - beyond - 1.0 / 20) / 11, within(0.005));
    }

    @Test
    void shouldDrawShortListSizesUniformly() {
        List<Integer> sizes = draw(Gen.of("x").list(1, 7)).stream().map(List::size).toList();

        for (int size = 1; size <= 7; size++) {
            int wanted = size;
            double expected = 19.0 / 20 / 7 + (size == 1 ? 1.0 / 20 : 0);
            assertThat(share(sizes, s -> s == wanted)).as("lists of %d", size).isCloseTo(expected, within(0.01));
        }
    }

    @Test
    void shouldOfferEachEdgeCaseOfTheElementsAloneInAList() {
        assertThat(Gen.integers(1, 3).list(1, 7).edgeCases(GEN_SIZE))
                .containsExactly(List.of(2), List.of(1), List.of(3));
        assertThat(Gen.integers(1, 3).list(0, 7).edgeCases(2)).containsExactly(List.of(), List.of(2));
    }

    @Test
    void shouldCombineEdgeCasesLastPartFastestAskingLaterPartsForFewerAndStopAtTheLimit() {
        Gen<List<Object>> combined = Gen.combine(Gen.integers(1, 300), Gen.integers(30, 600), Gen.of(true, false),
                Gen.of(true, false), Gen.integers(0, 6), List::<Object>of);

        // 4 edge cases, then 4 of at most 15, 2 of at most 4, 2 of at most 2, 1 of at most 1: 64, cut to 60
        List<List<Object>> edges = combined.edgeCases(GEN_SIZE);
        assertThat(edges).hasSize(60);
        assertThat(edges.get(0)).containsExactly(2, 30, true, true, 0);
        assertThat(edges.get(1)).containsExactly(2, 30, true, false, 0);
        assertThat(edges.get(4)).containsExactly(2, 31, true, true, 0);
        assertThat(edges.get(59)).containsExactly(299, 600, false, false, 0);
    }

    @Test
    void shouldDrawTheSameValuesFromTheSameSeedAndOthersFromAnother() {
        Gen<List<List<Object>>> lists = Gen.combine(Gen.integers(0, 3), Gen.of("a", "b", "c"), Gen.integers(0, 600),
                List::<Object>of).list(1, 30);

        assertThat(drawn(lists, 7)).isEqualTo(drawn(lists, 7)).isNotEqualTo(drawn(lists, 8));
    }

    @Test
    void shouldDrawTheSameFirstValuesWhenAnotherGeneratorIsDrawnAfter() {
        Gen<List<List<Object>>> alone = Gen.combine(Gen.integers(0, 3), Gen.of("a", "b", "c"), Gen.integers(0, 600),
                List::<Object>of).list(1, 30);
        Gen<List<Object>> followed = alone.followedBy(Gen.integers(0, 9).list(0, 5), List::<Object>of);

        // as a property draws each try: one value from a random source of the try's own seed
        List<Object> firsts = new ArrayList<>();
        List<Object> thens = new ArrayList<>();
        for (long seed = 0; seed < 200; seed++) {
            List<Object> pair = followed.next(new Random(seed), GEN_SIZE);
            assertThat(pair.get(0)).as("seed %d", seed).isEqualTo(alone.next(new Random(seed), GEN_SIZE));
            firsts.add(pair.get(0));
            thens.add(pair.get(1));
        }
        assertThat(new java.util.HashSet<>(firsts)).hasSizeGreaterThan(100); // edge cases come again now and then
        assertThat(thens).contains(List.of()).anyMatch(drawnAfter -> !drawnAfter.equals(List.of()));
        // the same edge cases, each with the first edge case of the generator drawn after
        assertThat(followed.edgeCases(GEN_SIZE)).extracting(pair -> pair.get(0)).isEqualTo(alone.edgeCases(GEN_SIZE));
        assertThat(followed.edgeCases(GEN_SIZE)).extracting(pair -> pair.get(1)).containsOnly(List.of());
    }

    @Test
    void shouldCombineTwoGeneratorsLikeMore() {
        Gen<List<Object>> pairs = Gen.combine(Gen.integers(1, 3), Gen.of(true, false), List::<Object>of);

        assertThat(pairs.edgeCases(GEN_SIZE)).containsExactly(List.of(2, true), List.of(2, false), List.of(1, true),
                List.of(1, false), List.of(3, true), List.of(3, false));
        assertThat(drawn(pairs, 3)).isEqualTo(drawn(pairs, 3)).allMatch(p -> (int) p.get(0) >= 1 && (int) p.get(0) <= 3);
    }

    private static <T> List<T> drawn(Gen<T> generator, long seed) {
        Random random = new Random(seed);
        List<T> values = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            values.add(generator.next(random, GEN_SIZE));
        }
        return values;
    }

    private static <T> List<T> draw(Gen<T> generator) {
        Random random = new Random(20260301L);
        List<T> values = new ArrayList<>(DRAWS);
        for (int i = 0; i < DRAWS; i++) {
            values.add(generator.next(random, GEN_SIZE));
        }
        return values;
    }

    private static <T> double share(List<T> values, java.util.function.Predicate<T> which) {
        return values.stream().filter(which).count() / (double) values.size();
    }
}
