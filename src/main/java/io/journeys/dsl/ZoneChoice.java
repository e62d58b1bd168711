package io.journeys.dsl;

import java.time.DateTimeException;
import java.time.ZoneId;
import java.util.Map;

/**
 * The time zone a rule or a window step reads local times in: a fixed zone, or the profile's own (its
 * {@code timeZone} attribute when that holds a valid zone id, else a fallback).
 *
 * @param fixed the zone, or null for the profile's
 */
public record ZoneChoice(ZoneId fixed) {

    public static final ZoneChoice PROFILE = new ZoneChoice(null);
    /** The attribute a profile's own zone is read from. */
    public static final String PROFILE_ATTRIBUTE = "timeZone";

    public boolean isProfile() {
        return fixed == null;
    }

    /** The zone for a profile with these attributes. */
    public ZoneId zoneFor(Map<String, Object> attributes, ZoneId fallback) {
        if (fixed != null) {
            return fixed;
        }
        if (attributes.get(PROFILE_ATTRIBUTE) instanceof String name) {
            try {
                return ZoneId.of(name);
            } catch (DateTimeException notAZone) {
                return fallback;
            }
        }
        return fallback;
    }

    /** As written in a document: "profile" or the zone id. */
    public String json() {
        return fixed == null ? "profile" : fixed.getId();
    }
}
