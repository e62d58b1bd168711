package io.journeys.dsl;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Documents loaded together, as a simulation loads them: each read by {@link DefinitionParser} (so a journey and
 * an action definition each go to their own parser), then the checks no single document can make
 * ({@link JourneySetChecker}) across the valid ones.
 *
 * <pre>{@code
 * DocumentSet set = DocumentSet.parse(texts, guardRails.maxStepsPerJourney());
 * if (set.allValid() && set.completeSetProblems().isEmpty()) { ... set.journeys() ... }
 * }</pre>
 */
public final class DocumentSet {

    /** One document as given, and what the parser made of it. */
    public record Entry(String text, DefinitionParser.Definition definition) {}

    private final List<Entry> entries;

    private DocumentSet(List<Entry> entries) {
        this.entries = List.copyOf(entries);
    }

    /** Parses every document; journeys may have at most {@code maxSteps} steps (the job's guard rail). */
    public static DocumentSet parse(List<String> texts, int maxSteps) {
        List<Entry> entries = new ArrayList<>();
        for (String text : texts) {
            entries.add(new Entry(text, DefinitionParser.parse(text, maxSteps)));
        }
        return new DocumentSet(entries);
    }

    /** The documents in the order given. */
    public List<Entry> entries() {
        return entries;
    }

    public List<String> texts() {
        return entries.stream().map(Entry::text).toList();
    }

    public boolean allValid() {
        return entries.stream().allMatch(e -> e.definition().valid());
    }

    /** The valid journeys, in the order given. */
    public List<Journey> journeys() {
        return entries.stream().map(Entry::definition).filter(d -> d.valid() && d.isJourney())
                .map(d -> d.journey().journey()).toList();
    }

    /** The ids of the valid action definitions. */
    public Set<String> actionIds() {
        Set<String> ids = new LinkedHashSet<>();
        entries.stream().map(Entry::definition).filter(d -> d.valid() && d.isAction())
                .forEach(d -> ids.add(d.action().action().id()));
        return ids;
    }

    /** The valid rule sets, in the order given. */
    public List<RuleSet> ruleSets() {
        return entries.stream().map(Entry::definition).filter(d -> d.valid() && d.isRules())
                .map(d -> d.rules().rules()).toList();
    }

    /** The ids of the valid rule sets. */
    public Set<String> ruleSetIds() {
        Set<String> ids = new LinkedHashSet<>();
        ruleSets().forEach(rules -> ids.add(rules.id()));
        return ids;
    }

    /**
     * The problems of a set that holds everything it runs (a simulation): jumps to journeys that are not in it,
     * loops of jumps, calls of actions that are not in it, rule sets that are not in it.
     */
    public List<JourneySetChecker.SetProblem> completeSetProblems() {
        List<JourneySetChecker.SetProblem> problems = new ArrayList<>(JourneySetChecker.check(journeys(), true));
        problems.addAll(JourneySetChecker.unknownActions(journeys(), actionIds()));
        problems.addAll(JourneySetChecker.unknownRules(journeys(), ruleSetIds()));
        return problems;
    }
}
