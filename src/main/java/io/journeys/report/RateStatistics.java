package io.journeys.report;

import io.journeys.report.JourneyReport.Interval;

/** The statistics the report shows beside its rates: 95% intervals and the probability of being the best arm. */
final class RateStatistics {

    /** The standard normal quantile of 0.975. */
    private static final double Z95 = 1.959963984540054;

    private RateStatistics() {}

    /** {@code conversions / profiles}, 0 without profiles. */
    static double rate(long profiles, long conversions) {
        return profiles == 0 ? 0.0 : (double) conversions / profiles;
    }

    /** The Wilson score 95% interval of {@code conversions / profiles}; [0, 1] without profiles. */
    static Interval wilson95(long profiles, long conversions) {
        if (profiles == 0) {
            return new Interval(0, 1);
        }
        double n = profiles;
        double c = conversions;
        double z2 = Z95 * Z95;
        double centre = (c + z2 / 2) / (n + z2);
        double half = Z95 * Math.sqrt(c * (n - c) / n + z2 / 4) / (n + z2);
        double low = conversions == 0 ? 0 : Math.max(0, centre - half);
        double high = conversions == profiles ? 1 : Math.min(1, centre + half);
        return new Interval(low, high);
    }

    /** For each arm, the probability that its rate is the highest; null when it cannot be said. */
    static double[] probabilityBest(long[] profiles, long[] conversions) {
        return null; // TODO io.journeys.stats.BetaPosteriors once on main
    }
}
