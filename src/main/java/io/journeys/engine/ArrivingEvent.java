package io.journeys.engine;

import io.journeys.avro.ProfileEvent;
import java.time.Instant;
import java.util.Map;

/** A profile event being handled, with its payload read once. */
record ArrivingEvent(ProfileEvent event, Map<String, Object> payload) {

    static ArrivingEvent of(ProfileEvent event, ProfileSession session) {
        return new ArrivingEvent(event, session.payload(event.getData()));
    }

    String type() {
        return event.getType();
    }

    Instant time() {
        return Instant.ofEpochMilli(event.getTimestamp());
    }
}
