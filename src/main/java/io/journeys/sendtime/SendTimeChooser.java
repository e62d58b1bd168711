package io.journeys.sendtime;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.List;

/**
 * Chooses when to send a message within a window: at the start of the local hour (or now, in the current one)
 * where the profile is most likely to engage with it. Four steps, each measured by the evaluation in
 * BENCHMARKS.md ("Send-time optimisation"):
 *
 * <ol>
 *   <li><b>Smoothing.</b> A profile's decayed engagements are spread over the neighbouring hours (a habit at
 *       19:00 says something of 18:00 and 20:00; people are not punctual).
 *   <li><b>Pooling over the days.</b> A profile has a few engagements a month, scattered over the 168 hours, and
 *       one at 19:00 on a Monday says something of 19:00 on a Thursday. Each hour of the week is shrunk towards
 *       the same hour of the profile's other days, half towards its own kind of day (weekdays or the weekend)
 *       and half towards all seven, by a share {@code c / (c + n)} with {@code c = dayPooling} and {@code n}
 *       the profile's own weight: a thin profile is read by hour of the day, one with many engagements keeps
 *       its weekly detail (a Friday habit).
 *   <li><b>Shrinkage towards the population.</b> The score of an hour is the posterior mean of a Dirichlet whose
 *       prior is the population's distribution (smoothed) with strength {@code priorStrength}, updated by the
 *       profile's pooled weights: {@code (n_h + α·π_h) / (n + α)}. A profile with an engagement or two follows
 *       the population; one with many, its own habit.
 *   <li><b>Attention.</b> What is learnt is when the profile engages, but what is chosen is when to send, and a
 *       message is engaged with when the person next looks, most likely in the first hours: a send at hour t
 *       scores {@code Σ_k e^(-k/τ) · p(t + k)} over the next 24 hours, with {@code τ = attention}. This moves a
 *       send to just before a habit rather than into it, and reads a habit as a whole rather than as its single
 *       heaviest hour.
 * </ol>
 *
 * <p>Without population data, a profile with at least {@code minimumOwn} engagements follows its own; else the
 * message goes at once. A share of sends, chosen by a stable hash, explores an hour of the window at random, so
 * that the model keeps learning and a replay gives the same instants.
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
     * @param dayPooling the profile weight at which an hour of the week is half its own, half pooled over the
     *     days (0: no pooling)
     * @param attention how long a sent message keeps the person's attention: the decay time of the weight of
     *     each later hour in a send's score (zero: only the hour sent in counts)
     */
    public record Settings(Duration halfLife, double priorStrength, double minimumPopulation, double minimumOwn,
            int exploreBasisPoints, double dayPooling, Duration attention) {

        public static final Settings DEFAULT = new Settings(Duration.ofDays(28), 2.0, 50.0, 3.0, 500, 20.0,
                Duration.ofHours(3));

        public Settings withExploreBasisPoints(int basisPoints) {
            return new Settings(halfLife, priorStrength, minimumPopulation, minimumOwn, basisPoints, dayPooling,
                    attention);
        }

        public Settings withDayPooling(double strength) {
            return new Settings(halfLife, priorStrength, minimumPopulation, minimumOwn, exploreBasisPoints, strength,
                    attention);
        }

        public Settings withAttention(Duration decay) {
            return new Settings(halfLife, priorStrength, minimumPopulation, minimumOwn, exploreBasisPoints,
                    dayPooling, decay);
        }
    }

    /** The hours after a send that its score looks at: a day, as an engagement a day later is not its own. */
    private static final int ATTENTION_HOURS = 24;
    private static final double[] OWN_KERNEL = {0.1, 0.2, 0.4, 0.2, 0.1};
    private static final double[] POPULATION_KERNEL = {0.25, 0.5, 0.25};
    /** The share of the pooling that goes to the profile's own kind of day (weekdays, the weekend). */
    private static final double SAME_KIND_OF_DAY = 0.5;
    private static final int WEEKDAYS = 5;

    private final Settings settings;
    /** e^(-k/τ) for the hours after a send, {1} when attention is zero. */
    private final double[] attentionWeights;

    public SendTimeChooser(Settings settings) {
        this.settings = settings;
        this.attentionWeights = attentionWeights(settings.attention());
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
        Blend blend = blend(now, own, population);
        if (blend == null) {
            return new Choice(now, HoursOfWeek.of(now, zone), Basis.AT_ONCE);
        }
        double[] engagement = blend.engagement();
        Instant best = candidates.get(0);
        int bestHour = HoursOfWeek.of(best, zone);
        double bestScore = Double.NEGATIVE_INFINITY;
        for (Instant candidate : candidates) {
            int hour = HoursOfWeek.of(candidate, zone);
            double score = sendScore(engagement, hour);
            if (score > bestScore) { // ties: the earliest
                best = candidate;
                bestHour = hour;
                bestScore = score;
            }
        }
        // why: whichever part of the blend gave the chosen hour more of its score
        Basis basis = sendScore(blend.own(), bestHour) >= sendScore(blend.population(), bestHour)
                ? Basis.PROFILE : Basis.POPULATION;
        return new Choice(best, bestHour, basis);
    }

    /**
     * How likely the profile is to engage in each hour of the week, in two parts that add up: its own pooled
     * weights and the population's prior, each over their total plus the prior's strength.
     */
    private record Blend(double[] own, double[] population) {

        double[] engagement() {
            double[] sum = new double[own.length];
            for (int h = 0; h < sum.length; h++) {
                sum[h] = own[h] + population[h];
            }
            return sum;
        }
    }

    /**
     * The profile's own pooled weights shrunk towards the population (without a population, its own alone), or
     * null when nothing is known to choose by.
     */
    private Blend blend(Instant now, Engagement own, double[] population) {
        double[] mine = own == null ? new double[HoursOfWeek.COUNT]
                : pooledOverDays(smoothed(own.weightsAt(now, settings.halfLife()), OWN_KERNEL));
        double ownTotal = HoursOfWeek.total(mine);
        boolean populationKnown = population != null && HoursOfWeek.total(population) >= settings.minimumPopulation();
        if (!populationKnown) {
            return ownTotal >= settings.minimumOwn() ? new Blend(mine, new double[HoursOfWeek.COUNT]) : null;
        }
        double[] prior = smoothed(population, POPULATION_KERNEL);
        double priorTotal = HoursOfWeek.total(prior);
        double alpha = settings.priorStrength();
        double[] ownPart = new double[HoursOfWeek.COUNT];
        double[] populationPart = new double[HoursOfWeek.COUNT];
        for (int h = 0; h < ownPart.length; h++) { // the posterior mean (n_h + α·π_h) / (n + α), in its two parts
            ownPart[h] = mine[h] / (ownTotal + alpha);
            populationPart[h] = alpha * prior[h] / priorTotal / (ownTotal + alpha);
        }
        return new Blend(ownPart, populationPart);
    }

    /** Each hour's share shrunk towards the same hour of the other days, the less the more the profile weighs. */
    private double[] pooledOverDays(double[] weights) {
        double total = HoursOfWeek.total(weights);
        if (settings.dayPooling() == 0 || total == 0) {
            return weights;
        }
        double share = settings.dayPooling() / (settings.dayPooling() + total);
        double[] weekdays = new double[24];
        double[] weekend = new double[24];
        for (int h = 0; h < weights.length; h++) {
            (h / 24 < WEEKDAYS ? weekdays : weekend)[h % 24] += weights[h];
        }
        double[] pooled = new double[weights.length];
        for (int h = 0; h < weights.length; h++) {
            int hour = h % 24;
            double everyDay = (weekdays[hour] + weekend[hour]) / 7;
            double sameKind = h / 24 < WEEKDAYS ? weekdays[hour] / WEEKDAYS : weekend[hour] / (7 - WEEKDAYS);
            // each part keeps the total: the profile's weight against the prior is unchanged
            pooled[h] = (1 - share) * weights[h]
                    + share * (SAME_KIND_OF_DAY * sameKind + (1 - SAME_KIND_OF_DAY) * everyDay);
        }
        return pooled;
    }

    /**
     * The score of sending at an hour of the week: the engagement expected in it and the hours after, as attention
     * fades. Computed for the window's hours only (a day's window has 25 of the 168).
     */
    private double sendScore(double[] engagement, int hourOfWeek) {
        double score = 0;
        for (int k = 0; k < attentionWeights.length; k++) {
            score += attentionWeights[k] * engagement[(hourOfWeek + k) % engagement.length];
        }
        return score;
    }

    private static double[] attentionWeights(Duration attention) {
        if (attention.isZero()) {
            return new double[] {1};
        }
        double hours = attention.toMillis() / 3_600_000.0;
        double[] weights = new double[ATTENTION_HOURS];
        for (int k = 0; k < weights.length; k++) {
            weights[k] = Math.exp(-k / hours);
        }
        return weights;
    }

    private static double[] smoothed(double[] weights, double[] kernel) {
        int radius = kernel.length / 2;
        double[] smooth = new double[weights.length];
        for (int h = 0; h < weights.length; h++) {
            for (int k = -radius; k <= radius; k++) {
                smooth[h] += kernel[k + radius] * weights[Math.floorMod(h + k, weights.length)];
            }
        }
        return smooth;
    }
}
