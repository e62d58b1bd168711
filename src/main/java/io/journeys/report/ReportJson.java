package io.journeys.report;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.journeys.report.JourneyReport.ArmResult;
import io.journeys.report.JourneyReport.EdgeCount;
import io.journeys.report.JourneyReport.ExperimentResult;
import io.journeys.report.JourneyReport.GoalResult;
import io.journeys.report.JourneyReport.Interval;
import io.journeys.report.JourneyReport.SendTimeCounts;
import io.journeys.report.JourneyReport.StepCounts;
import java.io.UncheckedIOException;
import java.util.Map;

/**
 * report.json (DESIGN §9.2), written field by field so that its shape is the contract's whatever the Java
 * records hold. Beyond the contract: each edge's {@code branch}, each goal's {@code ci95}, each arm's
 * {@code probabilityBest} and (with documents) {@code control}; what delivery rules did: each journey's and
 * step's {@code rules} (events by rule code), each step's {@code held} and {@code excluded}; when messages
 * went: each step with {@code sendTime}'s {@code sendTime} (choices by basis, local hour and day, and how long
 * they were held).
 */
public final class ReportJson {

    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private ReportJson() {}

    /** report.json, indented. */
    public static String render(Report report) {
        try {
            return JSON.writeValueAsString(tree(report));
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static ObjectNode tree(Report report) {
        ObjectNode root = JSON.createObjectNode();
        ArrayNode journeys = root.putArray("journeys");
        report.journeys().forEach(j -> journeys.add(journey(j)));
        return root;
    }

    private static ObjectNode journey(JourneyReport journey) {
        ObjectNode node = JSON.createObjectNode();
        node.put("journeyId", journey.key().journeyId());
        node.put("journeyVersion", journey.key().version());
        node.put("entered", journey.entered());
        node.put("completed", journey.completed());
        node.put("exited", journey.exited());
        node.put("timedOut", journey.timedOut());
        node.put("errors", journey.errors());
        node.put("inside", journey.inside());
        node.put("excluded", journey.excluded());
        ObjectNode rules = node.putObject("rules");
        journey.rules().forEach(rules::put);
        ObjectNode steps = node.putObject("steps");
        journey.steps().forEach((id, counts) -> steps.set(id, step(counts, journey.sendTimes().get(id))));
        ArrayNode edges = node.putArray("edges");
        journey.edges().forEach(e -> edges.add(edge(e)));
        ObjectNode goals = node.putObject("goals");
        journey.goals().forEach((id, goal) -> goals.set(id, goal(goal)));
        ObjectNode experiments = node.putObject("experiments");
        journey.experiments().forEach((id, experiment) -> experiments.set(id, experiment(experiment)));
        return node;
    }

    private static ObjectNode step(StepCounts counts, SendTimeCounts sendTime) {
        ObjectNode node = JSON.createObjectNode();
        node.put("reached", counts.reached());
        node.put("waiting", counts.waiting());
        node.put("held", counts.held());
        node.put("executed", counts.executed());
        node.put("completed", counts.completed());
        node.put("exited", counts.exited());
        node.put("timedOut", counts.timedOut());
        node.put("skipped", counts.skipped());
        node.put("excluded", counts.excluded());
        ObjectNode errors = node.putObject("errors");
        counts.errors().forEach(errors::put);
        ObjectNode rules = node.putObject("rules");
        counts.rules().forEach(rules::put);
        if (sendTime != null) {
            node.set("sendTime", sendTime(sendTime));
        }
        return node;
    }

    /** Only on steps with {@code sendTime}: the shape of other steps is the contract's, unchanged. */
    private static ObjectNode sendTime(SendTimeCounts counts) {
        ObjectNode node = JSON.createObjectNode();
        node.put("scheduled", counts.scheduled());
        ObjectNode bases = node.putObject("byBasis");
        counts.byBasis().forEach(bases::put);
        ArrayNode hours = node.putArray("localHours");
        counts.localHours().forEach(hours::add);
        ArrayNode days = node.putArray("localDays");
        counts.localDays().forEach(days::add);
        ObjectNode delay = node.putObject("delay");
        delay.put("median", counts.delayMedian() == null ? null : counts.delayMedian().toString());
        delay.put("p90", counts.delayP90() == null ? null : counts.delayP90().toString());
        return node;
    }

    private static ObjectNode edge(EdgeCount edge) {
        ObjectNode node = JSON.createObjectNode();
        node.put("from", edge.from());
        node.put("to", edge.to());
        node.put("branch", edge.branch());
        node.put("count", edge.count());
        return node;
    }

    private static ObjectNode goal(GoalResult goal) {
        ObjectNode node = JSON.createObjectNode();
        node.put("conversions", goal.conversions());
        node.put("rate", goal.rate());
        node.set("ci95", interval(goal.ci95()));
        return node;
    }

    private static ObjectNode experiment(ExperimentResult experiment) {
        ObjectNode node = JSON.createObjectNode();
        node.put("goal", experiment.goal());
        node.put("winner", experiment.winner());
        ObjectNode arms = node.putObject("arms");
        for (Map.Entry<String, ArmResult> entry : experiment.arms().entrySet()) {
            ArmResult arm = entry.getValue();
            ObjectNode armNode = arms.putObject(entry.getKey());
            armNode.put("profiles", arm.profiles());
            armNode.put("conversions", arm.conversions());
            armNode.put("rate", arm.rate());
            armNode.set("ci95", interval(arm.ci95()));
            armNode.put("probabilityBest", arm.probabilityBest());
            if (arm.control() != null) {
                armNode.put("control", arm.control());
            }
        }
        return node;
    }

    private static ArrayNode interval(Interval interval) {
        return JSON.createArrayNode().add(interval.low()).add(interval.high());
    }
}
