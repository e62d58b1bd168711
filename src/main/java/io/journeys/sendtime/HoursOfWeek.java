package io.journeys.sendtime;

import java.time.Instant;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.temporal.ChronoUnit;

/**
 * The 168 local hours of a week, Monday 00:00-01:00 being hour 0: what send-time optimisation learns and chooses
 * in. Hours are local to a zone, so the population's "hour 19 of Tuesday" is Tuesday 19:00 wherever a profile lives.
 */
public final class HoursOfWeek {

    public static final int COUNT = 7 * 24;

    private HoursOfWeek() {}

    /** The local hour of the week {@code at} is in. */
    public static int of(Instant at, ZoneId zone) {
        LocalDateTime local = at.atZone(zone).toLocalDateTime();
        return (local.getDayOfWeek().getValue() - 1) * 24 + local.getHour();
    }

    /**
     * The starts of the local hours from {@code from} (itself first: it may be inside an hour) to before
     * {@code until}, each the top of a local hour. A local hour that a daylight-saving change skips is not there;
     * one it repeats is there twice (each start is an instant).
     */
    public static java.util.List<Instant> startsBetween(Instant from, Instant until, ZoneId zone) {
        java.util.List<Instant> starts = new java.util.ArrayList<>();
        if (!from.isBefore(until)) {
            return starts;
        }
        starts.add(from);
        ZonedDateTime hour = from.atZone(zone).truncatedTo(ChronoUnit.HOURS);
        while (true) {
            hour = hour.plusHours(1); // instant arithmetic: a repeated local hour comes twice, a skipped one never
            Instant start = hour.toInstant();
            if (!start.isBefore(until)) {
                return starts;
            }
            starts.add(start);
        }
    }

    /** The sum of weights by hour: how much a profile or a population weighs. */
    static double total(double[] weights) {
        double total = 0;
        for (double weight : weights) {
            total += weight;
        }
        return total;
    }

    /** The local date and hour of an hour of the week, for messages and tests: "Tue 19:00". */
    public static String name(int hourOfWeek) {
        String[] days = {"Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"};
        return days[hourOfWeek / 24] + " " + LocalTime.of(hourOfWeek % 24, 0);
    }
}
