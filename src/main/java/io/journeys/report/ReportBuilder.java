package io.journeys.report;

import io.journeys.dsl.Journey;
import io.journeys.dsl.Step;
import io.journeys.report.JourneyReport.ArmResult;
import io.journeys.report.JourneyReport.EdgeCount;
import io.journeys.report.JourneyReport.ExperimentResult;
import io.journeys.report.JourneyReport.GoalResult;
import io.journeys.report.JourneyReport.Interval;
import io.journeys.report.JourneyReport.SendTimeCounts;
import io.journeys.report.JourneyReport.StepCounts;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentSkipListMap;

/**
 * Builds the journey report from step events, optionally with the journeys' documents (which give the graph,
 * every port and goal even when never taken, experiments' goals and control arms).
 *
 * <pre>{@code
 * ReportBuilder builder = new ReportBuilder(journeys);
 * stepLines.forEach(builder::addLine);
 * Report report = builder.build();
 * }</pre>
 *
 * <p>A step event seen twice (same {@code eventId}, e.g. an at-least-once replay) counts once. The report
 * depends only on the set of events and each instance's own order, so any interleaving of instances gives the
 * same report. {@link #build()} may be called again after more events (the Kafka {@code --follow} mode).
 */
public final class ReportBuilder {

    static final String ON_TIMEOUT = Step.Port.ON_TIMEOUT;

    /** Concurrent: a document may come from another thread while one reads events (see {@link #addDocument}). */
    private final Map<JourneyKey, Journey> documents = new ConcurrentSkipListMap<>();
    private final Map<JourneyKey, JourneyTally> tallies = new HashMap<>();
    private final Set<String> eventIds = new HashSet<>();
    private long duplicates;

    public ReportBuilder() {
        this(List.of());
    }

    /** A builder that knows these documents; a later document of the same id and version wins. */
    public ReportBuilder(Collection<Journey> journeys) {
        journeys.forEach(this::addDocument);
    }

    /**
     * Adds a journey's document (replacing one of the same id and version); safe from another thread than the
     * one adding events and building, e.g. for a version published while the step events are followed. Reports
     * built from then on use it.
     */
    public void addDocument(Journey journey) {
        documents.put(new JourneyKey(journey.id(), journey.version()), journey);
    }

    /** Counts one step event; false (and counts nothing) when its {@code eventId} was already counted. */
    public boolean add(StepEventLine event) {
        if (!eventIds.add(event.eventId())) {
            duplicates++;
            return false;
        }
        tallies.computeIfAbsent(event.journey(), k -> new JourneyTally()).add(event);
        return true;
    }

    /** Counts one line of steps.jsonl; throws {@link StepEventLine.Malformed} for a line that is not one. */
    public boolean addLine(String line) {
        return add(StepEventLine.parse(line));
    }

    /** Events counted so far (duplicates left out). */
    public long events() {
        return eventIds.size();
    }

    /** Events left out because their id was counted already. */
    public long duplicates() {
        return duplicates;
    }

    public Report build() {
        Set<JourneyKey> keys = new TreeSet<>(documents.keySet());
        keys.addAll(tallies.keySet());
        List<JourneyReport> journeys = new ArrayList<>();
        for (JourneyKey key : keys) {
            journeys.add(journey(key, documents.get(key), tallies.getOrDefault(key, new JourneyTally())));
        }
        return new Report(journeys);
    }

    private static JourneyReport journey(JourneyKey key, Journey definition, JourneyTally tally) {
        List<String> entrySteps = tally.steps.entrySet().stream().filter(e -> e.getValue().entered > 0)
                .map(Map.Entry::getKey).toList();
        StepGraph graph = StepGraph.of(definition, entrySteps, tally.steps.keySet(), tally.edges.keySet());
        long ended = tally.completed + tally.exited + tally.timedOut + tally.errors;
        return new JourneyReport(key, definition, tally.entered, tally.completed, tally.exited, tally.timedOut,
                tally.errors, tally.entered - ended, tally.excluded, rules(definition, tally),
                steps(definition, tally, graph),
                edges(tally, graph), goals(definition, tally), experiments(definition, tally, graph),
                sendTimes(definition, tally, graph));
    }

    /** With a document, every step with {@code sendTime} is there (nothing scheduled yet: 0s). */
    private static Map<String, SendTimeCounts> sendTimes(Journey definition, JourneyTally tally, StepGraph graph) {
        Map<String, SendTimeCounts> sendTimes = new LinkedHashMap<>();
        for (String stepId : graph.steps()) {
            SendTimeTally counts = tally.sendTimes.get(stepId);
            if (counts == null && hasSendTime(definition, stepId)) {
                counts = new SendTimeTally();
            }
            if (counts != null) {
                sendTimes.put(stepId, counts.counts());
            }
        }
        return sendTimes;
    }

    private static boolean hasSendTime(Journey definition, String stepId) {
        Step step = definition == null ? null : definition.steps().get(stepId);
        return step instanceof Step.Action action && action.sendTime() != null
                || step instanceof Step.Wait wait && wait.sendTime() != null;
    }

    private static Map<String, StepCounts> steps(Journey definition, JourneyTally tally, StepGraph graph) {
        Map<String, Long> waiting = tally.waitingByStep();
        Map<String, StepCounts> steps = new LinkedHashMap<>();
        for (String stepId : graph.steps()) {
            JourneyTally.StepTally counts = tally.steps.getOrDefault(stepId, new JourneyTally.StepTally());
            long arrivals = counts.entered;
            long timeouts = counts.timedOut;
            for (Map.Entry<StepGraph.Port, Long> edge : tally.edges.entrySet()) {
                if (edge.getKey().to().equals(stepId)) {
                    arrivals += edge.getValue();
                }
                // an await or call that took its onTimeout port timed out there, though the instance goes on
                if (edge.getKey().from().equals(stepId) && ON_TIMEOUT.equals(edge.getKey().branch())) {
                    timeouts += edge.getValue();
                }
            }
            String type = definition != null && definition.steps().containsKey(stepId)
                    ? definition.steps().get(stepId).type().jsonName() : null;
            steps.put(stepId, new StepCounts(type, arrivals, waiting.getOrDefault(stepId, 0L), counts.held,
                    counts.executed, counts.completed, counts.exited, timeouts, counts.skipped, counts.excluded,
                    Collections.unmodifiableMap(new TreeMap<>(counts.errors)),
                    Collections.unmodifiableMap(new TreeMap<>(counts.rules))));
        }
        return steps;
    }

    /** With a document naming a rule set, every code is there (0 when none), as every port of the graph is. */
    private static Map<String, Long> rules(Journey definition, JourneyTally tally) {
        Map<String, Long> rules = new TreeMap<>();
        if (definition != null && definition.rules() != null) {
            RuleCodes.MEANINGS.keySet().forEach(code -> rules.put(code, 0L));
        }
        rules.putAll(tally.rules);
        return Collections.unmodifiableMap(rules);
    }

    private static List<EdgeCount> edges(JourneyTally tally, StepGraph graph) {
        return graph.ports().stream().map(p -> new EdgeCount(p.from(), p.to(), p.branch(),
                tally.edges.getOrDefault(p, 0L))).toList();
    }

    private static Map<String, GoalResult> goals(Journey definition, JourneyTally tally) {
        Set<String> ids = new LinkedHashSet<>();
        if (definition != null) {
            definition.goals().forEach(g -> ids.add(g.id()));
        }
        ids.addAll(new TreeSet<>(tally.conversions.keySet()));
        Map<String, GoalResult> goals = new LinkedHashMap<>();
        for (String id : ids) {
            long conversions = tally.conversions.getOrDefault(id, Set.of()).size();
            goals.put(id, new GoalResult(conversions, RateStatistics.rate(tally.entered, conversions),
                    interval(tally.entered, conversions)));
        }
        return goals;
    }

    private static Map<String, ExperimentResult> experiments(Journey definition, JourneyTally tally,
            StepGraph graph) {
        Map<String, ExperimentResult> experiments = new LinkedHashMap<>();
        for (String stepId : graph.steps()) {
            Step.Experiment declared = definition != null && definition.steps().get(stepId) instanceof Step.Experiment e
                    ? e : null;
            Map<String, Set<String>> assigned = tally.arms.getOrDefault(stepId, Map.of());
            if (declared == null && assigned.isEmpty()) {
                continue;
            }
            String goal = declared == null ? null : declared.goal();
            Set<String> converted = convertedAfterArm(tally, stepId, goal);
            Set<String> armIds = new LinkedHashSet<>();
            if (declared != null) {
                declared.arms().forEach(a -> armIds.add(a.id()));
            }
            armIds.addAll(new TreeSet<>(assigned.keySet()));
            List<String> order = List.copyOf(armIds);
            long[] profiles = new long[order.size()];
            long[] conversions = new long[order.size()];
            for (int i = 0; i < order.size(); i++) {
                Set<String> instances = assigned.getOrDefault(order.get(i), Set.of());
                profiles[i] = instances.size();
                conversions[i] = instances.stream().filter(converted::contains).count();
            }
            double[] best = RateStatistics.probabilityBest(profiles, conversions);
            Map<String, ArmResult> arms = new LinkedHashMap<>();
            for (int i = 0; i < order.size(); i++) {
                Step.Arm arm = declared == null ? null : declared.arm(order.get(i));
                Boolean control = declared == null ? null : arm != null && arm.control();
                arms.put(order.get(i), new ArmResult(profiles[i], conversions[i],
                        RateStatistics.rate(profiles[i], conversions[i]), interval(profiles[i], conversions[i]),
                        best == null ? null : best[i], control));
            }
            TreeSet<String> winners = tally.winners.get(stepId);
            experiments.put(stepId, new ExperimentResult(goal, winners == null ? null : winners.first(), arms));
        }
        return experiments;
    }

    /**
     * The instances converted on the experiment's goal after the step assigned them an arm; without a
     * document the goal is unknown, and a conversion on any goal of the journey counts.
     */
    private static Set<String> convertedAfterArm(JourneyTally tally, String stepId, String goal) {
        Map<String, Set<String>> byGoal = tally.convertedAfterArm.getOrDefault(stepId, Map.of());
        if (goal != null) {
            return byGoal.getOrDefault(goal, Set.of());
        }
        Set<String> any = new HashSet<>();
        byGoal.values().forEach(any::addAll);
        return any;
    }

    /** The 95% interval; with more conversions than entries (entries lost to retention) the entries are raised. */
    private static Interval interval(long profiles, long conversions) {
        return RateStatistics.wilson95(Math.max(profiles, conversions), conversions);
    }
}
