package io.journeys.sendtime;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * Which event types are engagements, and which engagement kinds each counts as: the job option
 * {@code sendTime.engagements}, written {@code type=kind,kind;type=kind} (the default:
 * {@value #DEFAULT_TEXT}; a click is also an open). Connectors name their events differently
 * ({@code email.open}, {@code mail.opened}, ...): the model learns from whichever the job is told. An event counts
 * whether or not it carries the {@code requestId} of the message it answers: the hour it came at is what is learnt.
 *
 * @param kindsByType the kinds each engagement event type counts as, in the order written
 */
public record EngagementTypes(Map<String, List<String>> kindsByType) implements Serializable {

    /** The option's default: opens and clicks of emails, opens of pushes, as the demo's connectors name them. */
    public static final String DEFAULT_TEXT =
            "email.opened=email/opens;email.clicked=email/clicks,email/opens;push.opened=push/opens";

    public static final EngagementTypes DEFAULT = parse(DEFAULT_TEXT);

    public EngagementTypes {
        kindsByType = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(kindsByType));
    }

    /**
     * Reads {@code type=kind,kind;type=kind}; every kind one of {@link PopulationDocument#ENGAGEMENTS} (what a
     * step's {@code sendTime} can optimise), each type once.
     *
     * @throws IllegalArgumentException saying which entry is wrong and why
     */
    public static EngagementTypes parse(String text) {
        Map<String, List<String>> kinds = new LinkedHashMap<>();
        for (String entry : text.split(";", -1)) {
            String trimmed = entry.trim();
            if (trimmed.isEmpty()) {
                continue; // a trailing ';'
            }
            int equals = trimmed.indexOf('=');
            if (equals <= 0) {
                throw new IllegalArgumentException("expected type=kind,kind in \"" + trimmed + "\"");
            }
            String type = trimmed.substring(0, equals).trim();
            if (kinds.containsKey(type)) {
                throw new IllegalArgumentException("event type " + type + " is given twice");
            }
            List<String> its = new ArrayList<>();
            for (String kind : trimmed.substring(equals + 1).split(",", -1)) {
                String name = kind.trim();
                if (!PopulationDocument.ENGAGEMENTS.contains(name)) {
                    throw new IllegalArgumentException("engagement kind \"" + name + "\" of " + type
                            + " is none of " + new TreeSet<>(PopulationDocument.ENGAGEMENTS));
                }
                if (!its.contains(name)) {
                    its.add(name);
                }
            }
            kinds.put(type, List.copyOf(its));
        }
        if (kinds.isEmpty()) {
            throw new IllegalArgumentException("expected at least one type=kind");
        }
        return new EngagementTypes(kinds);
    }

    public boolean isEngagement(String eventType) {
        return kindsByType.containsKey(eventType);
    }

    /** The kinds an event type counts as; empty when it is no engagement. */
    public List<String> kindsOf(String eventType) {
        return kindsByType.getOrDefault(eventType, List.of());
    }
}
