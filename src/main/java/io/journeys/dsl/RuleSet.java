package io.journeys.dsl;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.List;
import java.util.Set;

/**
 * Delivery rules shared by the journeys that name this set ({@code "rules": id}): caps on how often a profile is
 * messaged, quiet hours, and caps on entries and on live instances. A rule set is a document of its own
 * ({@code "kind": "rules"}), versioned and published like a journey; a journey follows the set's highest version
 * published by the instant it acts.
 *
 * @param fallbackTimeZone the zone of a profile without a valid {@code timeZone} attribute, for rules in the profile's zone
 * @param publishedAt when this version takes effect (simulation), or null for "before everything"
 * @param entries the entry and concurrency caps, or null for none
 */
public record RuleSet(String id, int version, String name, ZoneId fallbackTimeZone, Instant publishedAt,
        List<Frequency> frequency, List<QuietHours> quietHours, Entries entries, String source) {

    /** At most {@code max} action requests on {@code channels} per calendar window, counted across the set's journeys. */
    public record Frequency(String id, Set<Channel> channels, int max, CalendarWindow per, ZoneChoice timeZone) {}

    /**
     * No action on {@code channels} inside {@code period}: held until it ends ({@code discard} false; for at most
     * {@code maxHold} after the action was reached) or the instance ends ({@code discard} true).
     */
    public record QuietHours(String id, Set<Channel> channels, WeeklyPeriod period, ZoneChoice timeZone,
            boolean discard, Duration maxHold) {}

    /**
     * At most {@code max} entries per window into the set's journeys (0: no such cap), and at most
     * {@code maxConcurrent} live instances of them at once (0: no such cap).
     */
    public record Entries(int max, CalendarWindow per, ZoneChoice timeZone, int maxConcurrent) {}

    /** Whether this version has been published by {@code now}. */
    public boolean publishedBy(Instant now) {
        return publishedAt == null || !now.isBefore(publishedAt);
    }

    /** Whether some frequency rule counts actions on this channel. */
    public boolean capsChannel(Channel channel) {
        for (Frequency rule : frequency) { // on every ruled send: no stream
            if (rule.channels().contains(channel)) {
                return true;
            }
        }
        return false;
    }
}
