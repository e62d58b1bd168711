package io.journeys.stats;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * P(arm is best) against exact values where they exist (two arms with integer Beta parameters), a seeded Monte
 * Carlo where they do not, and the symmetries and edges that must hold whatever the counts.
 */
class BetaPosteriorsTest {

    // ---- two arms: Evan Miller's closed form ----

    @Test
    void shouldMatchTheClosedFormForTwoArms() {
        long[][] cases = { // nA, cA, nB, cB
            {0, 0, 0, 0}, {1, 0, 1, 1}, {10, 3, 12, 7}, {20, 0, 20, 20}, {100, 10, 100, 15}, {50, 0, 3, 0},
            {200, 20, 180, 30}, {1000, 100, 1000, 120}, {1000, 0, 1000, 1}, {7, 7, 400, 390},
            {100_000, 10_000, 100_000, 10_150}, {100_000, 3, 50_000, 0}};
        for (long[] c : cases) {
            double[] p = BetaPosteriors.probabilityBest(new long[] {c[0], c[2]}, new long[] {c[1], c[3]});
            double exact = ClosedForm.probabilityBBeatsA(1 + c[1], 1 + c[0] - c[1], 1 + c[3], 1 + c[2] - c[3]);
            assertThat(p[1]).as("P(B best) for %s", Arrays.toString(c)).isCloseTo(exact, within(1e-6));
            assertThat(p[0]).as("P(A best) for %s", Arrays.toString(c)).isCloseTo(1 - exact, within(1e-6));
        }
    }

    @Test
    void shouldMatchTheClosedFormOfNoConversionAgainstOneWhenNIsLarge() {
        // Beta(1, n+1) against Beta(2, n): Evan Miller's sum has two terms, which add up to (3n+2)/(4n+2)
        for (long n : new long[] {10_000_000L, 100_000_000L}) {
            double[] p = BetaPosteriors.probabilityBest(new long[] {n, n}, new long[] {0, 1});
            assertThat(p[1]).as("n = %d", n).isCloseTo((3.0 * n + 2) / (4.0 * n + 2), within(1e-6));
        }
    }

    // ---- more arms: a seeded Monte Carlo ----

    @Test
    void shouldMatchAMonteCarloForThreeArms() {
        assertMatchesMonteCarlo(new long[] {100, 120, 90}, new long[] {10, 15, 12}, 11);
    }

    @Test
    void shouldMatchAMonteCarloForFourArms() {
        assertMatchesMonteCarlo(new long[] {1000, 1000, 900, 1100}, new long[] {50, 55, 52, 48}, 12);
    }

    @Test
    void shouldMatchAMonteCarloForFourArmsWithFewOrNoConversions() {
        assertMatchesMonteCarlo(new long[] {5, 5, 8, 0}, new long[] {0, 1, 2, 0}, 13);
    }

    private static void assertMatchesMonteCarlo(long[] profiles, long[] conversions, long seed) {
        double[] p = BetaPosteriors.probabilityBest(profiles, conversions);
        double[] sampled = MonteCarlo.probabilityBest(profiles, conversions, 2_000_000, new Random(seed));
        // the sampling error's standard deviation is at most 0.5 / √(2e6) ≈ 3.5e-4
        assertThat(p).as("quadrature %s against sampled %s", Arrays.toString(p), Arrays.toString(sampled))
                .containsExactly(sampled, within(3e-3));
    }

    // ---- symmetries ----

    @Test
    void shouldGiveEqualArmsEqualProbabilities() {
        double[] p = BetaPosteriors.probabilityBest(new long[] {1000, 1000, 1000}, new long[] {100, 100, 100});

        assertThat(p[1]).isEqualTo(p[0]);
        assertThat(p[2]).isEqualTo(p[0]);
        assertThat(p[0]).isCloseTo(1.0 / 3, within(1e-12));
    }

    @Test
    void shouldGiveTwoEqualArmsBesideADifferentOneEqualProbabilities() {
        double[] p = BetaPosteriors.probabilityBest(new long[] {500, 800, 500}, new long[] {60, 90, 60});

        // equal up to the order in which each arm multiplies the others' CDFs
        assertThat(p[2]).isCloseTo(p[0], within(1e-15));
        assertThat(p[1]).isLessThan(p[0]); // 11.25% against 12%
    }

    @Test
    void shouldGiveOneHalfToTwoPosteriorsSymmetricAboutOneHalf() {
        // Beta(1, 1) and Beta(6, 6): x -> 1 - x keeps both and swaps which is higher
        double[] p = BetaPosteriors.probabilityBest(new long[] {0, 10}, new long[] {0, 5});

        assertThat(p).containsExactly(new double[] {0.5, 0.5}, within(1e-9));
    }

    @Test
    void shouldFollowTheArmsWhenTheirOrderChanges() {
        double[] p = BetaPosteriors.probabilityBest(new long[] {100, 200, 300}, new long[] {9, 22, 30});
        double[] reversed = BetaPosteriors.probabilityBest(new long[] {300, 200, 100}, new long[] {30, 22, 9});

        assertThat(reversed).containsExactly(new double[] {p[2], p[1], p[0]}, within(1e-15));
    }

    // ---- large counts, and no conversions or only conversions ----

    @Test
    void shouldSeparateCloseRatesWhenNIsLarge() {
        long n = 10_000_000L;
        double[] p = BetaPosteriors.probabilityBest(new long[] {n, n}, new long[] {1_000_000, 1_003_000});

        // at this n both posteriors are normal to far better than 1e-5 (their skewness is ~1.7e-3, and equal)
        double difference = mean(n, 1_003_000) - mean(n, 1_000_000);
        double sd = Math.sqrt(variance(n, 1_000_000) + variance(n, 1_003_000));
        assertThat(p[1]).isCloseTo(1 - ClosedForm.normalUpperTail(difference / sd), within(1e-5))
                .isCloseTo(0.98728, within(1e-5));
        assertProbabilities(p);
    }

    @Test
    void shouldGiveAllToTheFarHigherRateWhenNIsLarge() {
        long n = 10_000_000L;
        double[] two = BetaPosteriors.probabilityBest(new long[] {n, n}, new long[] {1_000_000, 5_000_000});
        double[] three = BetaPosteriors.probabilityBest(new long[] {n, n, n},
                new long[] {1_000_000, 5_000_000, 1_003_000});

        assertThat(two).containsExactly(new double[] {0, 1}, within(1e-12));
        assertThat(three).containsExactly(new double[] {0, 1, 0}, within(1e-12));
        assertProbabilities(two);
        assertProbabilities(three);
    }

    @Test
    void shouldHandleNoConversionsAndOnlyConversions() {
        long n = 10_000_000L;
        double[] noneAgainstAll = BetaPosteriors.probabilityBest(new long[] {n, n}, new long[] {0, n});
        double[] none = BetaPosteriors.probabilityBest(new long[] {n, n, n}, new long[] {0, 0, 0});
        double[] all = BetaPosteriors.probabilityBest(new long[] {n, n}, new long[] {n, n});
        double[] noneAgainstNothing = BetaPosteriors.probabilityBest(new long[] {n, 0}, new long[] {0, 0});

        assertThat(noneAgainstAll).containsExactly(new double[] {0, 1}, within(1e-12));
        assertThat(none).containsExactly(new double[] {1.0 / 3, 1.0 / 3, 1.0 / 3}, within(1e-9));
        assertThat(all).containsExactly(new double[] {0.5, 0.5}, within(1e-9));
        // Beta(1, n+1) against Beta(1, 1): P(uniform < X) = E[1 - X] = 1 - 1/(n+2)
        assertThat(noneAgainstNothing[0]).isCloseTo(1.0 / (n + 2), within(1e-6));
        for (double[] p : new double[][] {noneAgainstAll, none, all, noneAgainstNothing}) {
            assertProbabilities(p);
        }
    }

    @Test
    void shouldAgreeWithAFinerGridOnHardCases() {
        long[][][] cases = {
            {{100_000_000L, 100_000_000L, 100_000_000L, 0}, {0, 1, 3, 0}},
            {{100_000_000L, 1_000, 10, 100_000_000L}, {10_000_000L, 100, 1, 10_003_000L}},
            {{5, 50, 500, 5_000, 50_000, 500_000, 5_000_000, 50_000_000, 100_000_000L, 2},
             {1, 10, 100, 1_000, 10_000, 100_000, 1_000_000, 10_000_000, 20_000_000, 1}}};
        for (long[][] c : cases) {
            double[] p = BetaPosteriors.probabilityBest(c[0], c[1]);
            double[] finer = BetaPosteriors.probabilityBest(c[0], c[1], 22, 220, new GaussLegendre(12));
            assertThat(p).as("n %s, c %s", Arrays.toString(c[0]), Arrays.toString(c[1]))
                    .containsExactly(finer, within(1e-6));
            assertProbabilities(p);
        }
    }

    private static void assertProbabilities(double[] p) {
        assertThat(Arrays.stream(p).boxed()).allSatisfy(x -> assertThat(x).isBetween(0.0, 1.0));
        assertThat(Arrays.stream(p).sum()).isCloseTo(1, within(1e-6));
    }

    private static double mean(long n, long c) {
        return (c + 1.0) / (n + 2.0);
    }

    private static double variance(long n, long c) {
        double m = mean(n, c);
        return m * (1 - m) / (n + 3.0);
    }

    // ---- determinism ----

    @Test
    void shouldGiveTheSameBitsForTheSameCounts() {
        long[] profiles = {1_000_000, 1_000_000, 1_000_000};
        long[] conversions = {100_000, 100_300, 99_800};

        double[] first = BetaPosteriors.probabilityBest(profiles, conversions);
        BetaPosteriors.probabilityBest(new long[] {10, 20}, new long[] {1, 2}); // no state kept between calls
        double[] second = BetaPosteriors.probabilityBest(profiles.clone(), conversions.clone());

        assertThat(Arrays.stream(second).mapToLong(Double::doubleToRawLongBits).toArray())
                .containsExactly(Arrays.stream(first).mapToLong(Double::doubleToRawLongBits).toArray());
    }

    // ---- validation ----

    @Test
    void shouldRejectBadCountsNamingTheValue() {
        assertThatThrownBy(() -> BetaPosteriors.probabilityBest(null, new long[] {1, 2}))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("profiles = null");
        assertThatThrownBy(() -> BetaPosteriors.probabilityBest(new long[] {1, 2}, new long[] {1}))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("2 profiles and 1 conversions");
        assertThatThrownBy(() -> BetaPosteriors.probabilityBest(new long[] {1}, new long[] {1}))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("found 1");
        assertThatThrownBy(() -> BetaPosteriors.probabilityBest(new long[11], new long[11]))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("found 11");
        assertThatThrownBy(() -> BetaPosteriors.probabilityBest(new long[] {10, -3}, new long[] {1, 0}))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("profiles[1]")
                .hasMessageContaining("found -3");
        assertThatThrownBy(() -> BetaPosteriors.probabilityBest(new long[] {10, 1_000_000_000_001L},
                new long[] {1, 0})).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("profiles[1] between 0 and 1000000000000, but found 1000000000001");
        assertThatThrownBy(() -> BetaPosteriors.probabilityBest(new long[] {10, 10}, new long[] {11, 0}))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("conversions[0] between 0 and profiles[0] = 10, but found 11");
        assertThatThrownBy(() -> BetaPosteriors.probabilityBest(new long[] {10, 10}, new long[] {1, -1}))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("conversions[1]")
                .hasMessageContaining("found -1");
    }
}
