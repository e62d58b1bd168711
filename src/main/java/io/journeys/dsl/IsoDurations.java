package io.journeys.dsl;

import java.time.Duration;
import java.time.Period;
import java.time.format.DateTimeParseException;
import java.util.Optional;

/**
 * ISO-8601 durations of fixed length: weeks, days, hours, minutes, seconds ({@code P1W}, {@code P1D},
 * {@code PT30M}, {@code P1DT2H}). A day is 24 hours: a wait of P1D reached at t resumes at t + 24h.
 * Months and years have no fixed length and are refused.
 */
public final class IsoDurations {

    private IsoDurations() {}

    public static Optional<Duration> parse(String text) {
        if (text == null) {
            return Optional.empty();
        }
        try {
            return Optional.of(Duration.parse(text));
        } catch (DateTimeParseException notADuration) {
            // Duration does not read weeks; Period does, and refuses times.
        }
        try {
            Period period = Period.parse(text);
            if (period.getYears() != 0 || period.getMonths() != 0) {
                return Optional.empty();
            }
            return Optional.of(Duration.ofDays(period.getDays()));
        } catch (DateTimeParseException notAPeriod) {
            return Optional.empty();
        }
    }
}
