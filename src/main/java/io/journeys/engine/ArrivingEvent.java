package io.journeys.engine;

import io.journeys.avro.ProfileEvent;
import io.journeys.expr.JsonValues;
import java.time.Instant;
import java.util.Map;

/** A profile event being handled, with its payload read once. */
record ArrivingEvent(ProfileEvent event, Map<String, Object> payload) {

    static ArrivingEvent of(ProfileEvent event) {
        return new ArrivingEvent(event, JsonValues.objectFromText(event.getData()));
    }

    String type() {
        return event.getType();
    }

    Instant time() {
        return Instant.ofEpochMilli(event.getTimestamp());
    }
}
