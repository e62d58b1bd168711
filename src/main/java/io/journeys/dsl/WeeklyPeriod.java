package io.journeys.dsl;

import java.time.DayOfWeek;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.Optional;
import java.util.Set;

/**
 * A period of local time on some days of the week: from {@code from} (inclusive) to {@code to} (exclusive). A
 * period whose {@code to} is not after its {@code from} crosses midnight and belongs to the day it starts on:
 * "Monday 21:00-08:00" is Monday 21:00 to Tuesday 08:00. Local times are turned into instants per date, in the
 * zone, so a period is right across daylight-saving changes: a local time in a gap (02:30 when clocks jump from
 * 02:00 to 03:00) is read as the instant after the gap, one in an overlap as its first occurrence.
 */
public record WeeklyPeriod(Set<DayOfWeek> days, LocalTime from, LocalTime to) {

    /** How many days ahead a next opening is looked for: every day of the week, and the one after. */
    private static final int DAYS_AHEAD = 8;

    public boolean crossesMidnight() {
        return !to.isAfter(from);
    }

    /** The end of the period {@code at} is inside, or empty when it is outside every period. */
    public Optional<Instant> activeUntil(Instant at, ZoneId zone) {
        LocalDate today = at.atZone(zone).toLocalDate();
        // a period that crosses midnight may have started yesterday
        for (LocalDate day : new LocalDate[] {today.minusDays(1), today}) {
            if (!days.contains(day.getDayOfWeek())) {
                continue;
            }
            Instant start = ZonedDateTime.of(day, from, zone).toInstant();
            Instant end = ZonedDateTime.of(crossesMidnight() ? day.plusDays(1) : day, to, zone).toInstant();
            if (!at.isBefore(start) && at.isBefore(end)) {
                return Optional.of(end);
            }
        }
        return Optional.empty();
    }

    /** Whether {@code at} is inside a period. */
    public boolean contains(Instant at, ZoneId zone) {
        return activeUntil(at, zone).isPresent();
    }

    /** The first instant after {@code at} that a period starts at. */
    public Instant nextStartAfter(Instant at, ZoneId zone) {
        LocalDate today = at.atZone(zone).toLocalDate();
        for (int ahead = 0; ahead <= DAYS_AHEAD; ahead++) {
            LocalDate day = today.plusDays(ahead);
            if (days.contains(day.getDayOfWeek())) {
                Instant start = ZonedDateTime.of(day, from, zone).toInstant();
                if (start.isAfter(at)) {
                    return start;
                }
            }
        }
        throw new IllegalStateException("Expected a period on some day of the week, but " + this + " has none");
    }
}
