package io.journeys.job;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.journeys.job.DeliveryRulesITCase.Profile;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * The assertions of {@link DeliveryRulesITCase} on the job's committed action requests and step events (JSON), and
 * the local-time arithmetic they need, done with java.time rather than the engine's own period classes.
 */
final class DeliveryRulesChecks {

    private DeliveryRulesChecks() {}

    /** Everything the model says for one profile, from its committed requests and step events. */
    static void checkProfile(Profile profile, DeliveryRulesModel.Outcome expected, Instant end,
            List<JsonNode> requests, List<JsonNode> steps) {
        String as = profile + ": " + expected;
        List<JsonNode> ruled = requests.stream().filter(r -> !r.get("stepId").asText().equals("receipt")).toList();
        List<JsonNode> atOnce = ruled.stream().filter(r -> at(r).isBefore(end)).toList();
        List<JsonNode> later = ruled.stream().filter(r -> !at(r).isBefore(end)).toList();
        assertThat(keys(atOnce)).as("sent at once, " + as).containsExactlyInAnyOrderElementsOf(expected.sentAtOnce);
        assertThat(later).as("sent when the quiet period ends, " + as).hasSize(expected.sentAtEnd)
                .allSatisfy(r -> assertThat(at(r)).isEqualTo(end));
        List<JsonNode> capped = steps.stream().filter(DeliveryRulesChecks::isCap).toList();
        List<JsonNode> cappedLater = capped.stream().filter(s -> !at(s).isBefore(end)).toList();
        assertThat(keys(capped.stream().filter(s -> at(s).isBefore(end)).toList())).as("capped at once, " + as)
                .containsExactlyInAnyOrderElementsOf(expected.cappedAtOnce);
        assertThat(cappedLater).as("capped when the quiet period ends, " + as)
                .allSatisfy(s -> assertThat(at(s)).isEqualTo(end));
        assertThat(concat(keys(later), keys(cappedLater))).as("each due at the end sent or capped once, " + as)
                .containsExactlyInAnyOrderElementsOf(expected.dueAtEnd);
        List<JsonNode> holds = steps.stream().filter(DeliveryRulesChecks::isHold).toList();
        assertThat(keys(holds)).as("held, " + as).containsExactlyInAnyOrderElementsOf(expected.held);
        assertThat(holds).allSatisfy(s -> assertThat(s.get("message").asText()).endsWith("until " + end));
        assertThat(steps.stream().filter(s -> s.get("status").asText().equals("excluded"))
                .map(s -> s.get("journeyId").asText() + " " + s.get("errorCode").asText()))
                .as("excluded, " + as).containsExactlyInAnyOrderElementsOf(expected.excluded);
        assertThat(steps.stream().filter(s -> s.get("status").asText().equals("entered"))
                .collect(Collectors.groupingBy(s -> s.get("journeyId").asText(), Collectors.summingInt(s -> 1))))
                .as("entered, " + as).isEqualTo(expected.entered);
        assertThat(requests.size() - ruled.size()).as("receipts, " + as).isEqualTo(expected.receipts);
    }

    /** Across every profile: no ruled email inside quiet hours in the profile's zone, none over the daily cap. */
    static void checkRules(List<Profile> profiles, List<JsonNode> requests, LocalTime from, LocalTime to) {
        Map<String, Profile> byId = profiles.stream().collect(Collectors.toMap(Profile::id, p -> p));
        Map<String, Integer> perLocalDay = new HashMap<>();
        for (JsonNode request : requests) {
            if (request.get("stepId").asText().equals("receipt")) {
                continue;
            }
            Profile profile = byId.get(request.get("profileId").asText());
            assertThat(inside(at(request), profile.zone(), from, to)).as("inside quiet hours: " + request).isFalse();
            LocalDate day = at(request).atZone(profile.zone()).toLocalDate();
            perLocalDay.merge(profile.id() + " " + day, 1, Integer::sum);
        }
        assertThat(perLocalDay).as("ruled emails per profile and local day")
                .allSatisfy((key, sent) -> assertThat(sent).isLessThanOrEqualTo(DeliveryRulesModel.DAILY_EMAILS));
    }

    /** When basic was refused on a promo, vip (higher priority) entered on that same promo. */
    static void checkPriority(List<JsonNode> steps) {
        Set<String> vipEntries = steps.stream().filter(s -> s.get("status").asText().equals("entered")
                && s.get("journeyId").asText().equals("vip")).map(s -> s.get("profileId").asText() + " " + at(s))
                .collect(Collectors.toSet());
        List<JsonNode> refused = steps.stream().filter(s -> s.get("status").asText().equals("excluded")
                && s.get("journeyId").asText().equals("basic")).toList();
        assertThat(refused).as("basic refused somewhere").isNotEmpty().allSatisfy(s -> assertThat(vipEntries)
                .contains(s.get("profileId").asText() + " " + at(s)));
    }

    /** Whether the local time of {@code at} in {@code zone} is in [from, to), a period that may cross midnight. */
    static boolean inside(Instant at, ZoneId zone, LocalTime from, LocalTime to) {
        LocalTime local = at.atZone(zone).toLocalTime();
        return to.isAfter(from) ? !local.isBefore(from) && local.isBefore(to) : !local.isBefore(from) || local.isBefore(to);
    }

    /** The first instant after {@code at} whose local time in {@code zone} is {@code to}. */
    static Instant endOfQuiet(Instant at, ZoneId zone, LocalTime to) {
        LocalDate day = at.atZone(zone).toLocalDate();
        Instant end = day.atTime(to).atZone(zone).toInstant();
        return end.isAfter(at) ? end : day.plusDays(1).atTime(to).atZone(zone).toInstant();
    }

    static boolean isHold(JsonNode step) {
        return step.get("status").asText().equals("waiting") && step.path("errorCode").asText().equals("RUL-006");
    }

    static boolean isCap(JsonNode step) {
        return step.get("status").asText().equals("skipped") && step.path("errorCode").asText().equals("RUL-001");
    }

    static String instanceStep(JsonNode record) {
        return record.get("instanceId").asText() + "/" + record.get("stepId").asText();
    }

    static List<String> keys(List<JsonNode> records) {
        return records.stream().map(r -> r.get("journeyId").asText() + "/" + r.get("stepId").asText()).toList();
    }

    static List<String> concat(List<String> a, List<String> b) {
        return Stream.concat(a.stream(), b.stream()).toList();
    }

    static Instant at(JsonNode record) {
        return Instant.parse(record.get("timestamp").asText());
    }

    static long count(List<JsonNode> records, Predicate<JsonNode> which) {
        return records.stream().filter(which).count();
    }
}
