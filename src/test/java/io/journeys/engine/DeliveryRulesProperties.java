package io.journeys.engine;

import static org.assertj.core.api.Assertions.assertThat;

import io.journeys.avro.ActionRequest;
import io.journeys.avro.StepEvent;
import io.journeys.testing.Gen;
import io.journeys.testing.PropertyTries;
import java.time.DayOfWeek;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.temporal.TemporalAdjusters;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * Random rule sets over random journeys and profiles in several zones, across both March daylight-saving changes
 * (New York on the 8th, Paris on the 29th), run on the keyed processor in event time: an oracle written from the
 * rules alone, with plain java.time, checks every profile's sends and entries. No ruled send exceeds a frequency cap
 * in its calendar window or falls inside quiet hours in the profile's zone; a held action is sent (or skipped, or its
 * instance ended) exactly at the instant its hold named; entries stay within the entry and concurrency caps, and an
 * input that enters several journeys never refuses a higher-priority one while it lets a lower one in.
 */
class DeliveryRulesProperties {

    private static final int TRIES = 25;
    private static final Instant BEGINNING = Instant.parse("2026-03-01T00:00:00Z");
    private static final int MINUTES = 30 * 24 * 60;
    private static final List<String> CHANNELS = List.of("email", "sms", "push");
    /** Profile i lives in ZONES[i % 4]; null: no timeZone attribute, the fallback (UTC). */
    private static final String[] ZONES = {"Asia/Tokyo", "Europe/Paris", "America/New_York", null};
    private static final int PROFILES = 6;

    record Rules(int emailMax, boolean emailPerWeek, int allMax, int quietFrom, int quietTo, boolean discard,
            int maxHoldHours, int entryMax, int maxConcurrent) {

        String document() {
            return """
                    {"kind": "rules", "id": "marketing", "version": 1,
                     "frequency": [{"id": "email", "channels": ["email"], "max": %d, "per": "%s"},
                                   {"id": "all", "channels": ["email", "sms", "push"], "max": %d, "per": "week"}],
                     "quietHours": [{"id": "night", "channels": ["email", "push"], "from": "%02d:00", "to": "%02d:00",
                                     "maxHold": "PT%dH"},
                                    {"id": "sms", "channels": ["sms"], "from": "%02d:00", "to": "%02d:00", "days": [6, 7],
                                     "then": "%s"}],
                     "entries": {"max": %d, "per": "week", "maxConcurrent": %d}}"""
                    .formatted(emailMax, emailPerWeek ? "week" : "day", allMax, quietFrom, quietTo, maxHoldHours,
                            quietTo + 3, quietTo + 6, discard ? "discard" : "queue", entryMax, maxConcurrent);
        }
    }

    /** A journey of actions (channel, exempt or not) with waits between them. */
    record GeneratedJourney(int priority, List<GeneratedAction> actions) {}

    record GeneratedAction(int channel, boolean exempt, int waitMinutes) {}

    record Input(int profile, int journey, int minute, boolean everyJourney) {}

    record Scenario(Rules rules, List<GeneratedJourney> journeys, List<Input> inputs) {}

    private static Gen<Scenario> scenarios() {
        Gen<Rules> rules = Gen.combine(
                Gen.combine(Gen.integers(1, 3), Gen.of(false, true), Gen.integers(2, 6), (a, b, c) -> new int[] {a, b ? 1 : 0, c}),
                Gen.combine(Gen.integers(18, 23), Gen.integers(5, 9), Gen.of(false, true), (a, b, c) -> new int[] {a, b, c ? 1 : 0}),
                Gen.combine(Gen.integers(6, 48), Gen.integers(2, 8), Gen.integers(1, 3), (a, b, c) -> new int[] {a, b, c}),
                (a, b, c) -> new Rules(a[0], a[1] == 1, a[2], b[0], b[1], b[2] == 1, c[0], c[1], c[2]));
        Gen<GeneratedAction> action = Gen.combine(Gen.integers(0, 2), Gen.of(false, false, false, true),
                Gen.integers(0, 900), GeneratedAction::new);
        Gen<GeneratedJourney> journey = Gen.combine(Gen.integers(0, 100), action.list(1, 4), GeneratedJourney::new);
        Gen<Input> input = Gen.combine(
                Gen.combine(Gen.integers(0, PROFILES - 1), Gen.integers(0, 2), (p, j) -> new int[] {p, j}),
                Gen.integers(0, MINUTES - 1), Gen.of(false, true),
                (pj, minute, every) -> new Input(pj[0], pj[1], minute, every));
        Gen<List<GeneratedJourney>> journeys = Gen.combine(journey, journey, journey, (a, b, c) -> List.of(a, b, c));
        return Gen.combine(rules, journeys, input.list(1, 60), Scenario::new);
    }

    @TestFactory
    Stream<DynamicTest> shouldKeepEveryRuleForEveryProfileInItsOwnZone() {
        return PropertyTries.check("DeliveryRulesProperties.shouldKeepEveryRuleForEveryProfileInItsOwnZone", TRIES,
                scenarios(), DeliveryRulesProperties::check);
    }

    private static void check(Scenario scenario) throws Exception {
        List<String> documents = new ArrayList<>(List.of(scenario.rules().document()));
        for (int j = 0; j < scenario.journeys().size(); j++) {
            documents.add(journey(j, scenario.journeys().get(j)));
        }
        try (ProcessorHarness h = ProcessorHarness.eventTime(documents.toArray(String[]::new))) {
            for (int p = 0; p < PROFILES; p++) {
                if (ZONES[p % ZONES.length] != null) {
                    h.profile("p" + p, BEGINNING, "{\"timeZone\": \"" + ZONES[p % ZONES.length] + "\"}");
                }
            }
            Set<String> seen = new HashSet<>();
            scenario.inputs().stream().sorted((a, b) -> Integer.compare(a.minute(), b.minute())).forEach(input -> {
                if (!seen.add(input.profile() + "@" + input.minute())) {
                    return; // one input per profile and minute: an input's entries are told apart by their instant
                }
                try {
                    h.event("p" + input.profile(), "go", BEGINNING.plusSeconds(60L * input.minute()),
                            "{\"target\": \"" + (input.everyJourney() ? "all" : "j" + input.journey()) + "\"}");
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
            h.untilTheEnd();
            Oracle oracle = new Oracle(scenario);
            oracle.checkSends(h.actions());
            oracle.checkHolds(h.steps(), h.actions());
            oracle.checkEntries(h.steps());
            assertThat(h.deadLetters()).isEmpty();
            List<Kept> kept = new ArrayList<>();
            for (int p = 0; p < PROFILES; p++) {
                if (ZONES[p % ZONES.length] != null) { // its zone stays; what has had its time goes at the next write
                    kept.add(Kept.profile("p" + p).attributes("{\"timeZone\": \"" + ZONES[p % ZONES.length] + "\"}")
                            .anyExpiredUntilNextWrite());
                }
            }
            h.assertLeftBehind(kept.toArray(Kept[]::new));
        }
    }

    private static String journey(int index, GeneratedJourney journey) {
        StringBuilder steps = new StringBuilder();
        for (int a = 0; a < journey.actions().size(); a++) {
            GeneratedAction action = journey.actions().get(a);
            String next = a + 1 < journey.actions().size() ? "wait" + a : "done";
            steps.append("\"send").append(a).append("\": {\"type\": \"action\", \"channel\": \"")
                    .append(CHANNELS.get(action.channel())).append("\", \"template\": \"")
                    .append(action.exempt() ? "exempt" : "ruled").append("\"")
                    .append(action.exempt() ? ", \"rules\": false" : "").append(", \"next\": \"").append(next).append("\"},\n");
            if (a + 1 < journey.actions().size()) {
                steps.append("\"wait").append(a).append("\": {\"type\": \"wait\", \"duration\": \"PT")
                        .append(action.waitMinutes() + 1).append("M\", \"next\": \"send").append(a + 1).append("\"},\n");
            }
        }
        steps.append("\"done\": {\"type\": \"end\"}");
        // "go" events name the journey they enter, or "all" for an input that enters every journey at once
        return """
                {"id": "j%d", "version": 1, "rules": "marketing", "priority": %d, "timeout": "P10D",
                 "reentry": {"waitPeriod": "PT0S"},
                 "entry": {"event": "go", "when": "event.target == 'all' || event.target == 'j%d'"}, "start": "send0",
                 "steps": {%s}}""".formatted(index, journey.priority(), index, steps);
    }

    /** The rules, read again with plain java.time, independently of the engine's own reading. */
    static final class Oracle {

        private final Scenario scenario;

        Oracle(Scenario scenario) {
            this.scenario = scenario;
        }

        private static ZoneId zoneOf(String profileId) {
            String zone = ZONES[Integer.parseInt(profileId.substring(1)) % ZONES.length];
            return ZoneId.of(zone == null ? "UTC" : zone);
        }

        void checkSends(List<ActionRequest> actions) {
            Rules rules = scenario.rules();
            Map<String, Integer> perWindow = new TreeMap<>();
            for (ActionRequest action : actions) {
                if (!"ruled".equals(action.getTemplate())) {
                    continue;
                }
                ZoneId zone = zoneOf(action.getProfileId());
                LocalDateTime local = Instant.ofEpochMilli(action.getTimestamp()).atZone(zone).toLocalDateTime();
                LocalDate day = local.toLocalDate();
                LocalDate week = day.with(TemporalAdjusters.previousOrSame(DayOfWeek.MONDAY));
                if (action.getChannel().equals("email")) {
                    perWindow.merge(action.getProfileId() + " email " + (rules.emailPerWeek() ? week : day), 1, Integer::sum);
                }
                perWindow.merge(action.getProfileId() + " all " + week, 1, Integer::sum);
                boolean quiet = switch (action.getChannel()) {
                    case "sms" -> inside(local, rules.quietTo() + 3, rules.quietTo() + 6, Set.of(DayOfWeek.SATURDAY,
                            DayOfWeek.SUNDAY));
                    default -> inside(local, rules.quietFrom(), rules.quietTo(), Set.of(DayOfWeek.values()));
                };
                assertThat(quiet).as("%s sent at %s local, inside quiet hours", action.getRequestId(), local).isFalse();
            }
            perWindow.forEach((window, sent) -> assertThat(sent)
                    .as("ruled sends of %s", window)
                    .isLessThanOrEqualTo(window.contains(" email ") ? rules.emailMax() : rules.allMax()));
        }

        /** Whether a local time is in a period from one hour to another, on the listed days it starts on. */
        private static boolean inside(LocalDateTime local, int fromHour, int toHour, Set<DayOfWeek> days) {
            int hour = local.getHour();
            if (fromHour < toHour) {
                return days.contains(local.getDayOfWeek()) && hour >= fromHour && hour < toHour;
            }
            return (days.contains(local.getDayOfWeek()) && hour >= fromHour)
                    || (days.contains(local.getDayOfWeek().minus(1)) && hour < toHour);
        }

        /** A held action's next event at its step comes exactly at the end its hold named, and no sooner. */
        void checkHolds(List<StepEvent> steps, List<ActionRequest> actions) {
            Map<String, StepEvent> openHolds = new HashMap<>();
            for (StepEvent step : steps) {
                StepEvent hold = openHolds.remove(step.getInstanceId());
                if (hold != null) {
                    String until = hold.getMessage().substring(hold.getMessage().lastIndexOf(' ') + 1);
                    boolean endedFromOutside = step.getStatus().equals(StepStatus.TIMED_OUT);
                    if (!endedFromOutside) {
                        assertThat(Instant.ofEpochMilli(step.getTimestamp())).as("the release of %s", hold)
                                .isEqualTo(Instant.parse(until));
                        assertThat(step.getStepId()).isEqualTo(hold.getStepId());
                    }
                }
                if ("RUL-006".equals(step.getErrorCode())) {
                    assertThat(step.getStatus()).isEqualTo(StepStatus.WAITING);
                    openHolds.put(step.getInstanceId(), step);
                }
            }
            assertThat(openHolds).as("holds never released").isEmpty();
            Set<String> ids = new HashSet<>();
            actions.forEach(action -> assertThat(ids.add(action.getRequestId())).as("sent once: %s", action).isTrue());
        }

        /** Entries per local week and live instances at once within the caps; priority first within an input. */
        void checkEntries(List<StepEvent> steps) {
            Rules rules = scenario.rules();
            Map<String, Integer> entriesPerWeek = new TreeMap<>();
            Map<String, Set<String>> live = new HashMap<>();
            Map<String, List<StepEvent>> byInput = new TreeMap<>();
            for (StepEvent step : steps) {
                String profile = step.getProfileId();
                if (step.getStatus().equals(StepStatus.ENTERED)) {
                    LocalDate day = Instant.ofEpochMilli(step.getTimestamp()).atZone(zoneOf(profile)).toLocalDate();
                    String week = profile + " " + day.with(TemporalAdjusters.previousOrSame(DayOfWeek.MONDAY));
                    entriesPerWeek.merge(week, 1, Integer::sum);
                    Set<String> inside = live.computeIfAbsent(profile, p -> new HashSet<>());
                    inside.add(step.getInstanceId());
                    assertThat(inside.size()).as("live instances of %s at %s", profile,
                            Instant.ofEpochMilli(step.getTimestamp())).isLessThanOrEqualTo(rules.maxConcurrent());
                }
                if (Set.of(StepStatus.COMPLETED, StepStatus.EXITED, StepStatus.TIMED_OUT, StepStatus.ERROR)
                        .contains(step.getStatus())) {
                    live.getOrDefault(profile, new HashSet<>()).remove(step.getInstanceId());
                }
                if (step.getStatus().equals(StepStatus.ENTERED) || step.getStatus().equals(StepStatus.EXCLUDED)) {
                    byInput.computeIfAbsent(profile + "@" + step.getTimestamp(), k -> new ArrayList<>()).add(step);
                }
            }
            entriesPerWeek.forEach((week, entered) -> assertThat(entered).as("entries of %s", week)
                    .isLessThanOrEqualTo(rules.entryMax()));
            byInput.values().forEach(decisions -> {
                for (StepEvent excluded : decisions) {
                    if (!excluded.getStatus().equals(StepStatus.EXCLUDED)) {
                        continue;
                    }
                    for (StepEvent entered : decisions) {
                        if (entered.getStatus().equals(StepStatus.ENTERED)) {
                            assertThat(rank(excluded)).as("%s refused while %s entered", excluded.getJourneyId(),
                                    entered.getJourneyId()).isGreaterThan(rank(entered));
                        }
                    }
                }
            });
        }

        /** The order entries are offered in: higher priority first, then journey id. */
        private int rank(StepEvent step) {
            int journey = Integer.parseInt(step.getJourneyId().substring(1));
            return (100 - scenario.journeys().get(journey).priority()) * 10 + journey;
        }
    }
}
