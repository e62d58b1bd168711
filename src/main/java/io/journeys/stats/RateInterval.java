package io.journeys.stats;

/**
 * A range of plausible values of a conversion rate, within [0, 1].
 *
 * @param low the lower bound, at least 0
 * @param high the upper bound, at least {@code low} and at most 1
 */
public record RateInterval(double low, double high) {

    /** The standard normal quantile of 0.975: a two-sided 95% interval. */
    static final double Z95 = 1.959963984540054;

    public RateInterval {
        // written as negations so that NaN fails too
        if (!(0 <= low && low <= high && high <= 1)) {
            throw new IllegalArgumentException("Expected 0 <= low <= high <= 1, but found low = " + low
                    + " and high = " + high);
        }
    }

    /**
     * The 95% Wilson score interval of the rate {@code conversions / profiles}: the rates p for which the
     * observed count is within z = 1.96 standard errors of n·p, the standard error taken at p itself.
     * Why Wilson rather than the textbook p̂ ± z·√(p̂(1-p̂)/n): that one collapses to a point when there are
     * no conversions or only conversions, can leave [0, 1], and covers the rate far less than 95% of the time
     * for small counts, which is what a new arm has; Wilson's coverage stays close to 95% and it stays in
     * [0, 1]. With no profiles nothing is known: [0, 1].
     *
     * @param profiles n, at least 0
     * @param conversions c, between 0 and n
     * @throws IllegalArgumentException if a count is negative or there are more conversions than profiles
     */
    public static RateInterval wilson95(long profiles, long conversions) {
        if (profiles < 0) {
            throw new IllegalArgumentException("Expected profiles >= 0, but found " + profiles);
        }
        if (conversions < 0 || conversions > profiles) {
            throw new IllegalArgumentException("Expected conversions between 0 and profiles = " + profiles
                    + ", but found " + conversions);
        }
        if (profiles == 0) {
            return new RateInterval(0, 1);
        }
        double n = profiles;
        double c = conversions;
        double z2 = Z95 * Z95;
        // (c + z²/2 ± z·√(c(n-c)/n + z²/4)) / (n + z²), the usual formula multiplied through by n
        double centre = (c + z2 / 2) / (n + z2);
        double half = Z95 * Math.sqrt(c * (n - c) / n + z2 / 4) / (n + z2);
        // at c = 0 (c = n) the bound is exactly 0 (1); the formula gets it only up to rounding
        double low = conversions == 0 ? 0 : Math.max(0, centre - half);
        double high = conversions == profiles ? 1 : Math.min(1, centre + half);
        return new RateInterval(low, high);
    }
}
