package io.journeys.job;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.journeys.testing.Json;
import io.journeys.testing.TopicReader;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * Journeys that use every step type and expression feature (those of {@code jobs/tour}), the inputs that
 * drive them on a cluster, and what they must produce: what a cluster test runs to prove the jar is complete
 * and the job correct on a real cluster.
 *
 * <p>Six profiles start the tour; a cap admits four of them to an HTTP look-up, a wait {@code until}, a welcome
 * email whose params use the call's answer, the calendar functions and {@code countEvents}, and an await of
 * the email's own open ({@code to}); then {@code updateProfile}, a condition on attributes and an audience
 * ({@code inAudience}), and a jump into a second journey, whose experiment step (on a goal) the job's counter
 * answers. The two others overflow. A trial profile fails the
 * entry {@code when}. Three members of an audience export enter a third journey.
 *
 * <p>The tour and a fourth journey, the offer, follow one rule set ({@code tour-rules.json}): quiet hours in the
 * profile's zone hold the trial profile's offer SMS until their end, the daily SMS cap skips the offer SMS of a
 * profile the tour's overflow already texted, and the one-journey-at-a-time cap refuses the offer to a profile
 * still in the tour. On a cluster the clock is real: each profile's zone is chosen from it (see
 * {@link #middayZone} and {@link #zoneWhereClockReads}), so the rules decide the same whatever the hour.
 */
final class EveryFeature {

    /** The documents of jobs/tour, the ready-to-run folder of these journeys (with its own sample data). */
    static final Path FOLDER = Path.of("jobs/tour");

    static String document(String file) throws IOException {
        return Files.readString(FOLDER.resolve(file));
    }

    /** The CRM action of jobs/tour, calling {@code url} instead of the example host. */
    static String crmAction(String url) throws IOException {
        ObjectNode action = (ObjectNode) Json.read(document("tour-crm.json"));
        return action.put("url", url).toString();
    }

    /** Answers a ping once the definitions have reached the job. */
    static final String WARM = """
            {"id": "warm", "version": 1, "entry": {"type": "event", "event": "warm.ping"}, "start": "pong",
             "steps": {
               "pong": {"type": "action", "channel": "email", "template": "warm-pong", "next": "done"},
               "done": {"type": "end"}}}""";

    private static final ZoneId PARIS = ZoneId.of("Europe/Paris");
    /** The profile the tour's entry filter turns away; it asks for the offer in its night. */
    static final String TRIAL = "t-trial";
    static final String OFFER = "offer";

    private EveryFeature() {}

    /**
     * Pings from several profiles until each is answered: the job reads definitions and events side by side,
     * and an event read before its journey enters nothing. Several profiles, so that every subtask has them.
     */
    static void warmUp(KafkaProducer<String, String> producer, TopicReader actions) throws Exception {
        List<String> pingers = List.of("warm-0", "warm-1", "warm-2", "warm-3", "warm-4", "warm-5", "warm-6", "warm-7");
        for (int attempt = 0; attempt < 60; attempt++) {
            Set<String> answered = answeredPings(actions.readUntil(values -> false, Duration.ZERO));
            if (answered.containsAll(pingers)) {
                return;
            }
            for (String pinger : pingers) {
                if (!answered.contains(pinger)) {
                    producer.send(new ProducerRecord<>("profile-events", pinger,
                            event(pinger + "-ping-" + attempt, pinger, "warm.ping", "{}"))).get();
                }
            }
            actions.readUntil(values -> answeredPings(values).containsAll(pingers), Duration.ofSeconds(3));
        }
        throw new IllegalStateException("Expected the job to answer every ping, but it did not within 60 attempts");
    }

    private static Set<String> answeredPings(List<String> values) {
        return values.stream().map(Json::read).filter(a -> a.get("template").asText().equals("warm-pong"))
                .map(a -> a.get("profileId").asText()).collect(Collectors.toSet());
    }

    static boolean isVip(String profile) {
        return Integer.parseInt(profile.substring(profile.indexOf('-') + 1)) % 2 == 0;
    }

    static String event(String eventId, String profileId, String type, String data) {
        return "{\"eventId\": \"" + eventId + "\", \"profileId\": \"" + profileId + "\", \"type\": \"" + type
                + "\", \"timestamp\": \"" + Instant.now() + "\", \"data\": " + data + "}";
    }

    static String reaction(String profileId, String requestId) {
        return "{\"eventId\": \"" + profileId + "-open\", \"profileId\": \"" + profileId
                + "\", \"type\": \"email.opened\", \"timestamp\": \"" + Instant.now() + "\", \"requestId\": \""
                + requestId + "\", \"data\": {}}";
    }

    /** The profile's attributes, with its own time zone (which the tour's rules read local times in). */
    static String attributes(String profileId, ZoneId zone) {
        return "{\"profileId\": \"" + profileId + "\", \"timestamp\": \"" + Instant.now()
                + "\", \"attributes\": {\"firstName\": \"Ana-" + profileId + "\", \"timeZone\": \"" + zone.getId()
                + "\"}}";
    }

    /** A request for the offer journey, from a browser in {@code zone} (the journey keeps it on the profile). */
    static String offer(String profileId, ZoneId zone) {
        return event(profileId + "-offer", profileId, "tour.offer", "{\"zone\": \"" + zone.getId() + "\"}");
    }

    /**
     * A zone where it is between 12:00 and 13:00 at {@code now}: far from the rules' night (21:00-08:00) and from
     * midnight (where the daily SMS cap starts again), so they let the tour act at once whenever the test runs.
     */
    static ZoneOffset middayZone(Instant now) {
        return ZoneOffset.ofHours(12 - now.atZone(ZoneOffset.UTC).getHour());
    }

    /**
     * The zone whose clock reads {@code local} at {@code instant} (an offset to the second, within 12 hours of
     * UTC): quiet hours ending at {@code local} there end at exactly {@code instant}.
     */
    static ZoneOffset zoneWhereClockReads(Instant instant, LocalTime local) {
        int day = 24 * 3600;
        int offset = Math.floorMod(local.toSecondOfDay() - instant.atZone(ZoneOffset.UTC).toLocalTime().toSecondOfDay(), day);
        return ZoneOffset.ofTotalSeconds(offset >= day / 2 ? offset - day : offset);
    }

    static String qualification(String profileId, String audienceId) {
        return "{\"profileId\": \"" + profileId + "\", \"audienceId\": \"" + audienceId
                + "\", \"status\": \"enter\", \"timestamp\": \"" + Instant.now() + "\"}";
    }

    /** A complete export of the newsletter audience: its part file, then its _SUCCESS marker. */
    static void writeExport(Path exportDir, List<String> members) throws IOException {
        Files.createDirectories(exportDir);
        StringBuilder csv = new StringBuilder("profileId,city\n");
        for (String member : members) {
            csv.append(member).append(",city-").append(member).append('\n');
        }
        Files.writeString(exportDir.resolve("part-0.csv"), csv);
        Files.writeString(exportDir.resolve("_SUCCESS"), "{\"audienceId\": \"newsletter\", \"exportId\": \""
                + exportDir.getFileName() + "\", \"exportedAt\": \"" + Instant.now() + "\", \"records\": "
                + members.size() + "}");
    }

    /** What the journeys must have produced, each exactly once. */
    static void check(List<JsonNode> actions, List<JsonNode> profileWrites, int httpCalls) {
        Map<String, List<JsonNode>> byTemplate = actions.stream()
                .collect(Collectors.groupingBy(a -> a.get("template").asText()));
        assertThat(actions.stream().map(a -> a.get("requestId").asText())).as("request ids").doesNotHaveDuplicates();
        assertThat(actions.stream().filter(a -> !a.get("journeyId").asText().equals(OFFER))
                .map(a -> a.get("profileId").asText())).as("the trial profile never enters the tour").doesNotContain(TRIAL);

        List<JsonNode> welcomes = byTemplate.get("tour-welcome");
        Set<String> admitted = profiles(welcomes);
        assertThat(welcomes).as("welcomes").hasSize(4);
        assertThat(admitted).as("admitted by the cap").hasSize(4);
        assertThat(profiles(byTemplate.get("tour-overflow"))).as("overflowed").hasSize(2).doesNotContainAnyElementsOf(admitted);
        assertThat(httpCalls).as("calls of the CRM").isEqualTo(4);
        for (JsonNode welcome : welcomes) {
            JsonNode params = welcome.get("params");
            assertThat(params.get("plan").asText()).isEqualTo("pro");
            assertThat(params.get("tier").asText()).as("from the call's answer").isEqualTo("gold");
            assertThat(params.get("logins").asInt()).as("countEvents").isEqualTo(2);
            Instant sent = Instant.parse(welcome.get("timestamp").asText());
            assertThat(params.get("weekday").asInt()).isEqualTo(sent.atZone(PARIS).getDayOfWeek().getValue());
            assertThat(params.get("hour").asInt()).isEqualTo(sent.atZone(PARIS).getHour());
            Instant nextMorning = Instant.parse(params.get("nextMorning").asText());
            assertThat(nextMorning.atZone(PARIS).toLocalTime()).isEqualTo(LocalTime.of(9, 0));
            assertThat(nextMorning.atZone(PARIS).toLocalDate()).isEqualTo(sent.atZone(PARIS).toLocalDate().plusDays(1));
        }
        assertThat(byTemplate.get("tour-late")).as("awaits that timed out: every email was opened").isNull();
        assertThat(profiles(byTemplate.get("tour-gold"))).as("gold and in the vip audience")
                .isEqualTo(admitted.stream().filter(EveryFeature::isVip).collect(Collectors.toSet()));
        byTemplate.get("tour-gold").forEach(gold -> assertThat(gold.get("params").get("name").asText())
                .isEqualTo("Ana-" + gold.get("profileId").asText()));
        assertThat(byTemplate.get("sequel-bye")).as("jumped into the sequel").hasSize(4)
                .allSatisfy(bye -> {
                    assertThat(bye.get("params").get("plan").asText()).isEqualTo("pro");
                    // the experiment's counter answered through action-results (else the step waits 10 minutes)
                    assertThat(bye.get("params").get("arm").asText()).as("experiment arm").isIn("short", "long");
                });
        assertThat(profiles(byTemplate.get("sequel-bye"))).isEqualTo(admitted);
        assertThat(profileWrites.stream().filter(w -> w.get("journeyId").asText().equals("tour")))
                .as("profile writes of the tour").hasSize(4).allSatisfy(write -> {
            assertThat(write.get("attributes").get("toured").asBoolean()).isTrue();
            assertThat(write.get("attributes").get("tier").asText()).isEqualTo("gold");
        });
        assertThat(byTemplate.get("listed-hello")).as("members of the export").hasSize(3)
                .allSatisfy(hello -> assertThat(hello.get("params").get("city").asText())
                        .isEqualTo("city-" + hello.get("profileId").asText()));
        Map<String, Long> perProfileAndTemplate = actions.stream().collect(Collectors.groupingBy(
                a -> a.get("profileId").asText() + ":" + a.get("template").asText(), Collectors.counting()));
        assertThat(perProfileAndTemplate.values()).as("copies of each action").containsOnly(1L);
    }

    /**
     * What the tour's rules must have decided on the offer, each once: the trial profile's terms email (exempt from
     * the rules) at once in its night and its code SMS held until {@code heldUntil}, the end of its quiet hours, then
     * its call-back push parked by the daytime window (which opens an hour later); the code SMS of the profiles the
     * tour's overflow texted skipped by the daily SMS cap, their push sent (the window is open at their midday); no
     * instance at all for {@code excluded}, asked for the offer while still in the tour.
     */
    static void checkRules(List<JsonNode> actions, List<JsonNode> steps, List<JsonNode> profileWrites, String excluded,
            Set<String> overflowed, Instant heldUntil) {
        Map<String, List<JsonNode>> byTemplate = actions.stream().filter(a -> a.get("journeyId").asText().equals(OFFER))
                .collect(Collectors.groupingBy(a -> a.get("template").asText()));
        List<JsonNode> offerSteps = steps.stream().filter(s -> s.get("journeyId").asText().equals(OFFER)).toList();
        Set<String> entered = new java.util.HashSet<>(overflowed);
        entered.add(TRIAL);

        assertThat(profiles(byTemplate.get("offer-terms"))).as("terms, exempt from the rules").isEqualTo(entered);
        assertThat(byTemplate.get("offer-terms")).filteredOn(a -> a.get("profileId").asText().equals(TRIAL))
                .singleElement().satisfies(terms -> assertThat(Instant.parse(terms.get("timestamp").asText()))
                        .as("the trial's terms, sent in its night").isBefore(heldUntil));
        assertThat(byTemplate.get("offer-code")).as("codes: the trial's, held until its quiet hours ended")
                .singleElement().satisfies(code -> {
                    assertThat(code.get("profileId").asText()).isEqualTo(TRIAL);
                    assertThat(Instant.parse(code.get("timestamp").asText())).isEqualTo(heldUntil);
                });
        assertThat(statuses(offerSteps, TRIAL, "code")).as("the trial's code step")
                .containsExactly("waiting RUL-006", "executed");
        assertThat(offerSteps).filteredOn(s -> s.get("profileId").asText().equals(TRIAL)
                && s.get("stepId").asText().equals("code") && s.get("status").asText().equals("waiting"))
                .singleElement().satisfies(held -> assertThat(held.get("message").asText())
                        .contains("quiet hours night", "until " + heldUntil));
        assertThat(profiles(byTemplate.get("offer-call"))).as("call-backs inside the daytime window").isEqualTo(overflowed);
        assertThat(statuses(offerSteps, TRIAL, "daytime")).as("the trial's window, shut at 08:00")
                .containsExactly("waiting");
        for (String profile : overflowed) {
            assertThat(statuses(offerSteps, profile, "code")).as("code step of %s, texted by the overflow", profile)
                    .containsExactly("skipped RUL-001");
        }
        assertThat(offerSteps).as("the offer refused to %s, still in the tour", excluded)
                .filteredOn(s -> s.get("profileId").asText().equals(excluded))
                .singleElement().satisfies(refused -> {
                    assertThat(refused.get("status").asText()).isEqualTo("excluded");
                    assertThat(refused.get("errorCode").asText()).isEqualTo("RUL-005");
                    assertThat(refused.get("stepId").asText()).isEqualTo("remember");
                });
        assertThat(profileWrites.stream().filter(w -> w.get("journeyId").asText().equals(OFFER))
                .map(w -> w.get("profileId").asText())).as("zones the offer kept").containsExactlyInAnyOrderElementsOf(entered);
    }

    /** The statuses (with their error codes) of one profile's visits to a step, in order. */
    private static List<String> statuses(List<JsonNode> steps, String profile, String step) {
        return steps.stream().filter(s -> s.get("profileId").asText().equals(profile) && s.get("stepId").asText().equals(step))
                .map(s -> s.get("status").asText() + (s.has("errorCode") ? " " + s.get("errorCode").asText() : ""))
                .toList();
    }

    private static Set<String> profiles(List<JsonNode> actions) {
        assertThat(actions).isNotNull();
        return actions.stream().map(a -> a.get("profileId").asText()).collect(Collectors.toSet());
    }
}
