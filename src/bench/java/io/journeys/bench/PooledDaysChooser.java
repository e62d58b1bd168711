package io.journeys.bench;

import io.journeys.sendtime.Engagement;
import io.journeys.sendtime.HoursOfWeek;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.List;

/**
 * A proposed change to {@link io.journeys.sendtime.SendTimeChooser}, measured beside it by
 * {@link SendTimeEvaluation} (not exploring, so that it compares with "model, not exploring"): before the
 * shrinkage towards the population, a share {@code pooling} of the profile's own weight at an hour of the week is
 * spread over the same hour of the seven days. A habit of 19:00 seen on Monday and Wednesday then counts on
 * Thursday too: with the few engagements a profile has (a handful in 12 weeks), hours of the week alone leave
 * most 24-hour windows with nothing of the profile's own in them, and the population decides. The population's
 * own weights are not pooled (it has thousands of engagements per hour).
 */
final class PooledDaysChooser {

    private static final double[] KERNEL = {0.25, 0.5, 0.25};

    private final Duration halfLife;
    private final double priorStrength;
    private final double pooling;

    PooledDaysChooser(Duration halfLife, double priorStrength, double pooling) {
        this.halfLife = halfLife;
        this.priorStrength = priorStrength;
        this.pooling = pooling;
    }

    Instant choose(Instant now, Duration within, ZoneId zone, Engagement own, double[] population) {
        double[] mine = smoothed(own.weightsAt(now, halfLife));
        double[] days = new double[24];
        double ownTotal = 0;
        for (int h = 0; h < mine.length; h++) {
            days[h % 24] += mine[h];
            ownTotal += mine[h];
        }
        double[] prior = smoothed(population);
        double priorTotal = 0;
        for (double weight : prior) {
            priorTotal += weight;
        }
        Instant best = now;
        double bestScore = Double.NEGATIVE_INFINITY;
        for (Instant candidate : HoursOfWeek.startsBetween(now, now.plus(within), zone)) {
            int h = HoursOfWeek.of(candidate, zone);
            double pooled = (1 - pooling) * mine[h] + pooling * days[h % 24] / 7;
            double score = (pooled + priorStrength * prior[h] / priorTotal) / (ownTotal + priorStrength);
            if (score > bestScore) {
                best = candidate;
                bestScore = score;
            }
        }
        return best;
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
}
