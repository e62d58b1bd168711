package io.journeys.sendtime;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.List;

/**
 * Chooses when to send a message within a window: at the start of the local hour (or now, in the current one)
 * where the profile is most likely to engage. The score of an hour of the week is the posterior mean of a
 * Dirichlet whose prior is the population's distribution with strength {@code priorStrength}, updated by the
 * profile's own decayed engagements (Bayesian shrinkage): (n_h + α·π_h) / (N + α). A profile with a few
 * engagements follows the population; one with many, its own habit. Both are smoothed over the neighbouring hours
 * (a habit at 19:00 says something of 18:00 and 20:00), and a share {@code dayPooling} of the profile's weight at
 * each hour is spread over the same hour of the seven days: a profile has a few opens a month, scattered over the
 * 168 hours, and one at 19:00 on a Monday says something of 19:00 on a Thursday (the evaluation in BENCHMARKS.md:
 * +14% opens on warm profiles). The population, with thousands of engagements an hour, is not pooled. Without population data, a profile with at least
 * {@code minimumOwn} engagements follows its own; else the message goes at once. A share of sends, chosen by a
 * stable hash, explores an hour of the window at random, so that the model keeps learning and a replay gives the
 * same instants.
 */
public final class SendTimeChooser {

    /** Why an instant was chosen. */
    public enum Basis { PROFILE, POPULATION, AT_ONCE, EXPLORE }

    /** The instant to send at, the local hour of the week it is in, and why. */
    public record Choice(Instant at, int hourOfWeek, Basis basis) {}

    /**
     * @param halfLife how fast engagements fade (profile and population alike)
     * @param priorStrength how many of its own engagements a profile needs to weigh as much as the population
     * @param minimumPopulation the population weight below which the population is not trusted
     * @param minimumOwn the profile weight from which its own habit alone decides, without a population
     * @param exploreBasisPoints the share of sends that explore, in 1/10,000
     * @param dayPooling the share of a profile's weight at an hour spread over the same hour of every day
     */
    public record Settings(Duration halfLife, double priorStrength, double minimumPopulation, double minimumOwn,
            int exploreBasisPoints, double dayPooling) {

        public static final Settings DEFAULT = new Settings(Duration.ofDays(28), 4.0, 50.0, 3.0, 500, 0.7);
    }

    private static final double[] KERNEL = {0.25, 0.5, 0.25};

    private final Settings settings;

    public SendTimeChooser(Settings settings) {
        this.settings = settings;
    }

    public Settings settings() {
        return settings;
    }

    /**
     * The instant in [now, now + within) to send at, for a profile in {@code zone} with its {@code own}
     * engagement, given the population's weights at now (null or all zero: none) and a stable {@code hash} of
     * the send (profile, journey, step, visit).
     */
    public Choice choose(Instant now, Duration within, ZoneId zone, Engagement own, double[] population, long hash) {
        List<Instant> candidates = HoursOfWeek.startsBetween(now, now.plus(within), zone);
        long bucket = Math.floorMod(hash, 10_000L);
        if (bucket < settings.exploreBasisPoints() && candidates.size() > 1) {
            Instant at = candidates.get((int) Math.floorMod(hash / 10_000L, (long) candidates.size()));
            return new Choice(at, HoursOfWeek.of(at, zone), Basis.EXPLORE);
        }
        double[] scores = scores(now, own, population);
        if (scores == null) {
            return new Choice(now, HoursOfWeek.of(now, zone), Basis.AT_ONCE);
        }
        Instant best = candidates.get(0);
        double bestScore = Double.NEGATIVE_INFINITY;
        for (Instant candidate : candidates) {
            double score = scores[HoursOfWeek.of(candidate, zone)];
            if (score > bestScore) { // ties: the earliest
                best = candidate;
                bestScore = score;
            }
        }
        double ownTotal = own == null ? 0 : own.totalAt(now, settings.halfLife());
        Basis basis = population == null || total(population) < settings.minimumPopulation()
                || ownTotal >= settings.priorStrength() ? Basis.PROFILE : Basis.POPULATION;
        return new Choice(best, HoursOfWeek.of(best, zone), basis);
    }

    /** The score of every hour of the week, or null when nothing is known to choose by. */
    double[] scores(Instant now, Engagement own, double[] population) {
        double[] mine = own == null ? new double[HoursOfWeek.COUNT]
                : pooledOverDays(smoothed(own.weightsAt(now, settings.halfLife())));
        double ownTotal = total(mine);
        boolean populationKnown = population != null && total(population) >= settings.minimumPopulation();
        if (!populationKnown) {
            return ownTotal >= settings.minimumOwn() ? mine : null;
        }
        double[] prior = smoothed(population);
        double priorTotal = total(prior);
        double alpha = settings.priorStrength();
        double[] scores = new double[HoursOfWeek.COUNT];
        for (int h = 0; h < scores.length; h++) {
            scores[h] = (mine[h] + alpha * prior[h] / priorTotal) / (ownTotal + alpha);
        }
        return scores;
    }

    private double[] pooledOverDays(double[] weights) {
        double share = settings.dayPooling();
        if (share == 0) {
            return weights;
        }
        double[] byHourOfDay = new double[24];
        for (int h = 0; h < weights.length; h++) {
            byHourOfDay[h % 24] += weights[h];
        }
        double[] pooled = new double[weights.length];
        for (int h = 0; h < weights.length; h++) {
            pooled[h] = (1 - share) * weights[h] + share * byHourOfDay[h % 24] / 7; // the total stays the same
        }
        return pooled;
    }

    private static double[] smoothed(double[] weights) {
        double[] smooth = new double[weights.length];
        for (int h = 0; h < weights.length; h++) {
            for (int k = -1; k <= 1; k++) {
                smooth[h] += KERNEL[k + 1] * weights[Math.floorMod(h + k, weights.length)];
            }
        }
        return smooth;
    }

    private static double total(double[] weights) {
        double total = 0;
        for (double weight : weights) {
            total += weight;
        }
        return total;
    }
}
