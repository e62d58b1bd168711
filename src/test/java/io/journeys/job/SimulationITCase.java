package io.journeys.job;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.journeys.exports.AudienceExports;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.stream.Stream;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Simulations of the real job on a shared MiniCluster at parallelism 2, with RocksDB and out-of-order input. */
class SimulationITCase {

    private static final ObjectMapper JSON = new ObjectMapper();

    @RegisterExtension
    static final MiniClusterExtension CLUSTER = new MiniClusterExtension(
            new MiniClusterResourceConfiguration.Builder()
                    .setNumberTaskManagers(1)
                    .setNumberSlotsPerTaskManager(2)
                    .build());

    @BeforeAll
    static void trustAvro() {
    }

    static Stream<Path> jobs() throws IOException {
        try (Stream<Path> folders = Files.list(Path.of("jobs"))) {
            return folders.filter(f -> Files.exists(f.resolve("expected-actions.jsonl"))).sorted().toList().stream();
        }
    }

    @ParameterizedTest
    @MethodSource("jobs")
    void shouldProduceTheExpectedActionsOfEveryReadyToRunJob(Path job) throws Exception {
        Simulation.Result result = simulate(job, lines(job.resolve("events.jsonl")));

        assertThat(result.actions().stream().map(SimulationITCase::withoutIds).toList())
                .containsExactlyElementsOf(lines(job.resolve("expected-actions.jsonl")).stream()
                        .map(SimulationITCase::withoutIds).toList());
    }

    @Test
    void shouldGiveTheSameOutputsWhateverTheOrderOfTheEventsFile() throws Exception {
        Path job = Path.of("jobs/welcome");
        List<String> events = lines(job.resolve("events.jsonl"));
        List<String> shuffled = new ArrayList<>(events);
        Collections.reverse(shuffled);

        Simulation.Result inOrder = simulate(job, events);
        Simulation.Result reversed = simulate(job, shuffled);

        assertThat(reversed.actions()).isEqualTo(inOrder.actions());
        assertThat(reversed.steps()).isEqualTo(inOrder.steps());
    }

    @Test
    void shouldEndEveryWelcomeInstanceWithTheExpectedStatusAndDeadLetterMalformedLines() throws Exception {
        Path job = Path.of("jobs/welcome");
        Simulation.Result result = simulate(job, lines(job.resolve("events.jsonl")));

        assertThat(finalStatuses(result)).containsExactly(
                "p-ana:done:completed", "p-ben:done:completed", "p-dan:wait-1d:exited");
        assertThat(result.deadLetters()).extracting(line -> read(line).get("errorCode").asText())
                .containsExactlyInAnyOrder("INP-001", "INP-002");
        assertThat(result.deadLetters()).allSatisfy(line -> assertThat(read(line).get("position").asText())
                .startsWith("line "));
    }

    @Test
    void shouldStopAtTheUntilInstantWithProfilesStillWaiting() throws Exception {
        Path job = Path.of("jobs/welcome");
        Simulation.Result result = Simulation.builder()
                .journeys(List.of(Files.readString(job.resolve("journey.json"))))
                .eventLines(lines(job.resolve("events.jsonl")))
                .profileLines(lines(job.resolve("profiles.jsonl")))
                .until(Instant.parse("2026-01-05T23:00:00Z"))
                .run();

        assertThat(result.actions()).extracting(line -> read(line).get("template").asText())
                .containsExactly("welcome-1", "welcome-1", "welcome-1");
        assertThat(finalStatuses(result)).containsExactly(
                "p-ana:wait-1d:waiting", "p-ben:wait-1d:waiting", "p-dan:wait-1d:exited");
    }

    @Test
    void shouldRunSeveralJourneysOnOneEventTypeWithConditionsOnAttributesUpdatedDuringAWait() throws Exception {
        String vip = """
                {"id": "vip", "version": 1, "entry": {"type": "event", "event": "purchase", "when": "event.amount > 100.0"},
                 "start": "wait", "steps": {
                   "wait": {"type": "wait", "duration": "PT2H", "next": "tier"},
                   "tier": {"type": "condition", "choices": [{"when": "profile.tier == 'gold'", "next": "gold"}],
                            "default": "done"},
                   "gold": {"type": "action", "channel": "sms", "template": "gold-thanks",
                            "params": {"amount": "event.amount"}, "next": "done"},
                   "done": {"type": "end"}}}""";
        String receipt = """
                {"id": "receipt", "version": 1, "entry": {"type": "event", "event": "purchase"},
                 "start": "send", "steps": {
                   "send": {"type": "action", "channel": "inApp", "template": "receipt", "next": "done"},
                   "done": {"type": "end"}}}""";
        List<String> events = List.of(
                "{\"profileId\": \"p1\", \"type\": \"purchase\", \"timestamp\": \"2026-02-01T10:00:00Z\", \"data\": {\"amount\": 150}}",
                "{\"profileId\": \"p2\", \"type\": \"purchase\", \"timestamp\": \"2026-02-01T10:00:00Z\", \"data\": {\"amount\": 100}}");
        List<String> profiles = List.of(
                "{\"profileId\": \"p1\", \"timestamp\": \"2026-02-01T09:00:00Z\", \"attributes\": {\"tier\": \"silver\"}}",
                "{\"profileId\": \"p1\", \"timestamp\": \"2026-02-01T11:00:00Z\", \"attributes\": {\"tier\": \"gold\"}}");

        Simulation.Result result = Simulation.builder().journeys(List.of(vip, receipt)).eventLines(events)
                .profileLines(profiles).run();

        assertThat(result.actions()).extracting(line -> {
            JsonNode action = read(line);
            return action.get("profileId").asText() + ":" + action.get("template").asText() + "@"
                    + action.get("timestamp").asText() + action.get("params");
        }).containsExactly(
                "p1:receipt@2026-02-01T10:00:00Z{}",
                "p2:receipt@2026-02-01T10:00:00Z{}",
                "p1:gold-thanks@2026-02-01T12:00:00Z{\"amount\":150}");
    }

    // ---- helpers ----

    private static Simulation.Result simulate(Path job, List<String> events) throws Exception {
        Path profiles = job.resolve("profiles.jsonl");
        Path audiences = job.resolve("audiences");
        Path responses = job.resolve("responses.jsonl");
        Path qualifications = job.resolve("qualifications.jsonl");
        List<String> documents = new java.util.ArrayList<>();
        try (Stream<Path> files = Files.list(job)) {
            for (Path file : files.filter(f -> f.toString().endsWith(".json")).sorted().toList()) {
                documents.add(Files.readString(file));
            }
        }
        Simulation.Builder simulation = Simulation.builder()
                .journeys(documents)
                .eventLines(events)
                .profileLines(Files.exists(profiles) ? lines(profiles) : List.of())
                .qualificationLines(Files.exists(qualifications) ? lines(qualifications) : List.of())
                .audienceMembers(Files.isDirectory(audiences) ? AudienceExports.read(audiences) : List.of());
        if (Files.exists(responses)) {
            simulation.inlineCalls(io.journeys.http.CannedCalls.parse(lines(responses)));
        }
        return simulation.run();
    }

    /** The last status of each instance, as profile:step:status, sorted. */
    private static List<String> finalStatuses(Simulation.Result result) {
        java.util.Map<String, String> last = new java.util.TreeMap<>();
        for (String line : result.steps()) {
            JsonNode step = read(line);
            last.put(step.get("profileId").asText() + "/" + step.get("instanceId").asText(),
                    step.get("profileId").asText() + ":" + step.get("stepId").asText() + ":" + step.get("status").asText());
        }
        return last.values().stream().sorted().toList();
    }

    private static JsonNode withoutIds(String line) {
        ObjectNode node = (ObjectNode) read(line);
        node.remove(List.of("requestId", "instanceId", "journeyId", "journeyVersion"));
        return node;
    }

    private static List<String> lines(Path file) throws IOException {
        return Files.readAllLines(file).stream().filter(l -> !l.isBlank()).toList();
    }

    private static JsonNode read(String line) {
        try {
            return JSON.readTree(line);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
