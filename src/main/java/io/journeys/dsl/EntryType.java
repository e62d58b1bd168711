package io.journeys.dsl;

import java.util.Arrays;
import java.util.Optional;

/** How profiles enter a journey. */
public enum EntryType {
    /** On a profile event of a type, with an optional filter. */
    EVENT("event"),
    /** Every member of each export of an audience (batch). */
    AUDIENCE("audience"),
    /** When a profile qualifies for (or leaves) an audience. */
    QUALIFICATION("qualification");

    private final String jsonName;

    EntryType(String jsonName) {
        this.jsonName = jsonName;
    }

    public String jsonName() {
        return jsonName;
    }

    public static Optional<EntryType> fromJson(String name) {
        return Arrays.stream(values()).filter(t -> t.jsonName.equals(name)).findFirst();
    }
}
