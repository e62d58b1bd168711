package io.journeys.engine;

import io.journeys.dsl.Journey;
import io.journeys.dsl.JourneyParser;
import io.journeys.dsl.ParseResult;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.TreeMap;

/**
 * Every loaded journey version, with an index of journeys by entry event type. New entries go to the
 * highest published live version; instances keep running on the version they entered.
 */
public final class JourneyCatalog {

    private final Map<String, NavigableMap<Integer, CompiledJourney>> versionsById = new TreeMap<>();
    private final Map<String, List<String>> journeyIdsByEntryEvent = new TreeMap<>();

    /** Compiles journey documents that were validated before they were shipped to the job. */
    public static JourneyCatalog of(Collection<String> documents) {
        JourneyCatalog catalog = new JourneyCatalog();
        for (String document : documents) {
            ParseResult result = JourneyParser.parse(document);
            if (!result.isValid()) {
                throw new IllegalArgumentException("Expected valid journeys, but: " + result.problems());
            }
            catalog.add(new CompiledJourney(result.journey()));
        }
        return catalog;
    }

    void add(CompiledJourney compiled) {
        versionsById.computeIfAbsent(compiled.id(), id -> new TreeMap<>()).put(compiled.version(), compiled);
        List<String> ids = journeyIdsByEntryEvent.computeIfAbsent(compiled.journey().entry().event(),
                type -> new ArrayList<>());
        if (!ids.contains(compiled.id())) {
            ids.add(compiled.id());
            ids.sort(String::compareTo);
        }
    }

    /** Ids of the journeys whose entry event is {@code eventType}, in a stable order. */
    List<String> journeysEnteredBy(String eventType) {
        return journeyIdsByEntryEvent.getOrDefault(eventType, List.of());
    }

    /** The version a new entry at {@code now} goes to, or null when the journey takes no entries then. */
    CompiledJourney versionForEntry(String journeyId, Instant now) {
        NavigableMap<Integer, CompiledJourney> versions = versionsById.get(journeyId);
        if (versions == null) {
            return null;
        }
        for (CompiledJourney candidate : versions.descendingMap().values()) {
            Journey journey = candidate.journey();
            if (journey.publishedBy(now) && journey.status() == io.journeys.dsl.JourneyStatus.LIVE) {
                return journey.acceptsEntriesAt(now) ? candidate : null;
            }
        }
        return null;
    }

    /** The exact version an instance runs on, or null when it is no longer loaded. */
    CompiledJourney version(String journeyId, int version) {
        NavigableMap<Integer, CompiledJourney> versions = versionsById.get(journeyId);
        return versions == null ? null : versions.get(version);
    }

    /** The newest loaded version of a journey, whatever its status. */
    CompiledJourney latest(String journeyId) {
        NavigableMap<Integer, CompiledJourney> versions = versionsById.get(journeyId);
        return versions == null ? null : versions.lastEntry().getValue();
    }
}
