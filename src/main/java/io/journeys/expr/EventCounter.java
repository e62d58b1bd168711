package io.journeys.expr;

import java.time.Duration;
import java.time.Instant;

/** Answers {@code countEvents(type, duration)} from the profile's bounded event history. */
@FunctionalInterface
public interface EventCounter {

    EventCounter NONE = (type, since) -> 0;

    /** How many events of {@code type} the profile sent at or after {@code since}. */
    long count(String type, Instant since);

    default long countWithin(String type, Instant now, Duration window) {
        return count(type, now.minus(window));
    }
}
