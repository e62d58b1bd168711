package io.journeys.sendtime;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;

/**
 * When a whole population engages on one channel: every engagement of every profile counted at its local hour
 * of the week (in that profile's zone), decayed as a profile's own ({@link Engagement}). What a profile with little
 * or no history of its own follows. Mutable: the job keeps one per channel and adds to it as engagements arrive.
 */
public final class PopulationHours {

    private final double[] weights = new double[HoursOfWeek.COUNT];
    private long asOf;

    /** As kept in state or published: the weights of the hours of the week as of {@code asOf} (epoch ms). */
    public static PopulationHours of(double[] weights, long asOf) {
        if (weights.length != HoursOfWeek.COUNT) {
            throw new IllegalArgumentException("Expected " + HoursOfWeek.COUNT + " weights, but found " + weights.length);
        }
        PopulationHours hours = new PopulationHours();
        System.arraycopy(weights, 0, hours.weights, 0, weights.length);
        hours.asOf = asOf;
        return hours;
    }

    /** Counts one engagement at {@code at}, local hour in {@code zone}. */
    public void add(Instant at, ZoneId zone, Duration halfLife) {
        add(HoursOfWeek.of(at, zone), at.toEpochMilli(), 1.0, halfLife);
    }

    /** Adds {@code weight} as of {@code at} (epoch ms) to an hour of the week. */
    public void add(int hourOfWeek, long at, double weight, Duration halfLife) {
        if (at > asOf) {
            double factor = Engagement.decay(at - asOf, halfLife);
            for (int h = 0; h < weights.length; h++) {
                weights[h] *= factor;
            }
            asOf = at;
        }
        weights[hourOfWeek] += weight * Engagement.decay(asOf - at, halfLife);
    }

    /** The epoch ms the weights are decayed to: the latest engagement counted. */
    public long asOf() {
        return asOf;
    }

    /** The weight of every hour at {@code now} (a new array). */
    public double[] weightsAt(Instant now, Duration halfLife) {
        double factor = Engagement.decay(Math.max(0, now.toEpochMilli() - asOf), halfLife);
        double[] all = new double[HoursOfWeek.COUNT];
        for (int h = 0; h < all.length; h++) {
            all[h] = weights[h] * factor;
        }
        return all;
    }
}
