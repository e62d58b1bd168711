package io.journeys.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.journeys.engine.StepStatus;
import io.journeys.job.Simulation;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;

/** Per-journey counts of a simulation: entered, completed, exited, timed out, errors, waiting, actions per channel. */
final class SimulationSummary {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final Map<String, Counts> byJourney = new TreeMap<>();

    static final class Counts {
        int entered;
        int completed;
        int exited;
        int timedOut;
        int errors;
        final Map<String, Integer> actionsByChannel = new TreeMap<>();
        final Map<String, String> lastStatusByInstance = new HashMap<>();

        int waitingAtEnd() {
            return (int) lastStatusByInstance.values().stream().filter(StepStatus.WAITING::equals).count();
        }
    }

    static SimulationSummary of(Simulation.Result result) {
        SimulationSummary summary = new SimulationSummary();
        for (String line : result.steps()) {
            JsonNode step = read(line);
            Counts counts = summary.counts(step.get("journeyId").asText() + " v" + step.get("journeyVersion").asText());
            String status = step.get("status").asText();
            counts.lastStatusByInstance.put(step.get("instanceId").asText(), status);
            switch (status) {
                case StepStatus.ENTERED -> counts.entered++;
                case StepStatus.COMPLETED -> counts.completed++;
                case StepStatus.EXITED -> counts.exited++;
                case StepStatus.TIMED_OUT -> counts.timedOut++;
                case StepStatus.ERROR -> counts.errors++;
                default -> { }
            }
        }
        for (String line : result.actions()) {
            JsonNode action = read(line);
            Counts counts = summary.counts(action.get("journeyId").asText() + " v" + action.get("journeyVersion").asText());
            counts.actionsByChannel.merge(action.get("channel").asText(), 1, Integer::sum);
        }
        return summary;
    }

    private Counts counts(String journey) {
        return byJourney.computeIfAbsent(journey, j -> new Counts());
    }

    String render() {
        StringBuilder text = new StringBuilder();
        text.append(String.format("%-28s %8s %9s %7s %8s %7s %8s  %s%n", "journey", "entered", "completed", "exited",
                "timedOut", "errors", "waiting", "actions"));
        if (byJourney.isEmpty()) {
            text.append("(no profile entered any journey)\n");
        }
        byJourney.forEach((journey, c) -> text.append(String.format("%-28s %8d %9d %7d %8d %7d %8d  %s%n", journey,
                c.entered, c.completed, c.exited, c.timedOut, c.errors, c.waitingAtEnd(),
                c.actionsByChannel.isEmpty() ? "-" : c.actionsByChannel.toString())));
        return text.toString();
    }

    private static JsonNode read(String line) {
        try {
            return JSON.readTree(line);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
