package io.journeys.sendtime;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.HashMap;
import java.util.Map;

/**
 * The population of one engagement kind, everyone's and per zone, and the population a profile's choice goes
 * by: its zone's, shrunk toward everyone's. Local hours differ by zone in more than the clock (a Tokyo commute is
 * not a Paris one), but a zone with a few engagements says little: its prior is zone_h + κ·everyone_h/everyone,
 * so a zone with few engagements follows everyone and one with many its own (κ = the chooser's
 * {@code minimumPopulation}, the weight from which a population is trusted at all). Mutable: in simulation
 * engagements are added as they come, in the Kafka job the counter's snapshots replace the ones before.
 */
public final class ZonePopulations {

    /** Everyone's; null until the first engagement or snapshot. */
    private PopulationHours everyone;
    private final Map<String, PopulationHours> zones = new HashMap<>();

    /** Simulation: one engagement at {@code at}, local hour in {@code zone}, counts for everyone and its zone. */
    public void add(Instant at, ZoneId zone, Duration halfLife) {
        if (everyone == null) {
            everyone = new PopulationHours();
        }
        everyone.add(at, zone, halfLife);
        zones.computeIfAbsent(zone.getId(), id -> new PopulationHours()).add(at, zone, halfLife);
    }

    /** Kafka job: a snapshot of everyone's ({@code zone} null) or of one zone's, replacing the one before. */
    public void replace(String zone, PopulationHours hours) {
        if (zone == null) {
            everyone = hours;
        } else {
            zones.put(zone, hours);
        }
    }

    /**
     * The population weights a profile in {@code zone} chooses by at {@code now}: its zone's blended with
     * everyone's (see {@link #blend}); null when nothing is known.
     */
    public double[] weightsFor(ZoneId zone, Instant now, Duration halfLife, double strength) {
        PopulationHours own = zones.get(zone.getId());
        return blend(own == null ? null : own.weightsAt(now, halfLife),
                everyone == null ? null : everyone.weightsAt(now, halfLife), strength);
    }

    /**
     * A zone's weights shrunk toward everyone's: zone_h + strength·everyone_h/everyone. A zone without data gets
     * everyone's as it is; while everyone's weighs less than {@code strength} it is returned as it is too, not
     * trusted by the chooser either (blending would lift its total to {@code strength} and make it look trusted).
     * Null when both are.
     */
    public static double[] blend(double[] zone, double[] everyone, double strength) {
        if (everyone == null) {
            return zone; // a zone's snapshot before everyone's: momentary, and never more than everyone's
        }
        double everyoneTotal = HoursOfWeek.total(everyone);
        if (zone == null || HoursOfWeek.total(zone) == 0 || everyoneTotal < strength) {
            return everyone;
        }
        double[] blended = new double[HoursOfWeek.COUNT];
        for (int h = 0; h < blended.length; h++) {
            blended[h] = zone[h] + strength * everyone[h] / everyoneTotal;
        }
        return blended;
    }
}
