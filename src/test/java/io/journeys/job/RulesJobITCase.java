package io.journeys.job;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.journeys.testing.Json;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.DayOfWeek;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.temporal.TemporalAdjusters;
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
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * jobs/rules, simulated once, against {@link RulesOracle} (the outcome worked out from the events and profiles
 * alone, without the engine): the same action requests at the same instants and the same rule step events; and,
 * read from the simulation's own outputs, the rules' promises: at most 2 marketing emails a local day and 5
 * marketing messages a local week per profile, nothing inside quiet hours, every held email sent at exactly 08:00
 * local, the newsletter never refused while the lower-priority win-back takes the same issue, a receipt for every
 * order awaited. SimulationITCase checks the folder's expected action requests.
 */
class RulesJobITCase {

    private static final Path FOLDER = Path.of("jobs/rules");

    @RegisterExtension
    static final MiniClusterExtension CLUSTER = new MiniClusterExtension(
            new MiniClusterResourceConfiguration.Builder().setNumberTaskManagers(1).setNumberSlotsPerTaskManager(2).build());

    private static List<JsonNode> events;
    private static List<JsonNode> steps;
    private static List<JsonNode> actions;
    private static Map<String, ZoneId> zones;
    private static RulesOracle oracle;

    @BeforeAll
    static void simulate() throws Exception {
        List<String> eventLines = lines(FOLDER.resolve("events.jsonl"));
        List<String> profileLines = lines(FOLDER.resolve("profiles.jsonl"));
        List<String> documents = new ArrayList<>();
        try (Stream<Path> files = Files.list(FOLDER)) {
            for (Path file : files.filter(f -> f.toString().endsWith(".json")).sorted().toList()) {
                documents.add(Files.readString(file));
            }
        }
        Simulation.Result result = Simulation.builder().journeys(documents).eventLines(eventLines)
                .profileLines(profileLines).run();
        steps = result.steps().stream().map(Json::read).toList();
        actions = result.actions().stream().map(Json::read).toList();
        events = eventLines.stream().map(Json::read).toList();
        zones = new HashMap<>();
        for (String line : profileLines) {
            JsonNode profile = Json.read(line);
            JsonNode zone = profile.get("attributes").get("timeZone");
            if (zone != null) {
                RulesOracle.zone(zone.asText()).ifPresent(z -> zones.put(profile.get("profileId").asText(), z));
            }
        }
        oracle = RulesOracle.play(events, zones);
    }

    @Test
    void shouldSendExactlyTheActionsTheOracleWorksOutFromTheEventsAlone() {
        List<String> simulated = actions.stream().map(a -> new RulesOracle.Sent(text(a, "profileId"),
                text(a, "journeyId"), text(a, "stepId"), text(a, "template"), at(a)).toString()).sorted().toList();

        assertThat(simulated).hasSize(5609).containsExactlyElementsOf(
                oracle.sent.stream().map(RulesOracle.Sent::toString).sorted().toList());
    }

    @Test
    void shouldSkipHoldDiscardAndExcludeExactlyAsTheOracleDoes() {
        List<String> simulated = steps.stream().filter(s -> s.hasNonNull("errorCode")
                        && s.get("errorCode").asText().startsWith("RUL-"))
                .map(s -> new RulesOracle.Ruled(text(s, "profileId"), text(s, "journeyId"), text(s, "stepId"),
                        text(s, "status"), text(s, "errorCode"), at(s)).toString()).sorted().toList();

        assertThat(simulated).containsExactlyElementsOf(
                oracle.ruled.stream().map(RulesOracle.Ruled::toString).sorted().toList());
        Map<String, Integer> entered = new TreeMap<>();
        steps.stream().filter(s -> text(s, "status").equals("entered"))
                .forEach(s -> entered.merge(text(s, "journeyId"), 1, Integer::sum));
        assertThat(entered).isEqualTo(oracle.entered);
        // every rule of the set takes effect in this data
        assertThat(oracle.ruled).extracting(RulesOracle.Ruled::code).contains(
                "RUL-001", "RUL-002", "RUL-003", "RUL-004", "RUL-005", "RUL-006");
    }

    @Test
    void shouldNeverSendMoreThanTheCapsInTheProfilesLocalDayAndWeek() {
        Map<String, Integer> emailsPerDay = new HashMap<>();
        Map<String, Integer> messagesPerWeek = new HashMap<>();
        for (JsonNode action : marketing()) {
            ZonedDateTime local = at(action).atZone(zoneOf(action));
            String profile = text(action, "profileId");
            if (text(action, "channel").equals("email")) {
                emailsPerDay.merge(profile + " " + local.toLocalDate(), 1, Integer::sum);
            }
            messagesPerWeek.merge(profile + " " + local.toLocalDate()
                    .with(TemporalAdjusters.previousOrSame(DayOfWeek.MONDAY)), 1, Integer::sum);
        }
        assertThat(emailsPerDay.values()).allSatisfy(n -> assertThat(n).isLessThanOrEqualTo(2)).contains(2);
        assertThat(messagesPerWeek.values()).allSatisfy(n -> assertThat(n).isLessThanOrEqualTo(5)).contains(5);
    }

    @Test
    void shouldSendNothingInsideQuietHoursAndEveryHeldEmailAtEightLocal() {
        for (JsonNode action : marketing()) {
            LocalTime local = at(action).atZone(zoneOf(action)).toLocalTime();
            switch (text(action, "channel")) {
                case "email" -> assertThat(inside(local, 21, 8)).as("email at %s local: %s", local, action).isFalse();
                case "push" -> assertThat(inside(local, 20, 9)).as("push at %s local: %s", local, action).isFalse();
                default -> assertThat(inside(local, 22, 7)).as("sms at %s local: %s", local, action).isFalse();
            }
        }
        Set<String> held = new HashSet<>();
        steps.stream().filter(s -> "RUL-006".equals(text(s, "errorCode")))
                .forEach(s -> held.add(text(s, "instanceId") + "/" + text(s, "stepId")));
        List<JsonNode> released = actions.stream()
                .filter(a -> held.contains(text(a, "instanceId") + "/" + text(a, "stepId"))).toList();
        assertThat(released).isNotEmpty().allSatisfy(a -> {
            ZonedDateTime local = at(a).atZone(zoneOf(a));
            LocalTime end = text(a, "channel").equals("email") ? LocalTime.of(8, 0) : LocalTime.of(9, 0);
            assertThat(local.toLocalTime()).as("held %s sent at the end of its quiet hours", a).isEqualTo(end);
        });
        // across the daylight-saving changes too: 08:00 in New York on 2026-03-08 and in Paris on 2026-03-29
        assertThat(released).extracting(a -> text(a, "timestamp"))
                .contains("2026-03-08T12:00:00Z", "2026-03-29T06:00:00Z");
    }

    @Test
    void shouldLetTheNewsletterBeforeTheWinbackAndSendEveryReceipt() {
        Set<String> refusedNewsletters = new HashSet<>();
        steps.stream().filter(s -> text(s, "status").equals("excluded") && text(s, "journeyId").equals("newsletter"))
                .forEach(s -> refusedNewsletters.add(text(s, "profileId") + "@" + text(s, "timestamp")));
        List<JsonNode> winbacks = steps.stream().filter(s -> text(s, "status").equals("entered")
                && text(s, "journeyId").equals("winback")).toList();
        assertThat(winbacks).noneMatch(s -> refusedNewsletters.contains(text(s, "profileId") + "@" + text(s, "timestamp")));
        long bothOffered = steps.stream().filter(s -> text(s, "status").equals("excluded")
                && text(s, "journeyId").equals("winback")).count();
        assertThat(bothOffered).as("win-back entries refused for lack of room").isPositive();

        List<JsonNode> receipts = actions.stream().filter(a -> text(a, "template").equals("receipt")).toList();
        assertThat(receipts).hasSize((int) oracle.sent.stream().filter(s -> s.template().equals("receipt")).count());
        Set<String> orders = new HashSet<>();
        events.stream().filter(e -> text(e, "type").equals("order.placed"))
                .forEach(e -> orders.add(text(e, "profileId") + "@" + text(e, "timestamp")));
        assertThat(receipts).allSatisfy(r -> assertThat(orders).contains(text(r, "profileId") + "@" + text(r, "timestamp")));
        // some receipts go out in the night or past the day's cap: they follow no rule
        assertThat(receipts).anyMatch(r -> inside(at(r).atZone(zoneOf(r)).toLocalTime(), 21, 8));
    }

    // ---- helpers ----

    private static List<JsonNode> marketing() {
        return actions.stream().filter(a -> !text(a, "template").equals("receipt")).toList();
    }

    /** Inside a quiet period from {@code from}:00 to {@code to}:00 that crosses midnight. */
    private static boolean inside(LocalTime local, int from, int to) {
        return !local.isBefore(LocalTime.of(from, 0)) || local.isBefore(LocalTime.of(to, 0));
    }

    private static ZoneId zoneOf(JsonNode action) {
        return zones.getOrDefault(text(action, "profileId"), ZoneOffset.UTC);
    }

    private static Instant at(JsonNode node) {
        return Instant.parse(text(node, "timestamp"));
    }

    private static String text(JsonNode node, String field) {
        return node.hasNonNull(field) ? node.get(field).asText() : null;
    }

    private static List<String> lines(Path file) throws Exception {
        return Files.readAllLines(file).stream().filter(l -> !l.isBlank()).toList();
    }
}
