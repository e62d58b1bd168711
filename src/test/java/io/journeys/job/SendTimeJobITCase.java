package io.journeys.job;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.journeys.testing.Json;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.format.TextStyle;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * jobs/sendtime, simulated: every warm profile (its habit, the local hour of the week it opens at, is in its
 * attributes) gets the campaign email in the hour before that hour in its own zone (so that it is at the top of the
 * inbox when the profile looks: the model's attention), every cold profile in the hour before its zone's
 * population's hour (the zone's opens shrunk toward everyone's), both worked out here from the input files alone;
 * except the sends that explore, which are a small share and say so. A replay gives the same instants. SimulationITCase
 * checks the folder's expected actions.
 */
class SendTimeJobITCase {

    private static final Path FOLDER = Path.of("jobs/sendtime");
    private static final Instant CAMPAIGN_START = Instant.parse("2026-03-02T06:00:17Z");

    @RegisterExtension
    static final MiniClusterExtension CLUSTER = new MiniClusterExtension(
            new MiniClusterResourceConfiguration.Builder().setNumberTaskManagers(1).setNumberSlotsPerTaskManager(2).build());

    private static final Map<String, JsonNode> attributes = new TreeMap<>();
    private static final List<String> events = new ArrayList<>();
    private static Simulation.Result result;

    @BeforeAll
    static void simulate() throws Exception {
        List<String> documents = new ArrayList<>();
        try (Stream<Path> files = Files.list(FOLDER)) {
            for (Path file : files.filter(f -> f.toString().endsWith(".json")).sorted().toList()) {
                documents.add(Files.readString(file));
            }
        }
        List<String> profiles = Files.readAllLines(FOLDER.resolve("profiles.jsonl"));
        profiles.forEach(line -> attributes.put(Json.read(line).get("profileId").asText(), Json.read(line).get("attributes")));
        events.addAll(Files.readAllLines(FOLDER.resolve("events.jsonl")));
        result = Simulation.builder().journeys(documents).eventLines(events).profileLines(profiles).run();
    }

    private static ZoneId zoneOf(String profile) {
        JsonNode zone = attributes.get(profile).get("timeZone");
        return ZoneId.of(zone == null ? "UTC" : zone.asText());
    }

    /** "Tue 19": the local day and hour of an instant in the profile's zone, as the habit attribute writes it. */
    private static String localHour(String profile, Instant at) {
        ZonedDateTime local = at.atZone(zoneOf(profile));
        return local.getDayOfWeek().getDisplayName(TextStyle.SHORT, Locale.ENGLISH) + " " + local.getHour();
    }

    /** "Tue 18" for "Tue 19": the hour a habit's message goes in. */
    private static String hourBefore(String dayAndHour) {
        String[] parts = dayAndHour.split(" ");
        int hour = Integer.parseInt(parts[1]);
        if (hour == 0) {
            throw new IllegalArgumentException("No habit of the data starts a day: " + dayAndHour);
        }
        return parts[0] + " " + (hour - 1);
    }

    /**
     * The local hour of the week a zone's population opens emails at most: the zone's opens shrunk toward
     * everyone's, zone_h + κ·everyone_h/everyone with κ = 50 (undecayed: the history is a few weeks).
     */
    private static String populationsHour(ZoneId zone) {
        Map<String, Double> everyone = new HashMap<>();
        Map<String, Double> blended = new HashMap<>();
        double total = 0;
        for (String line : events) {
            JsonNode event = Json.read(line);
            if (event.get("type").asText().equals("email.opened")) {
                String profile = event.get("profileId").asText();
                String hour = localHour(profile, Instant.parse(event.get("timestamp").asText()));
                everyone.merge(hour, 1.0, Double::sum);
                total++;
                if (zoneOf(profile).equals(zone)) {
                    blended.merge(hour, 1.0, Double::sum);
                }
            }
        }
        for (Map.Entry<String, Double> hour : everyone.entrySet()) {
            blended.merge(hour.getKey(), 50 * hour.getValue() / total, Double::sum);
        }
        return blended.entrySet().stream().max(Map.Entry.comparingByValue()).orElseThrow().getKey();
    }

    @Test
    void shouldSendEachWarmProfileAtItsHabitAndEachColdOneAtItsZonesPopulationsHour() {
        Map<String, String> waitingMessage = new HashMap<>();
        result.steps().stream().map(Json::read)
                .filter(s -> s.get("stepId").asText().equals("mail") && s.get("status").asText().equals("waiting"))
                .forEach(s -> waitingMessage.put(s.get("profileId").asText(), s.get("message").asText()));
        Map<ZoneId, String> populations = new HashMap<>();
        for (String profile : attributes.keySet()) {
            populations.computeIfAbsent(zoneOf(profile), SendTimeJobITCase::populationsHour);
        }
        assertThat(populations).hasSize(4).containsValue("Tue 19");
        int explored = 0;
        int emails = 0;
        int warm = 0;
        int atHabit = 0;
        for (String line : result.actions()) {
            JsonNode action = Json.read(line);
            if (!action.get("stepId").asText().equals("mail")) {
                continue;
            }
            emails++;
            String profile = action.get("profileId").asText();
            Instant at = Instant.parse(action.get("timestamp").asText());
            if (waitingMessage.getOrDefault(profile, "").endsWith("by explore)")) {
                explored++;
                continue;
            }
            JsonNode habit = attributes.get(profile).get("habit");
            String sent = localHour(profile, at);
            String why = waitingMessage.getOrDefault(profile, "sent at once, in the hour chosen");
            String population = hourBefore(populations.get(zoneOf(profile)));
            if (!at.equals(CAMPAIGN_START)) { // a wait starts at the top of an hour; else the hour chosen is now's
                assertThat(at.atZone(zoneOf(profile)).getMinute()).as("at the top of the hour").isZero();
            }
            if (habit == null) {
                assertThat(sent).as("cold %s's email (%s), before its zone's population's hour", profile, why)
                        .isEqualTo(population);
            } else if (why.endsWith("by profile)")) {
                assertThat(sent).as("warm %s's email (%s)", profile, why).isEqualTo(hourBefore(habit.asText()));
            } else {
                // a few opens weigh less than the population's prior: its hour may still win (shrinkage)
                assertThat(sent).as("warm %s's email (%s)", profile, why).isIn(hourBefore(habit.asText()), population);
            }
            if (habit != null) {
                warm++;
                atHabit += sent.equals(hourBefore(habit.asText())) ? 1 : 0;
            }
        }
        assertThat(emails).isEqualTo(237); // 240 profiles, 3 unsubscribed while their email waited
        assertThat(explored).isBetween(1, emails / 10);
        assertThat((double) atHabit / warm).as("warm profiles sent before their habit").isGreaterThan(0.9);
    }

    @Test
    void shouldSendNothingToAProfileThatLeftWhileItsEmailWaited() {
        assertThat(result.actions().stream().map(Json::read).map(a -> a.get("profileId").asText()))
                .doesNotContain("w-007", "c-011", "w-120");
    }

    @Test
    void shouldGiveTheSameInstantsOnAReplay() throws Exception {
        List<String> documents = List.of(Files.readString(FOLDER.resolve("spring-sale.json")));
        Simulation.Result again = Simulation.builder().journeys(documents).eventLines(events)
                .profileLines(Files.readAllLines(FOLDER.resolve("profiles.jsonl"))).run();
        assertThat(again.actions()).isEqualTo(result.actions());
    }
}
