package io.journeys.engine;

import io.journeys.dsl.ActionDefinition;
import io.journeys.dsl.DefinitionParser;
import io.journeys.dsl.Journey;
import io.journeys.dsl.JourneyParser;
import io.journeys.dsl.JourneySetChecker;
import io.journeys.dsl.JourneyStatus;
import io.journeys.dsl.Problem;
import io.journeys.dsl.ProblemCode;
import io.journeys.dsl.RuleSet;
import io.journeys.dsl.Step;
import io.journeys.http.CallAnswers;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.NavigableSet;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Every loaded journey version, with an index of journeys by entry event type.
 *
 * <p>A journey's current version at an instant is its highest version published by then. Its status
 * says what the journey does: live, new entries go to that version; closed, no new entries; stopped, every
 * profile inside exits. Instances keep running on the version they entered.
 */
public final class JourneyCatalog {

    // hash maps: they are looked up several times per input, where a tree map compares strings
    private final Map<String, NavigableMap<Integer, CompiledJourney>> versionsById = new HashMap<>();
    private final Map<String, NavigableMap<Integer, ActionDefinition>> actionsById = new HashMap<>();
    private final Map<String, NavigableMap<Integer, RuleSet>> ruleSetsById = new HashMap<>();
    private final Map<String, Set<String>> eventTypesReactedToById = new HashMap<>();
    /** Event types some goal of some version converts on: only those are looked for among ended instances. */
    private final Set<String> goalEventTypes = new HashSet<>();
    private final Map<String, List<String>> journeyIdsByEntryEvent = new HashMap<>();
    private final Map<String, List<String>> journeyIdsByExportedAudience = new HashMap<>();
    private final Map<String, List<String>> journeyIdsByQualification = new HashMap<>();
    private final Map<String, NavigableSet<Instant>> publicationsById = new HashMap<>();
    private final Set<String> countedEventTypes = new HashSet<>();
    private boolean countsEveryEventType;
    private boolean optimisesSendTimes;

    /** Compiles journey documents that were validated before they were shipped to the job. */
    public static JourneyCatalog of(Collection<String> documents, int maxSteps) {
        JourneyCatalog catalog = new JourneyCatalog();
        List<Journey> journeys = new ArrayList<>();
        for (String document : documents) {
            DefinitionParser.Definition definition = DefinitionParser.parse(document, maxSteps);
            if (!definition.valid()) {
                throw new IllegalArgumentException("Expected valid definitions, but: " + definition.problems());
            }
            switch (definition.kind()) {
                case ACTION -> catalog.addAction(definition.action().action());
                case RULES -> catalog.addRules(definition.rules().rules());
                case JOURNEY -> journeys.add(definition.journey().journey());
            }
        }
        List<JourneySetChecker.SetProblem> problems = new ArrayList<>(JourneySetChecker.check(journeys, true));
        problems.addAll(JourneySetChecker.unknownRules(journeys, catalog.ruleSetsById.keySet()));
        if (!problems.isEmpty()) {
            throw new IllegalArgumentException("Expected journeys that work together, but: " + problems);
        }
        journeys.forEach(journey -> catalog.add(new CompiledJourney(journey)));
        return catalog;
    }

    public static JourneyCatalog of(Collection<String> documents) {
        return of(documents, JourneyParser.DEFAULT_MAX_STEPS);
    }

    /**
     * Adds (or replaces) one journey version or action published while the job runs, parsed once: what it
     * loaded as, or every problem with it. Jumps may not loop through the loaded journeys; a jump to a journey not loaded
     * yet is allowed (it enters nothing until that journey is published).
     */
    Loaded tryAdd(String document, int maxSteps) {
        DefinitionParser.Definition definition = DefinitionParser.parse(document, maxSteps);
        if (!definition.valid()) {
            return Loaded.refused(definition.problems());
        }
        if (definition.isAction()) {
            ActionDefinition action = definition.action().action();
            addAction(action);
            return new Loaded(List.of(), "action:" + action.id() + "@" + action.version(), null);
        }
        if (definition.isRules()) {
            RuleSet rules = definition.rules().rules();
            addRules(rules);
            return new Loaded(List.of(), RULES_KEY_PREFIX + rules.id() + "@" + rules.version(), null);
        }
        Journey journey = definition.journey().journey();
        if (journey.rules() != null && !ruleSetsById.containsKey(journey.rules())) {
            return Loaded.refused(List.of(new Problem(ProblemCode.UNKNOWN_RULES, "/rules", "Expected rule set "
                    + journey.rules() + " to be published before the journey, but it is not")));
        }
        List<Journey> together = new ArrayList<>();
        new TreeMap<>(versionsById).values().forEach(versions -> versions.values().forEach(v -> { // in id order
            if (!(v.id().equals(journey.id()) && v.version() == journey.version())) {
                together.add(v.journey());
            }
        }));
        together.add(journey);
        List<Problem> loops = JourneySetChecker.check(together, false).stream()
                .filter(p -> p.journeyId().equals(journey.id()) && p.version() == journey.version())
                .map(JourneySetChecker.SetProblem::problem)
                .toList();
        if (!loops.isEmpty()) {
            return Loaded.refused(loops);
        }
        add(new CompiledJourney(journey));
        return new Loaded(List.of(), journey.id() + "@" + journey.version(), journey);
    }

    /**
     * What a published document loaded as: its problems (none when it loaded), the key it is kept under in
     * the broadcast state ("id@version", "action:id@version"), and the journey (null for an action).
     */
    record Loaded(List<Problem> problems, String key, Journey journey) {
        static Loaded refused(List<Problem> problems) {
            return new Loaded(problems, null, null);
        }

        boolean loaded() {
            return problems.isEmpty();
        }
    }

    /** The key prefix of rule sets in the broadcast state: they are restored before the journeys that name them. */
    static final String RULES_KEY_PREFIX = "rules:";

    private void addRules(RuleSet rules) {
        ruleSetsById.computeIfAbsent(rules.id(), id -> new TreeMap<>()).put(rules.version(), rules);
    }

    /**
     * The version of a rule set that applies at {@code now}: the highest published by then (the first version
     * when none is yet), or null when the set is not loaded.
     */
    RuleSet ruleSet(String ruleSetId, Instant now) {
        NavigableMap<Integer, RuleSet> versions = ruleSetsById.get(ruleSetId);
        if (versions == null) {
            return null;
        }
        for (RuleSet candidate : versions.descendingMap().values()) {
            if (candidate.publishedBy(now)) {
                return candidate;
            }
        }
        return versions.firstEntry().getValue();
    }

    /**
     * The versions that would take an entry at {@code now} among these journeys, highest {@code priority} first
     * and, at equal priority, in journey id order: when rules leave room for fewer entries, the first win.
     */
    List<CompiledJourney> versionsForEntry(List<String> journeyIds, Instant now) {
        List<CompiledJourney> versions = new ArrayList<>(journeyIds.size());
        for (String journeyId : journeyIds) {
            CompiledJourney version = versionForEntry(journeyId, now);
            if (version != null) {
                versions.add(version);
            }
        }
        if (versions.size() > 1) {
            versions.sort(java.util.Comparator.comparingInt((CompiledJourney v) -> -v.journey().priority())
                    .thenComparing(CompiledJourney::id));
        }
        return versions;
    }

    private void addAction(ActionDefinition action) {
        actionsById.computeIfAbsent(action.id(), id -> new TreeMap<>()).put(action.version(), action);
    }

    /** The highest published version of an action, or null when none is published. */
    ActionDefinition action(String actionId) {
        NavigableMap<Integer, ActionDefinition> versions = actionsById.get(actionId);
        return versions == null ? null : versions.lastEntry().getValue();
    }

    void add(CompiledJourney compiled) {
        versionsById.computeIfAbsent(compiled.id(), id -> new TreeMap<>()).put(compiled.version(), compiled);
        if (compiled.journey().publishedAt() != null) {
            publicationsById.computeIfAbsent(compiled.id(), id -> new TreeSet<>()).add(compiled.journey().publishedAt());
        }
        Journey.Entry entry = compiled.journey().entry();
        switch (entry.type()) {
            case EVENT -> index(journeyIdsByEntryEvent, entry.event(), compiled.id());
            case AUDIENCE -> index(journeyIdsByExportedAudience, entry.audience(), compiled.id());
            case QUALIFICATION -> index(journeyIdsByQualification, entry.audience() + "/" + entry.on(), compiled.id());
        }
        countedEventTypes.addAll(compiled.countedEventTypes());
        countsEveryEventType |= compiled.countsEveryEventType();
        Set<String> reactions = eventTypesReactedToById.computeIfAbsent(compiled.id(), id -> new HashSet<>());
        compiled.journey().exits().stream().map(Journey.ExitCriterion::event).filter(Objects::nonNull)
                .forEach(reactions::add);
        compiled.journey().goals().forEach(goal -> {
            reactions.add(goal.event());
            goalEventTypes.add(goal.event());
        });
        for (Step step : compiled.journey().steps().values()) {
            optimisesSendTimes |= (step instanceof Step.Action action && action.sendTime() != null)
                    || (step instanceof Step.Wait wait && wait.sendTime() != null);
            if (step instanceof Step.Await await) {
                await.events().forEach(reaction -> reactions.add(reaction.event()));
            } else if (step instanceof Step.Call || step instanceof Step.Cap || step instanceof Step.Experiment) {
                reactions.add(CallAnswers.RESULT_EVENT);
            }
        }
    }

    /**
     * Whether an event of this type can mean anything to a live instance of the journey, in any version:
     * an exit criterion, an awaited reaction, or the answer of a call or cap. Other events leave the
     * instance alone, so the engine does not even read it.
     */
    boolean mayReactTo(String journeyId, String eventType) {
        Set<String> reactions = eventTypesReactedToById.get(journeyId);
        return reactions == null || reactions.contains(eventType);
    }

    /** Whether some loaded journey has a step with {@code sendTime}: only then are engagements learnt. */
    boolean optimisesSendTimes() {
        return optimisesSendTimes;
    }

    /** Whether a goal of some loaded journey converts on events of this type. */
    boolean hasGoalOn(String eventType) {
        return goalEventTypes.contains(eventType);
    }

    private static void index(Map<String, List<String>> index, String key, String journeyId) {
        List<String> ids = index.computeIfAbsent(key, k -> new ArrayList<>());
        if (!ids.contains(journeyId)) {
            ids.add(journeyId);
            ids.sort(String::compareTo);
        }
    }

    /** How many journeys (not versions) are loaded. */
    int journeyCount() {
        return versionsById.size();
    }

    /** Ids of the journeys that enter the members of {@code audienceId}'s exports. */
    List<String> journeysEnteredByExportsOf(String audienceId) {
        return journeyIdsByExportedAudience.getOrDefault(audienceId, List.of());
    }

    /** Ids of the journeys that enter profiles qualifying for ({@code status} "enter") or leaving an audience. */
    List<String> journeysEnteredByQualification(String audienceId, String status) {
        return journeyIdsByQualification.getOrDefault(audienceId + "/" + status, List.of());
    }

    /** Ids of the journeys whose entry event is {@code eventType}, in a stable order. */
    List<String> journeysEnteredBy(String eventType) {
        return journeyIdsByEntryEvent.getOrDefault(eventType, List.of());
    }

    /** Whether the profile's history must keep events of this type, for countEvents. */
    boolean counts(String eventType) {
        return countsEveryEventType || countedEventTypes.contains(eventType);
    }

    /** The journey's highest version published by {@code now}, or null. */
    CompiledJourney current(String journeyId, Instant now) {
        NavigableMap<Integer, CompiledJourney> versions = versionsById.get(journeyId);
        if (versions == null) {
            return null;
        }
        for (CompiledJourney candidate : versions.descendingMap().values()) {
            if (candidate.journey().publishedBy(now)) {
                return candidate;
            }
        }
        return null;
    }

    /** The version a new entry at {@code now} goes to, or null when the journey takes no entries then. */
    CompiledJourney versionForEntry(String journeyId, Instant now) {
        CompiledJourney current = current(journeyId, now);
        return current != null && current.journey().acceptsEntriesAt(now) ? current : null;
    }

    /** Whether the journey is stopped at {@code now}: its profiles exit. */
    boolean isStoppedAt(String journeyId, Instant now) {
        CompiledJourney current = current(journeyId, now);
        return current != null && current.journey().status() == JourneyStatus.STOPPED;
    }

    /** The first instant after {@code after} at which the journey becomes stopped, or null. */
    Instant nextStopAfter(String journeyId, Instant after) {
        NavigableSet<Instant> changes = publicationsById.get(journeyId);
        if (changes == null) {
            return null; // no version with a publication time: nothing changes later
        }
        for (Instant change : changes.tailSet(after, false)) {
            if (isStoppedAt(journeyId, change)) {
                return change;
            }
        }
        return null;
    }

    /** The exact version an instance runs on, or null when it is no longer loaded. */
    CompiledJourney version(String journeyId, int version) {
        NavigableMap<Integer, CompiledJourney> versions = versionsById.get(journeyId);
        return versions == null ? null : versions.get(version);
    }
}
