package io.journeys.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@code simulate --out} of every ready-to-run job writes report.json; its counts must be those recounted here
 * the plain way from the steps.jsonl the same run wrote, and {@code report --steps} must give the same file.
 */
class ReportSimulationITCase {

    private static final ObjectMapper JSON = new ObjectMapper();

    @RegisterExtension
    static final MiniClusterExtension CLUSTER = new MiniClusterExtension(
            new MiniClusterResourceConfiguration.Builder().setNumberTaskManagers(1).setNumberSlotsPerTaskManager(2).build());

    @TempDir
    Path temp;

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    static Stream<Path> jobs() throws IOException {
        try (Stream<Path> folders = Files.list(Path.of("jobs"))) {
            return folders.filter(f -> Files.exists(f.resolve("expected-actions.jsonl"))).sorted().toList().stream();
        }
    }

    @ParameterizedTest
    @MethodSource("jobs")
    void shouldWriteAReportWhoseCountsAreThoseOfItsStepEvents(Path job) throws Exception {
        assertThat(run(simulation(job))).as(err.toString()).isZero();
        List<String> steps = Files.readAllLines(temp.resolve("steps.jsonl")).stream().filter(l -> !l.isBlank()).toList();
        JsonNode report = JSON.readTree(temp.resolve("report.json").toFile());

        assertThat(steps).isNotEmpty();
        Map<String, List<JsonNode>> byJourney = new TreeMap<>();
        Set<String> eventIds = new HashSet<>();
        for (String line : steps) {
            JsonNode event = JSON.readTree(line);
            if (eventIds.add(event.get("eventId").asText())) {
                byJourney.computeIfAbsent(key(event), k -> new ArrayList<>()).add(event);
            }
        }
        for (Map.Entry<String, List<JsonNode>> journey : byJourney.entrySet()) {
            JsonNode reported = journey(report, journey.getKey());
            assertThat(reported).as("report.json has " + journey.getKey()).isNotNull();
            assertRecounted(journey.getValue(), reported);
            assertThat(out.toString()).contains(journey.getKey() + ": entered ");
        }
        assertThat(out.toString()).contains("report.json");

        out.getBuffer().setLength(0);
        assertThat(run("report", "--steps", temp.resolve("steps.jsonl").toString(), "--journeys", job.toString(),
                "--json")).as(err.toString()).isZero();
        assertThat(JSON.readTree(out.toString())).isEqualTo(report);
    }

    /** The figures of one journey version recounted from its events, one definition at a time (README, Reports). */
    private static void assertRecounted(List<JsonNode> events, JsonNode reported) {
        String name = reported.get("journeyId").asText() + " v" + reported.get("journeyVersion").asInt();
        assertThat(reported.get("entered").asLong()).as(name + " entered").isEqualTo(count(events, "entered", null));
        for (String outcome : List.of("completed", "exited", "timedOut")) {
            assertThat(reported.get(outcome).asLong()).as(name + " " + outcome).isEqualTo(count(events, outcome, null));
        }
        assertThat(reported.get("errors").asLong()).as(name + " errors").isEqualTo(count(events, "error", null));
        long ended = count(events, "completed", null) + count(events, "exited", null) + count(events, "timedOut", null)
                + count(events, "error", null);
        assertThat(reported.get("inside").asLong()).as(name + " inside").isEqualTo(count(events, "entered", null) - ended);

        Map<String, JsonNode> last = new HashMap<>();
        Set<String> endedInstances = new HashSet<>();
        for (JsonNode event : events) {
            String status = event.get("status").asText();
            if (!status.equals("converted") && !status.equals("excluded")) {
                last.put(event.get("instanceId").asText(), event);
            }
            if (List.of("completed", "exited", "timedOut", "error").contains(status)) {
                endedInstances.add(event.get("instanceId").asText());
            }
        }
        Map<String, Long> edges = new HashMap<>();
        for (JsonNode event : events) {
            if (event.hasNonNull("next")) {
                edges.merge(event.get("stepId").asText() + "|" + text(event, "branch") + "|" + event.get("next").asText(),
                        1L, Long::sum);
            }
        }
        JsonNode steps = reported.get("steps");
        for (var it = steps.fields(); it.hasNext(); ) {
            var step = it.next();
            String id = step.getKey();
            JsonNode counts = step.getValue();
            long arrivals = count(events, "entered", id)
                    + events.stream().filter(e -> id.equals(text(e, "next"))).count();
            long waiting = last.entrySet().stream().filter(e -> !endedInstances.contains(e.getKey()))
                    .map(Map.Entry::getValue)
                    .filter(e -> e.get("status").asText().equals("waiting") && id.equals(text(e, "stepId"))).count();
            long timeouts = count(events, "timedOut", id) + events.stream()
                    .filter(e -> id.equals(text(e, "stepId")) && "onTimeout".equals(text(e, "branch"))
                            && e.hasNonNull("next")).count();
            assertThat(counts.get("reached").asLong()).as(name + " " + id + " reached").isEqualTo(arrivals);
            assertThat(counts.get("waiting").asLong()).as(name + " " + id + " waiting").isEqualTo(waiting);
            assertThat(counts.get("executed").asLong()).as(name + " " + id + " executed").isEqualTo(count(events, "executed", id));
            assertThat(counts.get("completed").asLong()).as(name + " " + id + " completed").isEqualTo(count(events, "completed", id));
            assertThat(counts.get("exited").asLong()).as(name + " " + id + " exited").isEqualTo(count(events, "exited", id));
            assertThat(counts.get("skipped").asLong()).as(name + " " + id + " skipped").isEqualTo(count(events, "skipped", id));
            assertThat(counts.get("timedOut").asLong()).as(name + " " + id + " timedOut").isEqualTo(timeouts);
            assertThat(counts.get("excluded").asLong()).as(name + " " + id + " excluded").isEqualTo(count(events, "excluded", id));
            // held: the instances' arrivals at the step held by quiet hours, a renewed hold (RUL-006 again in the
            // same stay) once
            long held = 0;
            Map<String, String> heldAt = new HashMap<>();
            for (JsonNode event : events) {
                String status = event.get("status").asText();
                if (status.equals("converted") || status.equals("excluded")) {
                    continue;
                }
                String instance = event.get("instanceId").asText();
                boolean holds = status.equals("waiting") && "RUL-006".equals(text(event, "errorCode"));
                if (holds && id.equals(text(event, "stepId")) && !id.equals(heldAt.get(instance))) {
                    held++;
                }
                heldAt.put(instance, holds ? text(event, "stepId") : null);
            }
            assertThat(counts.get("held").asLong()).as(name + " " + id + " held").isEqualTo(held);
            List<JsonNode> here = events.stream().filter(e -> id.equals(text(e, "stepId"))).toList();
            assertThat(codes(counts.get("errors"))).as(name + " " + id + " errors").isEqualTo(codes(here, false));
            assertThat(codes(counts.get("rules"))).as(name + " " + id + " rules").isEqualTo(codes(here, true));
        }
        Map<String, Long> rules = new TreeMap<>(codes(reported.get("rules")));
        rules.values().removeIf(n -> n == 0);
        assertThat(rules).as(name + " rules").isEqualTo(codes(events, true));
        // every way taken is an edge with its count; the document's other ports are there with 0
        Map<String, Long> reportedEdges = new HashMap<>();
        reported.get("edges").forEach(e -> reportedEdges.put(e.get("from").asText() + "|" + text(e, "branch") + "|"
                + e.get("to").asText(), e.get("count").asLong()));
        edges.forEach((edge, count) -> assertThat(reportedEdges.get(edge)).as(name + " edge " + edge).isEqualTo(count));
        reportedEdges.forEach((edge, count) -> assertThat(count).as(name + " edge " + edge)
                .isEqualTo(edges.getOrDefault(edge, 0L)));
        assertThat(reportedEdges.values().stream().filter(c -> c == 0)).as(name + " ports never taken")
                .hasSize(reportedEdges.size() - edges.size());
        assertGoalsAndExperimentsRecounted(events, reported, name);
    }

    /** Conversions: instances once per goal; arms: the instances whose events at the step carry the arm. */
    private static void assertGoalsAndExperimentsRecounted(List<JsonNode> events, JsonNode reported, String name) {
        Map<String, Set<String>> converted = new HashMap<>();
        events.stream().filter(e -> e.get("status").asText().equals("converted"))
                .forEach(e -> converted.computeIfAbsent(e.get("goal").asText(), g -> new HashSet<>())
                        .add(e.get("instanceId").asText()));
        long entered = count(events, "entered", null);
        assertThat(names(reported.get("goals"))).as(name + " goals").containsAll(converted.keySet());
        reported.get("goals").fields().forEachRemaining(goal -> {
            long conversions = converted.getOrDefault(goal.getKey(), Set.of()).size();
            assertThat(goal.getValue().get("conversions").asLong()).as(name + " goal " + goal.getKey())
                    .isEqualTo(conversions);
            assertThat(goal.getValue().get("rate").asDouble()).isEqualTo(entered == 0 ? 0.0 : (double) conversions / entered);
        });
        reported.get("experiments").fields().forEachRemaining(experiment -> {
            String step = experiment.getKey();
            Set<String> onGoal = converted.getOrDefault(experiment.getValue().get("goal").asText(), Set.of());
            Map<String, Set<String>> arms = new HashMap<>();
            Set<String> winners = new HashSet<>();
            events.stream().filter(e -> step.equals(text(e, "stepId")) && e.hasNonNull("arm")).forEach(e -> {
                arms.computeIfAbsent(e.get("arm").asText(), a -> new HashSet<>()).add(e.get("instanceId").asText());
                if (e.path("winner").asBoolean(false)) {
                    winners.add(e.get("arm").asText());
                }
            });
            assertThat(winners).as(name + " " + step + " winners").hasSizeLessThanOrEqualTo(1);
            assertThat(text(experiment.getValue(), "winner")).as(name + " " + step + " winner")
                    .isEqualTo(winners.isEmpty() ? null : winners.iterator().next());
            experiment.getValue().get("arms").fields().forEachRemaining(arm -> {
                Set<String> instances = arms.getOrDefault(arm.getKey(), Set.of());
                assertThat(arm.getValue().get("profiles").asLong()).as(name + " " + step + " " + arm.getKey())
                        .isEqualTo(instances.size());
                assertThat(arm.getValue().get("conversions").asLong()).as(name + " " + step + " " + arm.getKey())
                        .isEqualTo(instances.stream().filter(onGoal::contains).count());
            });
            assertThat(names(experiment.getValue().get("arms"))).containsAll(arms.keySet());
        });
    }

    /** The events carrying an error code, by code: the delivery rules' ({@code RUL-}) or the others. */
    private static Map<String, Long> codes(List<JsonNode> events, boolean rules) {
        Map<String, Long> codes = new TreeMap<>();
        events.stream().filter(e -> e.hasNonNull("errorCode"))
                .filter(e -> e.get("errorCode").asText().startsWith("RUL-") == rules)
                .forEach(e -> codes.merge(e.get("errorCode").asText(), 1L, Long::sum));
        return codes;
    }

    private static Map<String, Long> codes(JsonNode counts) {
        Map<String, Long> codes = new TreeMap<>();
        counts.fields().forEachRemaining(e -> codes.put(e.getKey(), e.getValue().asLong()));
        return codes;
    }

    private static List<String> names(JsonNode node) {
        List<String> names = new ArrayList<>();
        node.fieldNames().forEachRemaining(names::add);
        return names;
    }

    private static long count(List<JsonNode> events, String status, String stepId) {
        return events.stream().filter(e -> e.get("status").asText().equals(status))
                .filter(e -> stepId == null || stepId.equals(text(e, "stepId"))).count();
    }

    private static String text(JsonNode node, String field) {
        return node.hasNonNull(field) ? node.get(field).asText() : null;
    }

    private static String key(JsonNode event) {
        return event.get("journeyId").asText() + " v" + event.get("journeyVersion").asInt();
    }

    private static JsonNode journey(JsonNode report, String key) {
        for (JsonNode journey : report.get("journeys")) {
            if (key.equals(journey.get("journeyId").asText() + " v" + journey.get("journeyVersion").asInt())) {
                return journey;
            }
        }
        return null;
    }

    private String[] simulation(Path job) {
        List<String> args = new ArrayList<>(List.of("simulate", "--journeys", job.toString(), "--events",
                job.resolve("events.jsonl").toString(), "--out", temp.toString()));
        Map<String, String> optional = Map.of("--profiles", "profiles.jsonl", "--qualifications", "qualifications.jsonl",
                "--responses", "responses.jsonl", "--audiences", "audiences");
        new TreeMap<>(optional).forEach((option, file) -> {
            if (Files.exists(job.resolve(file))) {
                args.add(option);
                args.add(job.resolve(file).toString());
            }
        });
        return args.toArray(String[]::new);
    }

    private int run(String... args) {
        return Main.execute(new PrintWriter(out, true), new PrintWriter(err, true), args);
    }
}
