package io.journeys.expr;

import java.time.Instant;
import java.time.ZoneId;
import java.util.Map;

/**
 * The values an expression sees (DESIGN §5): {@code event}, {@code eventType}, {@code eventTime},
 * {@code profile}, {@code journey}, {@code now}; and the time zone its calendar functions use. Maps are
 * handed to CEL as {@link ExpressionMap}s, so that CEL does not walk them on every field access.
 */
public final class Variables {

    // fields, not a map: a Variables is made for every journey an event may enter and every instance it moves
    private Object event = ExpressionMap.empty();
    private Object profile = ExpressionMap.empty();
    private Object journey = ExpressionMap.empty();
    private Object audience = ExpressionMap.empty();
    private String eventType = "";
    private Instant eventTime = Instant.EPOCH;
    private Instant now = Instant.EPOCH;
    private final ZoneId zone;
    private EventCounter eventCounter = EventCounter.NONE;
    private java.util.Set<String> memberships = java.util.Set.of();

    private Variables(ZoneId zone) {
        this.zone = zone;
    }

    public static Variables inZone(ZoneId zone) {
        return new Variables(zone);
    }

    /**
     * A copy in which {@code event} is another one (the arriving event of an await or an exit filter): the
     * variables of the instance itself stay as they are.
     */
    public Variables withEvent(String type, Instant time, Map<String, Object> payload) {
        Variables copy = new Variables(zone);
        copy.profile = profile;
        copy.journey = journey;
        copy.audience = audience;
        copy.now = now;
        copy.eventCounter = eventCounter;
        copy.memberships = memberships;
        return copy.event(type, time, payload);
    }

    public Variables event(String type, Instant time, Map<String, Object> payload) {
        this.eventType = type;
        this.eventTime = time;
        this.event = ExpressionMap.of(payload);
        return this;
    }

    public Variables profile(Map<String, Object> attributes) {
        this.profile = ExpressionMap.of(attributes);
        return this;
    }

    public Variables journey(Map<String, Object> journey) {
        this.journey = ExpressionMap.of(journey);
        return this;
    }

    public Variables now(Instant now) {
        this.now = now;
        return this;
    }

    /** The columns of the audience export a profile entered from ({@code audience.<field>}). */
    public Variables audience(Map<String, Object> exportAttributes) {
        this.audience = ExpressionMap.of(exportAttributes);
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
        return name -> java.util.Optional.ofNullable(value(name));
    }

    private Object value(String name) {
        return switch (name) {
            case Expressions.EVENT -> event;
            case Expressions.PROFILE -> profile;
            case Expressions.JOURNEY -> journey;
            case Expressions.EVENT_TYPE -> eventType;
            case Expressions.EVENT_TIME -> eventTime;
            case Expressions.NOW -> now;
            case Expressions.AUDIENCE -> audience;
            default -> null;
        };
    }

    ZoneId zone() {
        return zone;
    }

    EventCounter eventCounter() {
        return eventCounter;
    }

    Instant now() {
        return now;
    }
}
