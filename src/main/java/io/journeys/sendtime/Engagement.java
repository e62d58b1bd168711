package io.journeys.sendtime;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.Arrays;

/**
 * When one profile engages on one channel: a weight per local hour of the week, each engagement adding 1 at its
 * hour, every weight halving every {@code halfLife} (so a habit of last winter fades), and at most
 * {@link #MOST_HOURS} hours kept (the lightest go first), which bounds the state a profile costs. Decay is applied
 * lazily: the weights are as of {@link #asOf()}, and {@link #weightsAt} brings them to another instant.
 */
public final class Engagement {

    /** The most hours of the week kept per profile and channel. */
    public static final int MOST_HOURS = 24;

    private final int[] hours;
    private final double[] weights;
    private final long asOf;

    private Engagement(int[] hours, double[] weights, long asOf) {
        this.hours = hours;
        this.weights = weights;
        this.asOf = asOf;
    }

    public static Engagement none() {
        return new Engagement(new int[0], new double[0], 0L);
    }

    /** As kept in state: the hours, their weights as of {@code asOf} (epoch ms). */
    public static Engagement of(int[] hours, double[] weights, long asOf) {
        if (hours.length != weights.length || hours.length > MOST_HOURS) {
            throw new IllegalArgumentException("Expected as many hours as weights, at most " + MOST_HOURS
                    + ", but found " + hours.length + " and " + weights.length);
        }
        return new Engagement(hours.clone(), weights.clone(), asOf);
    }

    public int[] hours() {
        return hours.clone();
    }

    public double[] weights() {
        return weights.clone();
    }

    public long asOf() {
        return asOf;
    }

    public boolean isEmpty() {
        return hours.length == 0;
    }

    /** This engagement with one more, at {@code at} in {@code zone}; the others decayed to {@code at} first. */
    public Engagement plus(Instant at, ZoneId zone, Duration halfLife) {
        long when = Math.max(at.toEpochMilli(), asOf); // a late event does not make the weights younger
        double factor = decay(when - asOf, halfLife);
        int hour = HoursOfWeek.of(at, zone);
        int[] newHours = Arrays.copyOf(hours, hours.length + 1);
        double[] newWeights = new double[weights.length + 1];
        int found = -1;
        for (int i = 0; i < hours.length; i++) {
            newWeights[i] = weights[i] * factor;
            if (hours[i] == hour) {
                found = i;
            }
        }
        double added = decay(when - at.toEpochMilli(), halfLife);
        if (found >= 0) {
            newWeights[found] += added;
            return trimmed(Arrays.copyOf(newHours, hours.length), Arrays.copyOf(newWeights, hours.length), when);
        }
        newHours[hours.length] = hour;
        newWeights[hours.length] = added;
        return trimmed(newHours, newWeights, when);
    }

    /** The weight of every hour of the week at {@code now} (a new array of {@link HoursOfWeek#COUNT}). */
    public double[] weightsAt(Instant now, Duration halfLife) {
        double factor = decay(Math.max(0, now.toEpochMilli() - asOf), halfLife);
        double[] all = new double[HoursOfWeek.COUNT];
        for (int i = 0; i < hours.length; i++) {
            all[hours[i]] = weights[i] * factor;
        }
        return all;
    }

    /** The sum of the weights at {@code now}: how much the profile's own habit weighs against the population's. */
    public double totalAt(Instant now, Duration halfLife) {
        double total = 0;
        for (double weight : weights) {
            total += weight;
        }
        return total * decay(Math.max(0, now.toEpochMilli() - asOf), halfLife);
    }

    static double decay(long millis, Duration halfLife) {
        return Math.pow(0.5, (double) millis / halfLife.toMillis());
    }

    private static Engagement trimmed(int[] hours, double[] weights, long asOf) {
        if (hours.length <= MOST_HOURS) {
            return new Engagement(hours, weights, asOf);
        }
        int lightest = 0;
        for (int i = 1; i < weights.length; i++) {
            if (weights[i] < weights[lightest]) {
                lightest = i;
            }
        }
        int[] keptHours = new int[hours.length - 1];
        double[] keptWeights = new double[hours.length - 1];
        for (int i = 0, j = 0; i < hours.length; i++) {
            if (i != lightest) {
                keptHours[j] = hours[i];
                keptWeights[j++] = weights[i];
            }
        }
        return new Engagement(keptHours, keptWeights, asOf);
    }
}
