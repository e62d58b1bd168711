package io.journeys.dsl;

import java.time.DayOfWeek;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.temporal.TemporalAdjusters;
import java.util.Arrays;
import java.util.Optional;

/**
 * A calendar window that caps count in: the day, the week (from Monday 00:00) or the month an instant is in, in a
 * time zone. Windows start at local midnight, so a day across a daylight-saving change is 23 or 25 hours long.
 */
public enum CalendarWindow {
    DAY("day"),
    WEEK("week"),
    MONTH("month");

    /** Longer than any window in any zone (a month of 31 days, plus the widest gap between two zones' midnights). */
    public static final java.time.Duration LONGEST = java.time.Duration.ofDays(33);

    private final String jsonName;

    CalendarWindow(String jsonName) {
        this.jsonName = jsonName;
    }

    public String jsonName() {
        return jsonName;
    }

    /** The first instant of the window {@code at} is in, in {@code zone}. */
    public Instant startOf(Instant at, ZoneId zone) {
        LocalDate date = at.atZone(zone).toLocalDate();
        LocalDate first = switch (this) {
            case DAY -> date;
            case WEEK -> date.with(TemporalAdjusters.previousOrSame(DayOfWeek.MONDAY));
            case MONTH -> date.withDayOfMonth(1);
        };
        // atStartOfDay, not of(date, 00:00): a zone whose midnight falls in a gap starts its day at the gap's end
        return first.atStartOfDay(zone).toInstant();
    }

    public static Optional<CalendarWindow> fromJson(String name) {
        return Arrays.stream(values()).filter(w -> w.jsonName.equals(name)).findFirst();
    }
}
