package io.journeys.job;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.journeys.testing.SampleJourneys;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The orchestration semantics end to end: the real job in event time on a MiniCluster at parallelism 2. */
class OrchestrationITCase {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Instant BEGINNING = Instant.parse("2026-04-01T08:00:00Z");

    @RegisterExtension
    static final MiniClusterExtension CLUSTER = new MiniClusterExtension(
            new MiniClusterResourceConfiguration.Builder().setNumberTaskManagers(1).setNumberSlotsPerTaskManager(2).build());

    @BeforeAll
    static void trustAvro() {
    }

    @Test
    void shouldSplitAThousandProfilesThirtySeventyTheSameWayOnEveryRun() throws Exception {
        List<String> events = new ArrayList<>();
        for (int i = 999; i >= 0; i--) { // out of order on purpose
            events.add(event("profile-" + i, "signup", BEGINNING.plusSeconds(i), "{}"));
        }

        Simulation.Result first = Simulation.builder().journeys(List.of(SampleJourneys.SPLIT_30_70)).eventLines(events).run();
        Simulation.Result second = Simulation.builder().journeys(List.of(SampleJourneys.SPLIT_30_70)).eventLines(events).run();

        assertThat(second.actions()).isEqualTo(first.actions()).hasSize(1_000);
        Map<String, Long> shares = first.actions().stream()
                .collect(Collectors.groupingBy(line -> read(line).get("template").asText(), TreeMap::new,
                        Collectors.counting()));
        assertThat(shares.get("a")).isBetween(255L, 345L);
        assertThat(shares.get("a") + shares.get("b")).isEqualTo(1_000);
    }

    @Test
    void shouldFinishWaitingProfilesOnVersionOneWhileNewEntriesTakeVersionTwo() throws Exception {
        String v1 = """
                {"id": "promo", "version": 1, "entry": {"type": "event", "event": "signup"}, "start": "wait",
                 "steps": {
                   "wait": {"type": "wait", "duration": "P1D", "next": "send"},
                   "send": {"type": "action", "channel": "email", "template": "promo-v1", "next": "done"},
                   "done": {"type": "end"}}}""";
        String v2 = """
                {"id": "promo", "version": 2, "publishedAt": "%s", "entry": {"type": "event", "event": "signup"},
                 "start": "send", "steps": {
                   "send": {"type": "action", "channel": "push", "template": "promo-v2", "next": "done"},
                   "done": {"type": "end"}}}""".formatted(BEGINNING.plus(Duration.ofHours(2)));
        List<String> events = List.of(
                event("early", "signup", BEGINNING, "{}"),
                event("late", "signup", BEGINNING.plus(Duration.ofHours(3)), "{}"),
                event("early", "signup", BEGINNING.plus(Duration.ofHours(4)), "{}"));

        Simulation.Result result = Simulation.builder().journeys(List.of(v2, v1)).eventLines(events).run();

        assertThat(result.actions()).extracting(line -> {
            JsonNode action = read(line);
            return action.get("profileId").asText() + " v" + action.get("journeyVersion").asInt() + " "
                    + action.get("template").asText() + " " + action.get("timestamp").asText();
        }).containsExactly(
                "late v2 promo-v2 2026-04-01T11:00:00Z",
                "early v1 promo-v1 2026-04-02T08:00:00Z");
    }

    @Test
    void shouldEndInstancesOnExitCriteriaAndOnTheJourneyTimeout() throws Exception {
        String journey = """
                {"id": "trial", "version": 1, "timeout": "PT12H", "exit": [{"event": "cancelled"}],
                 "entry": {"type": "event", "event": "trial.started"}, "start": "wait",
                 "steps": {
                   "wait": {"type": "wait", "duration": "P1D", "next": "send"},
                   "send": {"type": "action", "channel": "email", "template": "never", "next": "done"},
                   "done": {"type": "end"}}}""";
        List<String> events = List.of(
                event("stays", "trial.started", BEGINNING, "{}"),
                event("leaves", "trial.started", BEGINNING, "{}"),
                event("leaves", "cancelled", BEGINNING.plus(Duration.ofHours(1)), "{}"));

        Simulation.Result result = Simulation.builder().journeys(List.of(journey)).eventLines(events).run();

        assertThat(result.actions()).isEmpty();
        assertThat(result.steps()).extracting(line -> {
            JsonNode step = read(line);
            return step.get("profileId").asText() + " " + step.get("stepId").asText() + " "
                    + step.get("status").asText() + " " + step.get("timestamp").asText();
        }).contains(
                "leaves wait exited 2026-04-01T09:00:00Z",
                "stays wait timedOut 2026-04-01T20:00:00Z");
    }

    @Test
    void shouldEnterOnQualificationsAndExitWhenProfilesLeaveTheAudience() throws Exception {
        String journey = """
                {"id": "vip", "version": 1, "entry": {"type": "qualification", "audience": "vip"},
                 "exit": [{"audienceExit": "vip"}], "start": "check", "steps": {
                   "check": {"type": "condition", "choices": [{"when": "inAudience('vip')", "next": "wait"}],
                             "default": "done"},
                   "wait": {"type": "wait", "duration": "PT2H", "next": "gift"},
                   "gift": {"type": "action", "channel": "email", "template": "gift", "next": "done"},
                   "done": {"type": "end"}}}""";
        List<String> qualifications = List.of(
                "{\"profileId\": \"stays\", \"audienceId\": \"vip\", \"status\": \"enter\", \"timestamp\": \"" + BEGINNING + "\"}",
                "{\"profileId\": \"leaves\", \"audienceId\": \"vip\", \"status\": \"enter\", \"timestamp\": \"" + BEGINNING + "\"}",
                "{\"profileId\": \"leaves\", \"audienceId\": \"vip\", \"status\": \"exit\", \"timestamp\": \""
                        + BEGINNING.plus(Duration.ofHours(1)) + "\"}");

        Simulation.Result result = Simulation.builder().journeys(List.of(journey)).eventLines(List.of())
                .qualificationLines(qualifications).run();

        assertThat(result.actions()).extracting(line -> read(line).get("profileId").asText()).containsExactly("stays");
        assertThat(result.steps()).extracting(line -> read(line).get("profileId").asText() + " "
                + read(line).get("status").asText()).contains("leaves exited");
    }

    private static String event(String profileId, String type, Instant at, String data) {
        return "{\"profileId\": \"" + profileId + "\", \"type\": \"" + type + "\", \"timestamp\": \"" + at
                + "\", \"data\": " + data + "}";
    }

    private static JsonNode read(String line) {
        try {
            return JSON.readTree(line);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
