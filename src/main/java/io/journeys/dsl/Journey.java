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
 * @param goals what the journey is for: events that convert an instance within a window after its entry
 * @param rules the id of the rule set whose delivery rules apply to the journey, or null for none
 * @param priority which journeys an input enters first when a rule set leaves room for fewer (0-100, higher first)
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
        List<Goal> goals,
        String rules,
        int priority,
        String source) {

    public static final int DEFAULT_PRIORITY = 50;

    /** The goal of this id, or null. */
    public Goal goal(String goalId) {
        return goals.stream().filter(g -> g.id().equals(goalId)).findFirst().orElse(null);
    }

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

    /**
     * Re-entry rule: {@code allowed=false} means once ever; else not before {@code waitPeriod} after the last
     * entry (zero: as soon as the previous instance has ended).
     */
    public record Reentry(boolean allowed, Duration waitPeriod) {}

    /**
     * How profiles enter: on an event of type {@code event}; on each export of {@code audience} (at most
     * {@code rate} profiles per second; {@code once}: a profile enters from one export only;
     * {@code incremental}: only members that were not in the previous export); or when a profile
     * qualifies for {@code audience} ({@code on} "enter") or leaves it ("exit"). {@code when} (may be
     * null) filters every kind.
     */
    public record Entry(EntryType type, String event, String when, String audience, String on, int rate, boolean once,
            boolean incremental) {

        public static final int DEFAULT_RATE = 5_000;

        /** Entry on an event. */
        public Entry(String event, String when) {
            this(EntryType.EVENT, event, when, null, null, DEFAULT_RATE, false, false);
        }
    }

    /** What ends the instance wherever it is: an event (filtered by {@code when}), or leaving an audience. */
    public record ExitCriterion(String event, String when, String audienceExit) {

        public ExitCriterion(String event, String when) {
            this(event, when, null);
        }
    }

    /**
     * A conversion goal: the first event of type {@code event} (filtered by {@code when}, which sees the
     * arriving event as {@code event} and the entry event as {@code journey.entry}) within {@code within}
     * after entry converts the instance, once, even after it has ended; {@code exit} also ends a live one.
     */
    public record Goal(String id, String event, String when, Duration within, boolean exit) {}
}
