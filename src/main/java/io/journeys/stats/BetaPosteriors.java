package io.journeys.stats;

import java.util.Arrays;

/**
 * The probability that each arm of an experiment has the highest conversion rate, from its counts alone.
 *
 * <p>Each arm's rate gets the posterior Beta(1 + c, 1 + n - c) of a uniform prior after c conversions out of
 * n profiles. Why this rule: the probability that an arm is best reads directly as the {@code confidence} of a
 * winner rule ("declare B when P(B is best) ≥ 0.95"); being a posterior probability, it keeps its meaning when
 * it is looked at again and again as the data arrives, where a fixed-horizon two-proportion test's p-value
 * does not (peeking inflates its false positives); and it handles any number of arms, not only a pair.
 *
 * <p>Deterministic: plain quadrature (no sampling) with {@link StrictMath}, so the same counts give the same
 * bits on every JVM, which a replayed or restored job relies on.
 */
public final class BetaPosteriors {

    /** The most arms accepted: the cost grows with the square of the number of arms. */
    public static final int MAX_ARMS = 10;
    /**
     * The most profiles accepted per arm, 10^12: beyond about 10^15 a posterior near a rate of 1 is narrower
     * than the spacing of doubles there and the quadrature fails, and already at 10^13 it drifts by 1e-4.
     */
    public static final long MAX_PROFILES = 1_000_000_000_000L;

    /**
     * How far each posterior's interval reaches, in standard deviations either side of its mean (clipped to
     * [0, 1]). The heaviest tail is Beta(1, b)'s, exponential: beyond 14 sd it holds e^-15 ≈ 3e-7 of the mass.
     */
    private static final double SPAN = 14;
    /** Sub-intervals per posterior: 28 sd in 14 pieces of 2 sd, on which a density is nearly a polynomial. */
    private static final int PIECES = 14;
    private static final GaussLegendre RULE = new GaussLegendre(8);

    private BetaPosteriors() {}

    /**
     * For each arm i, the probability that its conversion rate is strictly the highest:
     * P_i = ∫ f_i(x) ∏_{j≠i} F_j(x) dx, f_j and F_j the density and CDF of arm j's posterior
     * Beta(1 + c_j, 1 + n_j - c_j). See the class comment for why this rule.
     *
     * <p>Computed by Gauss–Legendre quadrature over sub-intervals of 2 standard deviations of each posterior,
     * which stays accurate when the posteriors are narrow (large n) and far apart: within 1e-4 absolute for
     * any c, including 0 and n, and any n up to {@value #MAX_PROFILES}; measured, below 1e-6 for n up to
     * 10^8 (what is left is the tail beyond 14 sd of an arm with no conversions, or only conversions).
     * The CDFs are integrated on the same nodes as the densities, and each density is normalised by its own
     * computed mass, so the results sum to 1 up to rounding (5e-11); they are then scaled to sum to 1 exactly.
     *
     * @param profiles n_i, the profiles of each arm (2 to {@value #MAX_ARMS} arms), each at most
     *     {@value #MAX_PROFILES}
     * @param conversions c_i, the conversions of each arm, between 0 and n_i
     * @return P_i for each arm, in the order of the arms, each in [0, 1], summing to 1
     * @throws IllegalArgumentException if the arrays are null, differ in length, have fewer than 2 or more
     *     than {@value #MAX_ARMS} arms, or a count is negative, above {@value #MAX_PROFILES} profiles or has more
     *     conversions than profiles
     */
    public static double[] probabilityBest(long[] profiles, long[] conversions) {
        validate(profiles, conversions);
        return probabilityBest(profiles, conversions, SPAN, PIECES, RULE);
    }

    /** The computation with its grid as parameters, for the tests to check that a finer grid agrees. */
    static double[] probabilityBest(long[] profiles, long[] conversions, double span, int pieces,
            GaussLegendre rule) {
        Posterior[] arms = new Posterior[profiles.length];
        for (int i = 0; i < arms.length; i++) {
            arms[i] = new Posterior(profiles[i], conversions[i], span);
        }
        double[] cuts = cuts(arms, pieces);
        Integrals integrals = new Integrals(arms, rule);
        for (int c = 1; c < cuts.length; c++) {
            if (cuts[c] > cuts[c - 1]) { // equal arms give equal cuts
                integrals.add(cuts[c - 1], cuts[c]);
            }
        }
        return integrals.probabilities();
    }

    /** The ends of every arm's pieces, sorted: each piece between two cuts lies within one piece of each arm. */
    private static double[] cuts(Posterior[] arms, int pieces) {
        double[] cuts = new double[arms.length * (pieces + 1)];
        int c = 0;
        for (Posterior arm : arms) {
            double width = arm.high - arm.low;
            for (int p = 0; p < pieces; p++) {
                cuts[c++] = arm.low + width * p / pieces;
            }
            cuts[c++] = arm.high; // exactly, so that the interval test in Integrals.add is exact
        }
        Arrays.sort(cuts);
        return cuts;
    }

    private static double dot(double[] a, double[] b) {
        double sum = 0;
        for (int i = 0; i < a.length; i++) {
            sum += a[i] * b[i];
        }
        return sum;
    }

    private static void validate(long[] profiles, long[] conversions) {
        if (profiles == null || conversions == null) {
            throw new IllegalArgumentException("Expected profiles and conversions, but found profiles = "
                    + Arrays.toString(profiles) + " and conversions = " + Arrays.toString(conversions));
        }
        if (profiles.length != conversions.length) {
            throw new IllegalArgumentException("Expected as many conversions as profiles, but found "
                    + profiles.length + " profiles and " + conversions.length + " conversions");
        }
        if (profiles.length < 2 || profiles.length > MAX_ARMS) {
            throw new IllegalArgumentException("Expected 2 to " + MAX_ARMS + " arms, but found "
                    + profiles.length);
        }
        for (int i = 0; i < profiles.length; i++) {
            if (profiles[i] < 0 || profiles[i] > MAX_PROFILES) {
                throw new IllegalArgumentException("Expected profiles[" + i + "] between 0 and " + MAX_PROFILES
                        + ", but found " + profiles[i]);
            }
            if (conversions[i] < 0 || conversions[i] > profiles[i]) {
                throw new IllegalArgumentException("Expected conversions[" + i + "] between 0 and profiles[" + i
                        + "] = " + profiles[i] + ", but found " + conversions[i]);
            }
        }
    }

    /**
     * The running integrals, piece by piece from 0 to 1, of each density (its mass so far) and of each
     * f_i ∏_{j≠i} F_j, both unnormalised: the densities are relative to their modes.
     */
    private static final class Integrals {

        private final Posterior[] arms;
        private final GaussLegendre rule;
        private final double[] mass;
        private final double[] best;
        private final boolean[] active;
        /** {@code density[j][q]}: arm j's relative density at node q of the current piece. */
        private final double[][] density;
        private final double[] cdf;

        Integrals(Posterior[] arms, GaussLegendre rule) {
            this.arms = arms;
            this.rule = rule;
            int k = arms.length;
            mass = new double[k];
            best = new double[k];
            active = new boolean[k];
            density = new double[k][rule.nodes.length];
            cdf = new double[k];
        }

        void add(double from, double to) {
            double middle = (from + to) / 2;
            double half = (to - from) / 2;
            // an arm's interval starts and ends on cuts, so a piece is inside it or outside it as a whole;
            // outside, its density is taken as 0 (its mass there is below the span's tail)
            boolean any = false;
            for (int j = 0; j < arms.length; j++) {
                active[j] = arms[j].low <= middle && middle <= arms[j].high;
                any |= active[j];
            }
            if (!any) {
                return; // a gap between posteriors
            }
            int g = rule.nodes.length;
            for (int q = 0; q < g; q++) {
                double x = middle + half * rule.nodes[q];
                double logX = StrictMath.log(x); // shared by the arms, which differ only in their exponents
                double log1mX = StrictMath.log1p(-x);
                for (int j = 0; j < arms.length; j++) {
                    density[j][q] = active[j] ? arms[j].relativeDensity(logX, log1mX) : 0;
                }
            }
            for (int q = 0; q < g; q++) {
                for (int j = 0; j < arms.length; j++) {
                    cdf[j] = active[j] ? mass[j] + half * dot(rule.upTo[q], density[j]) : mass[j];
                }
                for (int i = 0; i < arms.length; i++) {
                    if (active[i]) {
                        double term = rule.weights[q] * half * density[i][q];
                        for (int j = 0; j < arms.length; j++) {
                            if (j != i) {
                                term *= cdf[j];
                            }
                        }
                        best[i] += term;
                    }
                }
            }
            for (int j = 0; j < arms.length; j++) {
                if (active[j]) {
                    mass[j] += half * dot(rule.weights, density[j]);
                }
            }
        }

        /** P_i = best_i / ∏_j mass_j (each f_i and F_j divided by its mass), then scaled to sum to 1. */
        double[] probabilities() {
            double masses = 1;
            for (double m : mass) {
                masses *= m;
            }
            double sum = 0;
            double[] p = new double[best.length];
            for (int i = 0; i < p.length; i++) {
                p[i] = best[i] / masses;
                sum += p[i];
            }
            for (int i = 0; i < p.length; i++) {
                p[i] = Math.min(1, p[i] / sum);
            }
            return p;
        }
    }

    /**
     * Beta(1 + c, 1 + n - c): its interval (mean ± span sd within [0, 1]) and its density relative to its
     * mode, which is at most 1 and so neither overflows nor needs log-gamma's large cancelling terms.
     */
    private static final class Posterior {

        private final double successes;
        private final double failures;
        private final double logMode;
        private final double log1mMode;
        final double low;
        final double high;

        Posterior(long n, long c, double span) {
            successes = c;
            failures = n - c;
            double mode = n == 0 ? 0.5 : (double) c / n; // Beta(1, 1) is flat: any point is a mode
            logMode = StrictMath.log(mode);
            log1mMode = StrictMath.log1p(-mode);
            double mean = (c + 1.0) / (n + 2.0);
            double sd = Math.sqrt(mean * (1 - mean) / (n + 3.0));
            low = Math.max(0, mean - span * sd);
            high = Math.min(1, mean + span * sd);
        }

        /** f(x) / f(mode), from log x and log(1 - x); a term whose exponent is 0 is left out (0 · -∞ at a bound). */
        double relativeDensity(double logX, double log1mX) {
            double log = 0;
            if (successes > 0) {
                log += successes * (logX - logMode);
            }
            if (failures > 0) {
                log += failures * (log1mX - log1mMode);
            }
            return StrictMath.exp(log);
        }
    }
}
