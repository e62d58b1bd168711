package io.journeys.expr;

import java.time.Instant;
import java.time.ZoneId;
import java.util.HashMap;
import java.util.Map;

/**
 * The values an expression sees (DESIGN §5): {@code event}, {@code eventType}, {@code eventTime},
 * {@code profile}, {@code journey}, {@code now}; and the time zone its calendar functions use. Maps are
 * handed to CEL as {@link ExpressionMap}s, so that CEL does not walk them on every field access.
 */
public final class Variables {

    private final Map<String, Object> values = new HashMap<>();
    private final ZoneId zone;
    private EventCounter eventCounter = EventCounter.NONE;
    private java.util.Set<String> memberships = java.util.Set.of();

    private Variables(ZoneId zone) {
        this.zone = zone;
        values.put(Expressions.EVENT, ExpressionMap.empty());
        values.put(Expressions.PROFILE, ExpressionMap.empty());
        values.put(Expressions.JOURNEY, ExpressionMap.empty());
        values.put(Expressions.EVENT_TYPE, "");
        values.put(Expressions.EVENT_TIME, Instant.EPOCH);
        values.put(Expressions.NOW, Instant.EPOCH);
        values.put(Expressions.AUDIENCE, ExpressionMap.empty());
    }

    public static Variables inZone(ZoneId zone) {
        return new Variables(zone);
    }

    public Variables event(String type, Instant time, Map<String, Object> payload) {
        values.put(Expressions.EVENT_TYPE, type);
        values.put(Expressions.EVENT_TIME, time);
        values.put(Expressions.EVENT, ExpressionMap.of(payload));
        return this;
    }

    public Variables profile(Map<String, Object> attributes) {
        values.put(Expressions.PROFILE, ExpressionMap.of(attributes));
        return this;
    }

    public Variables journey(Map<String, Object> journey) {
        values.put(Expressions.JOURNEY, ExpressionMap.of(journey));
        return this;
    }

    public Variables now(Instant now) {
        values.put(Expressions.NOW, now);
        return this;
    }

    /** The columns of the audience export a profile entered from ({@code audience.<field>}). */
    public Variables audience(Map<String, Object> exportAttributes) {
        values.put(Expressions.AUDIENCE, ExpressionMap.of(exportAttributes));
        return this;
    }

    /** The audiences the profile is a member of, for {@code inAudience(id)}. */
    public Variables memberships(java.util.Set<String> memberships) {
        this.memberships = memberships;
        return this;
    }

    java.util.Set<String> memberships() {
        return memberships;
    }

    public Variables eventCounter(EventCounter eventCounter) {
        this.eventCounter = eventCounter;
        return this;
    }

    /** The values as CEL looks them up, one name at a time. */
    dev.cel.runtime.CelVariableResolver resolver() {
        return name -> java.util.Optional.ofNullable(values.get(name));
    }

    ZoneId zone() {
        return zone;
    }

    EventCounter eventCounter() {
        return eventCounter;
    }

    Instant now() {
        return (Instant) values.get(Expressions.NOW);
    }
}
