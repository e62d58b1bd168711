package io.journeys.bench;

import io.journeys.sendtime.HoursOfWeek;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Random;

/**
 * Profiles whose engagement hours are known, for {@link SendTimeEvaluation}: each has a zone, a propensity to open
 * and a true activity over the 168 local hours of its week (one or two habits of its own, each a bump around a
 * person-specific hour on some days, over a noisy background that is lower at night). The same law makes the
 * history the model learns from and scores the campaign, so the oracle is exact:
 *
 * <p>A message sent at t is seen in one of the {@link #HOURS_AFTER} hours after it, hour k with weight
 * a(hour(t + k)) · e^(-k / {@link #FRESHNESS_HOURS}) (the person is active then, and the message has not sunk in
 * the inbox yet); it is opened with probability propensity · q(t), where q(t) is that weighted activity over the
 * most it could be (1 in every hour). Hour granularity: a send at 19:40 counts as one at 19:00.
 */
final class GeneratedPopulation {

    static final List<ZoneId> ZONES = List.of(ZoneId.of("Europe/Paris"), ZoneId.of("America/New_York"),
            ZoneId.of("Asia/Tokyo"), ZoneId.of("America/Los_Angeles"), ZoneId.of("Australia/Sydney"),
            ZoneId.of("UTC"));

    static final int HOURS_AFTER = 24;
    static final double FRESHNESS_HOURS = 3.0;
    private static final double[] FRESHNESS = new double[HOURS_AFTER];
    private static final double FRESHNESS_TOTAL;

    static {
        double total = 0;
        for (int k = 0; k < HOURS_AFTER; k++) {
            FRESHNESS[k] = Math.exp(-k / FRESHNESS_HOURS);
            total += FRESHNESS[k];
        }
        FRESHNESS_TOTAL = total;
    }

    /** A kind of habit: the days it holds on (bit 0 Monday) and its usual local hour (fractional). */
    private record Habit(String name, int days, double hour) {}

    private static final int WEEKDAYS = 0b0011111;
    private static final int WEEKEND = 0b1100000;
    private static final int EVERY_DAY = 0b1111111;
    private static final List<Habit> HABITS = List.of(
            new Habit("weekday evening", WEEKDAYS, 20.0),
            new Habit("weekday lunch", WEEKDAYS, 12.5),
            new Habit("morning commute", WEEKDAYS, 7.5),
            new Habit("weekend late morning", WEEKEND, 10.5),
            new Habit("night owl", EVERY_DAY, 22.5),
            new Habit("every evening", EVERY_DAY, 19.0));

    /**
     * One profile: its zone, propensity, true activity (each hour in (0, 1]), the same without the noise of each
     * hour's background ({@code habits}: the background at its mean), and whether it has no history.
     */
    record Profile(int id, ZoneId zone, double propensity, double[] activity, double[] habits, boolean cold) {

        /** The true probability that a message sent at {@code at} is opened. */
        double openProbability(Instant at) {
            return openProbability(at, activity);
        }

        /**
         * What the probability would be if the person's activity were its habits alone: what the best a model can
         * learn from engagements is measured against, as no number of them reveals each hour's own noise.
         */
        double habitOpenProbability(Instant at) {
            return openProbability(at, habits);
        }

        private double openProbability(Instant at, double[] activity) {
            int[] hours = hoursAfter(at, zone);
            double seen = 0;
            for (int k = 0; k < HOURS_AFTER; k++) {
                seen += FRESHNESS[k] * activity[hours[k]];
            }
            return propensity * seen / FRESHNESS_TOTAL;
        }

        /**
         * When a message sent at {@code at} is opened, or null if it is not: drawn from the same law as
         * {@link #openProbability}, so the history's opens fall where the person is active.
         */
        Instant drawOpen(Instant at, Random random) {
            if (random.nextDouble() >= openProbability(at)) {
                return null;
            }
            int[] hours = hoursAfter(at, zone);
            double[] cumulative = new double[HOURS_AFTER];
            double total = 0;
            for (int k = 0; k < HOURS_AFTER; k++) {
                total += FRESHNESS[k] * activity[hours[k]];
                cumulative[k] = total;
            }
            double pick = random.nextDouble() * total;
            int k = 0;
            while (k < HOURS_AFTER - 1 && cumulative[k] <= pick) {
                k++;
            }
            ZonedDateTime hourStart = at.atZone(zone).truncatedTo(ChronoUnit.HOURS).plusHours(k);
            Instant from = k == 0 ? at : hourStart.toInstant();
            long rest = hourStart.toInstant().plus(1, ChronoUnit.HOURS).toEpochMilli() - from.toEpochMilli();
            return from.plusMillis((long) (random.nextDouble() * rest));
        }
    }

    private GeneratedPopulation() {}

    /** {@code count} profiles, a share {@code coldShare} of them without history, from {@code random}. */
    static Profile[] generate(int count, double coldShare, Random random) {
        Profile[] profiles = new Profile[count];
        for (int i = 0; i < count; i++) {
            ZoneId zone = ZONES.get(random.nextInt(ZONES.size()));
            double propensity = Math.min(1.0, Math.max(0.1, 0.7 + 0.2 * random.nextGaussian()));
            double[][] activity = activity(random);
            profiles[i] = new Profile(i, zone, propensity, activity[0], activity[1], random.nextDouble() < coldShare);
        }
        return profiles;
    }

    /**
     * {@code count} people drawn as the profiles are, their habits alone (the background at its mean): the prior
     * that {@link BayesCeiling} weighs against a profile's opens.
     */
    static double[][] habitsOfPeople(int count, Random random) {
        double[][] people = new double[count][];
        for (int i = 0; i < count; i++) {
            people[i] = activity(random)[1];
        }
        return people;
    }

    /** The weights of the hours after a send, e^(-k / {@link #FRESHNESS_HOURS}): how the law sees a message. */
    static double freshness(int hoursAfter) {
        return FRESHNESS[hoursAfter];
    }

    /**
     * A person's activity: a habit, sometimes a weaker second one, over background noise; and the same with the
     * background at its mean (the habits alone).
     */
    private static double[][] activity(Random random) {
        double[] activity = new double[HoursOfWeek.COUNT];
        double[] habits = new double[HoursOfWeek.COUNT];
        for (int h = 0; h < activity.length; h++) {
            double night = h % 24 < 7 ? 0.3 : 1.0;
            activity[h] = night * (0.03 + 0.07 * random.nextDouble()); // noise: no two hours alike
            habits[h] = night * 0.065;
        }
        Habit first = HABITS.get(random.nextInt(HABITS.size()));
        double centre = first.hour() + 1.5 * random.nextGaussian(); // moved by up to a couple of hours
        double spread = 0.5 + 1.5 * random.nextDouble(); // as wide as this person's
        addHabit(activity, habits, first, centre, spread, 1.0);
        if (random.nextDouble() < 0.4) {
            Habit second = HABITS.get(random.nextInt(HABITS.size()));
            centre = second.hour() + 1.5 * random.nextGaussian();
            spread = 0.5 + 1.5 * random.nextDouble();
            addHabit(activity, habits, second, centre, spread, 0.5);
        }
        for (int h = 0; h < activity.length; h++) {
            activity[h] = Math.min(1.0, activity[h]);
            habits[h] = Math.min(1.0, habits[h]);
        }
        return new double[][] {activity, habits};
    }

    /** A bump around {@code centre} as wide as {@code spread}, on the habit's days, added to both arrays. */
    private static void addHabit(double[] activity, double[] habits, Habit habit, double centre, double spread,
            double strength) {
        for (int day = 0; day < 7; day++) {
            if ((habit.days() & (1 << day)) == 0) {
                continue;
            }
            for (int offset = -6; offset <= 6; offset++) {
                double hour = Math.floor(centre) + offset;
                double distance = hour + 0.5 - centre;
                int h = Math.floorMod(day * 24 + (int) hour, HoursOfWeek.COUNT);
                double bump = strength * Math.exp(-distance * distance / (2 * spread * spread));
                activity[h] += bump;
                habits[h] += bump;
            }
        }
    }

    /** The local hours of the week of t, t + 1 h, ... (instant arithmetic: right across a daylight-saving change). */
    static int[] hoursAfter(Instant at, ZoneId zone) {
        int[] hours = new int[HOURS_AFTER];
        int first = HoursOfWeek.of(at, zone);
        Instant last = at.plus(HOURS_AFTER - 1, ChronoUnit.HOURS);
        boolean sameOffset = zone.getRules().getOffset(at).equals(zone.getRules().getOffset(last));
        for (int k = 0; k < HOURS_AFTER; k++) {
            hours[k] = sameOffset ? (first + k) % HoursOfWeek.COUNT
                    : HoursOfWeek.of(at.plus(k, ChronoUnit.HOURS), zone);
        }
        return hours;
    }
}
