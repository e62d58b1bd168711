package io.journeys.report;

import io.journeys.report.JourneyReport.Interval;
import io.journeys.stats.BetaPosteriors;
import io.journeys.stats.RateInterval;
import java.util.Arrays;

/**
 * The statistics the report shows beside its rates, from {@code io.journeys.stats}: Wilson intervals, and the
 * probability that an arm is best under Beta posteriors, the figure an experiment's winner rule reads as its
 * {@code confidence}.
 */
final class RateStatistics {

    private RateStatistics() {}

    /** {@code conversions / profiles}, 0 without profiles. */
    static double rate(long profiles, long conversions) {
        return profiles == 0 ? 0.0 : (double) conversions / profiles;
    }

    /** The Wilson score 95% interval of {@code conversions / profiles}; [0, 1] without profiles. */
    static Interval wilson95(long profiles, long conversions) {
        RateInterval interval = RateInterval.wilson95(profiles, conversions);
        return new Interval(interval.low(), interval.high());
    }

    /**
     * For each arm, the probability that its rate is the highest; null when it cannot be said: a single arm,
     * or more arms (or profiles) than the computation takes.
     */
    static double[] probabilityBest(long[] profiles, long[] conversions) {
        if (profiles.length < 2 || profiles.length > BetaPosteriors.MAX_ARMS
                || Arrays.stream(profiles).anyMatch(n -> n > BetaPosteriors.MAX_PROFILES)) {
            return null;
        }
        return BetaPosteriors.probabilityBest(profiles, conversions);
    }
}
