package io.journeys.report;

import io.journeys.report.JourneyReport.SendTimeCounts;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The send times chosen at one step with {@code sendTime}, from the step events that carry them ({@code sendAt},
 * {@code sendHourOfWeek}, {@code sendBasis}: one event per choice, the waiting one, or the executed one when the
 * message went at once). A sum over events, so any interleaving of instances gives the same tally.
 */
final class SendTimeTally {

    /** The bases the engine names, in the order a report lists them (every one, 0 when none). */
    static final List<String> BASES = List.of("profile", "population", "atOnce", "explore");

    private long scheduled;
    private final long[] localHours = new long[24];
    private final long[] localDays = new long[7];
    private final Map<String, Long> byBasis = new TreeMap<>();
    /**
     * How long each message was held, from the instance's arrival (the event's timestamp) to the instant chosen,
     * in minutes, by count: exact percentiles in bounded memory, as a window is at most P7D (10,080 minutes).
     */
    private final TreeMap<Long, Long> delayMinutes = new TreeMap<>();
    private long delays;

    /** Whether an event carries a send-time choice (older engines' events never do). */
    static boolean carriesChoice(StepEventLine event) {
        return event.sendBasis() != null || event.sendAt() != null;
    }

    void add(StepEventLine event) {
        scheduled++;
        if (event.sendBasis() != null) {
            byBasis.merge(event.sendBasis(), 1L, Long::sum);
        }
        Integer hour = event.sendHourOfWeek();
        if (hour != null && hour >= 0 && hour < 7 * 24) {
            localHours[hour % 24]++;
            localDays[hour / 24]++;
        }
        Duration delay = delay(event);
        if (delay != null) {
            // to the nearest minute: an arrival at 06:00:17 sent at 07:00 was held 1h, not 59m
            delayMinutes.merge((delay.toSeconds() + 30) / 60, 1L, Long::sum);
            delays++;
        }
    }

    SendTimeCounts counts() {
        Map<String, Long> bases = new LinkedHashMap<>();
        BASES.forEach(b -> bases.put(b, byBasis.getOrDefault(b, 0L)));
        byBasis.forEach(bases::putIfAbsent); // a basis of a later engine, after the known ones
        return new SendTimeCounts(scheduled, bases, boxed(localHours), boxed(localDays), percentile(0.5),
                percentile(0.9));
    }

    /** The nearest-rank percentile of the delays (the smallest with at least that share at or below it). */
    private Duration percentile(double share) {
        if (delays == 0) {
            return null;
        }
        long rank = (long) Math.ceil(share * delays);
        long seen = 0;
        for (Map.Entry<Long, Long> entry : delayMinutes.entrySet()) {
            seen += entry.getValue();
            if (seen >= rank) {
                return Duration.ofMinutes(entry.getKey());
            }
        }
        throw new IllegalStateException("Expected the delays' counts to add up to " + delays);
    }

    /** From arrival to the chosen instant; null when the event lacks either or they do not parse. */
    private static Duration delay(StepEventLine event) {
        if (event.sendAt() == null || event.timestamp() == null) {
            return null;
        }
        try {
            Duration delay = Duration.between(Instant.parse(event.timestamp()), Instant.parse(event.sendAt()));
            return delay.isNegative() ? Duration.ZERO : delay;
        } catch (DateTimeParseException e) {
            return null;
        }
    }

    private static List<Long> boxed(long[] counts) {
        return Arrays.stream(counts).boxed().toList();
    }
}
