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
