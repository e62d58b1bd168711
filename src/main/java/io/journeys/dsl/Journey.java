package io.journeys.dsl;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;

/**
 * One version of a journey, as parsed and validated from its JSON document.
 *
 * @param useProfileTimeZone calendar functions use the profile's {@code timeZone} attribute when it holds a valid zone
 * @param startAt first instant that accepts entries, or null
 * @param endAt instant from which entries are refused, or null
 * @param publishedAt when this version takes effect (simulation), or null for "before everything"
 * @param source the JSON document it was parsed from, so the job can ship it to its tasks
 */
public record Journey(
        String id,
        int version,
        String name,
        JourneyStatus status,
        ZoneId timeZone,
        boolean useProfileTimeZone,
        Reentry reentry,
        Duration timeout,
        Entry entry,
        Instant startAt,
        Instant endAt,
        Instant publishedAt,
        List<ExitCriterion> exits,
        String start,
        Map<String, Step> steps,
        String source) {

    public Step step(String stepId) {
        Step step = steps.get(stepId);
        if (step == null) {
            throw new IllegalStateException(
                    "Expected step " + stepId + " in journey " + id + " v" + version + ", but it has none");
        }
        return step;
    }

    /** Whether a profile may enter this version at {@code now}, as far as status and window go. */
    public boolean acceptsEntriesAt(Instant now) {
        return status == JourneyStatus.LIVE
                && (startAt == null || !now.isBefore(startAt))
                && (endAt == null || now.isBefore(endAt));
    }

    /** Whether this version has been published by {@code now}. */
    public boolean publishedBy(Instant now) {
        return publishedAt == null || !now.isBefore(publishedAt);
    }

    /** Re-entry rule: {@code allowed=false} means once ever; else not before {@code waitPeriod} after the last entry. */
    public record Reentry(boolean allowed, Duration waitPeriod) {}

    /** Entry on a profile event of type {@code event} for which {@code when} (may be null) holds. */
    public record Entry(String event, String when) {}

    /** An event that ends the instance wherever it is. {@code when} may be null. */
    public record ExitCriterion(String event, String when) {}
}
