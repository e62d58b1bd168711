package io.journeys.engine;

import static org.assertj.core.api.Assertions.assertThat;

import io.journeys.avro.ActionRequest;
import io.journeys.avro.StepEvent;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.util.List;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.junit.jupiter.api.Test;

/**
 * Delivery rules across journeys: frequency caps counted in the profile's own calendar, quiet hours that hold or
 * discard, entry and concurrency caps taken in priority order, and the window step; around midnight and
 * daylight-saving changes in several zones.
 */
class DeliveryRulesTest {

    /** Email twice a local day; email and sms 3 times a local week; quiet 21:00-08:00 for email, then queue. */
    static final String RULES = """
            {"kind": "rules", "id": "marketing", "version": 1,
             "frequency": [{"id": "email-daily", "channels": ["email"], "max": 2, "per": "day"},
                           {"id": "weekly", "channels": ["email", "sms"], "max": 3, "per": "week"}],
             "quietHours": [{"id": "night", "channels": ["email"], "from": "21:00", "to": "08:00", "maxHold": "P1D"},
                            {"id": "sms-night", "channels": ["sms"], "from": "22:00", "to": "07:00", "then": "discard"}],
             "entries": {"max": 4, "per": "week", "maxConcurrent": 2}}""";

    /** A journey of the set that sends one email (or sms) per entry and ends. */
    static String sender(String id, String channel, int priority) {
        return """
                {"id": "%s", "version": 1, "rules": "marketing", "priority": %d,
                 "reentry": {"waitPeriod": "PT0S"},
                 "entry": {"event": "%s.go"}, "start": "send",
                 "steps": {"send": {"type": "action", "channel": "%s", "template": "t", "next": "done"},
                           "done": {"type": "end"}}}""".formatted(id, priority, id, channel);
    }

    private static Instant local(String zone, String localTime) {
        return LocalDateTime.parse(localTime).atZone(ZoneId.of(zone)).toInstant();
    }

    private static String zoned(String zone) {
        return "{\"timeZone\": \"" + zone + "\"}";
    }

    private static List<String> codes(ProcessorHarness h, String status) {
        return h.steps().stream().filter(s -> s.getStatus().equals(status)).map(StepEvent::getErrorCode).toList();
    }

    @Test
    void shouldCountADailyCapInTheProfilesOwnDayNotInUtcs() throws Exception {
        String tokyo = "Asia/Tokyo"; // UTC+9: local midnight is 15:00Z, inside the UTC day
        try (ProcessorHarness h = ProcessorHarness.eventTime(RULES, sender("promo", "email", 50))) {
            h.profile("p1", Instant.parse("2026-03-02T00:00:00Z"), zoned(tokyo))
                    .event("p1", "promo.go", local(tokyo, "2026-03-02T10:00:00"), "{}")
                    .event("p1", "promo.go", local(tokyo, "2026-03-02T20:00:00"), "{}")
                    .event("p1", "promo.go", local(tokyo, "2026-03-02T20:30:00"), "{}") // third of the local day
                    .event("p1", "promo.go", local(tokyo, "2026-03-03T08:05:00"), "{}") // a new local day
                    .untilTheEnd();

            assertThat(h.actions()).extracting(ActionRequest::getTimestamp).containsExactly(
                    local(tokyo, "2026-03-02T10:00:00").toEpochMilli(), local(tokyo, "2026-03-02T20:00:00").toEpochMilli(),
                    local(tokyo, "2026-03-03T08:05:00").toEpochMilli());
            StepEvent skipped = h.steps().stream().filter(s -> s.getStatus().equals("skipped")).findFirst().orElseThrow();
            assertThat(skipped.getErrorCode()).isEqualTo("RUL-001");
            assertThat(skipped.getMessage()).contains("email-daily", "Asia/Tokyo");
            assertThat(skipped.getNext()).isEqualTo("done");
            assertThat(h.statuses()).contains("done:completed");
        }
    }

    @Test
    void shouldStartTheWeekOnTheProfilesMondayAndCountEmailAndSmsTogether() throws Exception {
        String la = "America/Los_Angeles";
        try (ProcessorHarness h = ProcessorHarness.eventTime(RULES, sender("mail", "email", 50),
                sender("text", "sms", 50))) {
            h.profile("p1", Instant.parse("2026-03-01T00:00:00Z"), zoned(la))
                    .event("p1", "mail.go", local(la, "2026-03-04T09:00:00"), "{}") // Wednesday
                    .event("p1", "text.go", local(la, "2026-03-05T09:00:00"), "{}")
                    .event("p1", "mail.go", local(la, "2026-03-08T18:00:00"), "{}") // Sunday: third of the week
                    .event("p1", "text.go", local(la, "2026-03-08T19:00:00"), "{}") // fourth: capped
                    .event("p1", "text.go", local(la, "2026-03-09T07:30:00"), "{}") // Monday 07:30 local, still Monday 14:30Z
                    .untilTheEnd();

            assertThat(h.actions()).extracting(ActionRequest::getChannel).containsExactly("email", "sms", "email", "sms");
            assertThat(h.actions().get(3).getTimestamp()).isEqualTo(local(la, "2026-03-09T07:30:00").toEpochMilli());
            assertThat(codes(h, "skipped")).containsExactly("RUL-001");
            assertThat(h.steps().stream().filter(s -> s.getStatus().equals("skipped")).findFirst().orElseThrow()
                    .getMessage()).contains("weekly");
        }
    }

    @Test
    void shouldHoldAnEmailUntilTheEndOfQuietHoursAcrossTheSpringDaylightSavingChange() throws Exception {
        // Europe/Paris goes from +01:00 to +02:00 at 02:00 on Sunday 2026-03-29; New York did on 2026-03-08
        try (ProcessorHarness h = ProcessorHarness.eventTime(RULES, sender("promo", "email", 50))) {
            h.profile("paris", Instant.parse("2026-03-01T00:00:00Z"), zoned("Europe/Paris"))
                    .profile("ny", Instant.parse("2026-03-01T00:00:00Z"), zoned("America/New_York"))
                    .event("paris", "promo.go", local("Europe/Paris", "2026-03-28T22:30:00"), "{}")
                    .event("ny", "promo.go", local("America/New_York", "2026-03-07T23:00:00"), "{}")
                    .untilTheEnd();

            assertThat(h.actions()).extracting(ActionRequest::getProfileId, ActionRequest::getTimestamp)
                    .containsExactlyInAnyOrder(
                            org.assertj.core.groups.Tuple.tuple("paris", Instant.parse("2026-03-29T06:00:00Z").toEpochMilli()),
                            org.assertj.core.groups.Tuple.tuple("ny", Instant.parse("2026-03-08T12:00:00Z").toEpochMilli()));
            StepEvent held = h.steps().stream().filter(s -> s.getProfileId().equals("paris")
                    && s.getStatus().equals("waiting")).findFirst().orElseThrow();
            assertThat(held.getStepId()).isEqualTo("send");
            assertThat(held.getErrorCode()).isEqualTo("RUL-006");
            assertThat(held.getMessage()).contains("night", "Europe/Paris", "2026-03-29T06:00:00Z");
            assertThat(h.statusesByProfile()).contains("paris:send:executed");
        }
    }

    @Test
    void shouldHoldAcrossTheAutumnChangeAndSendOnlyOnceItsLocalEightOClockHasCome() throws Exception {
        // New York goes back from -04:00 to -05:00 at 02:00 on 2026-11-01: 08:00 that day is 13:00Z
        String ny = "America/New_York";
        try (ProcessorHarness h = ProcessorHarness.eventTime(RULES, sender("promo", "email", 50))) {
            h.profile("ny", Instant.parse("2026-10-01T00:00:00Z"), zoned(ny))
                    .event("ny", "promo.go", local(ny, "2026-11-01T01:30:00"), "{}") // the first 01:30, -04:00
                    .untilTheEnd();

            assertThat(h.actions()).singleElement().extracting(ActionRequest::getTimestamp)
                    .isEqualTo(Instant.parse("2026-11-01T13:00:00Z").toEpochMilli());
        }
    }

    @Test
    void shouldApplyTheCapsAtTheInstantHeldActionsAreReleased() throws Exception {
        // three journeys reach an email in the night; at 08:00 the first two go, and the third is over the daily cap
        String zone = "Europe/Berlin";
        try (ProcessorHarness h = ProcessorHarness.eventTime(RULES, sender("a", "email", 50), sender("b", "email", 50),
                sender("c", "email", 50))) {
            h.profile("p1", Instant.parse("2026-03-01T00:00:00Z"), zoned(zone))
                    .event("p1", "a.go", local(zone, "2026-03-03T23:00:00"), "{}")
                    .event("p1", "b.go", local(zone, "2026-03-04T01:00:00"), "{}")
                    .watermark(local(zone, "2026-03-04T02:00:00"));
            // entries: two live instances held at once is the concurrency cap; the third is refused
            assertThat(codes(h, "excluded")).isEmpty();
            h.event("p1", "c.go", local(zone, "2026-03-04T03:00:00"), "{}").untilTheEnd();

            assertThat(codes(h, "excluded")).containsExactly("RUL-005");
            assertThat(h.actions()).extracting(ActionRequest::getJourneyId).containsExactly("a", "b");
            assertThat(h.actions()).allSatisfy(action -> assertThat(action.getTimestamp())
                    .isEqualTo(local(zone, "2026-03-04T08:00:00").toEpochMilli()));
        }
    }

    @Test
    void shouldSkipTheSecondHeldEmailWhenTheCapFillsUpAtTheRelease() throws Exception {
        String rules = RULES.replace("\"max\": 2, \"per\": \"day\"", "\"max\": 1, \"per\": \"day\"");
        String zone = "Europe/Berlin";
        try (ProcessorHarness h = ProcessorHarness.eventTime(rules, sender("a", "email", 50), sender("b", "email", 50))) {
            h.profile("p1", Instant.parse("2026-03-01T00:00:00Z"), zoned(zone))
                    .event("p1", "a.go", local(zone, "2026-03-03T23:00:00"), "{}")
                    .event("p1", "b.go", local(zone, "2026-03-04T01:00:00"), "{}")
                    .untilTheEnd();

            assertThat(h.actions()).extracting(ActionRequest::getJourneyId).containsExactly("a");
            assertThat(codes(h, "skipped")).containsExactly("RUL-001");
            StepEvent skipped = h.steps().stream().filter(s -> s.getStatus().equals("skipped")).findFirst().orElseThrow();
            assertThat(skipped.getJourneyId()).isEqualTo("b");
            assertThat(skipped.getTimestamp()).isEqualTo(local(zone, "2026-03-04T08:00:00").toEpochMilli());
        }
    }

    @Test
    void shouldRenewAHoldWhenAnotherQuietPeriodBeginsAsTheFirstEnds() throws Exception {
        String rules = RULES.replace("\"maxHold\": \"P1D\"},", "\"maxHold\": \"P1D\"},\n"
                + "{\"id\": \"breakfast\", \"channels\": [\"email\"], \"from\": \"08:00\", \"to\": \"09:00\"},");
        try (ProcessorHarness h = ProcessorHarness.eventTime(rules, sender("promo", "email", 50))) {
            h.event("p1", "promo.go", Instant.parse("2026-03-03T23:00:00Z"), "{}").untilTheEnd();

            List<StepEvent> holds = h.steps().stream().filter(s -> "RUL-006".equals(s.getErrorCode())).toList();
            assertThat(holds).extracting(StepEvent::getMessage).satisfiesExactly(
                    first -> assertThat(first).contains("night", "2026-03-04T08:00:00Z"),
                    second -> assertThat(second).contains("breakfast", "2026-03-04T09:00:00Z"));
            assertThat(holds.get(0).getEventId()).isNotEqualTo(holds.get(1).getEventId());
            assertThat(h.actions()).singleElement().extracting(ActionRequest::getTimestamp)
                    .isEqualTo(Instant.parse("2026-03-04T09:00:00Z").toEpochMilli());
        }
    }

    @Test
    void shouldDiscardAnSmsInsideItsQuietHoursAndEndTheInstance() throws Exception {
        try (ProcessorHarness h = ProcessorHarness.eventTime(RULES, sender("text", "sms", 50))) {
            h.event("p1", "text.go", Instant.parse("2026-03-03T23:00:00Z"), "{}") // no zone: the fallback, UTC
                    .event("p2", "text.go", Instant.parse("2026-03-03T07:00:00Z"), "{}") // 07:00 is outside (to is exclusive)
                    .untilTheEnd();

            assertThat(h.actions()).extracting(ActionRequest::getProfileId).containsExactly("p2");
            StepEvent exited = h.steps().stream().filter(s -> s.getStatus().equals("exited")).findFirst().orElseThrow();
            assertThat(exited.getProfileId()).isEqualTo("p1");
            assertThat(exited.getErrorCode()).isEqualTo("RUL-002");
            assertThat(exited.getMessage()).contains("sms-night", "UTC");
        }
    }

    @Test
    void shouldEndAnInstanceThatQuietHoursWouldHoldLongerThanTheirMaxHold() throws Exception {
        String rules = RULES.replace("\"maxHold\": \"P1D\"", "\"maxHold\": \"PT6H\"");
        try (ProcessorHarness h = ProcessorHarness.eventTime(rules, sender("promo", "email", 50))) {
            h.event("early", "promo.go", Instant.parse("2026-03-03T21:30:00Z"), "{}") // 10.5 hours to 08:00
                    .event("late", "promo.go", Instant.parse("2026-03-04T03:00:00Z"), "{}") // 5 hours
                    .untilTheEnd();

            assertThat(h.actions()).extracting(ActionRequest::getProfileId).containsExactly("late");
            assertThat(h.steps().stream().filter(s -> s.getStatus().equals("exited")).map(StepEvent::getErrorCode))
                    .containsExactly("RUL-003");
        }
    }

    @Test
    void shouldSendATransactionalActionInsideQuietHoursWithoutCountingIt() throws Exception {
        String journey = """
                {"id": "order", "version": 1, "rules": "marketing", "reentry": {"waitPeriod": "PT0S"},
                 "entry": {"event": "order.placed"}, "start": "receipt",
                 "steps": {"receipt": {"type": "action", "channel": "email", "template": "receipt", "rules": false,
                                       "next": "done"},
                           "done": {"type": "end"}}}""";
        // entries into the order journey count against the entry cap too: this test is about the receipts' sends
        String rules = RULES.replace("\"max\": 4, \"per\": \"week\", ", "");
        try (ProcessorHarness h = ProcessorHarness.eventTime(rules, journey, sender("promo", "email", 50))) {
            h.event("p1", "order.placed", Instant.parse("2026-03-03T23:00:00Z"), "{}")
                    .event("p1", "order.placed", Instant.parse("2026-03-03T23:10:00Z"), "{}")
                    .event("p1", "order.placed", Instant.parse("2026-03-03T23:20:00Z"), "{}")
                    .event("p1", "promo.go", Instant.parse("2026-03-04T09:00:00Z"), "{}")
                    .event("p1", "promo.go", Instant.parse("2026-03-04T10:00:00Z"), "{}")
                    .watermark(Instant.parse("2026-03-05T00:00:00Z"));

            // three receipts at once in the night, then both promos: receipts do not fill the daily cap of 2
            assertThat(h.actions()).extracting(ActionRequest::getTemplate)
                    .containsExactly("receipt", "receipt", "receipt", "t", "t");
            assertThat(h.profileRecord("p1").getRuleLogs().get("marketing").getDeliveries()).hasSize(2);
        }
    }

    @Test
    void shouldCapEntriesPerLocalWeekAndForgetTheCountsAfterTheLongestWindow() throws Exception {
        try (ProcessorHarness h = ProcessorHarness.eventTime(RULES, sender("promo", "sms", 50))) {
            Instant monday = Instant.parse("2026-03-02T09:00:00Z");
            for (int day = 0; day < 6; day++) {
                h.event("p1", "promo.go", monday.plus(Duration.ofDays(day)), "{}");
            }
            h.event("p1", "promo.go", monday.plus(Duration.ofDays(7)), "{}").untilTheEnd(); // the next Monday

            // entries: 4 in the week, then refused; the sms caps (3 a week) skip the fourth send
            assertThat(codes(h, "excluded")).containsExactly("RUL-004", "RUL-004");
            assertThat(h.steps().stream().filter(s -> s.getStatus().equals("excluded")).findFirst().orElseThrow()
                    .getStepId()).isEqualTo("send");
            assertThat(h.steps().stream().filter(s -> s.getStatus().equals("entered")).count()).isEqualTo(5);
            assertThat(codes(h, "skipped")).containsExactly("RUL-001");
            assertThat(h.actions()).hasSize(4);

            h.assertLeftBehind(Kept.profile("p1").anyExpiredUntilNextWrite());
            h.watermark(monday.plus(Duration.ofDays(7)).plus(io.journeys.dsl.CalendarWindow.LONGEST));
            h.assertNothingLeftBehind(); // the counts are forgotten once no window can hold them
        }
    }

    @Test
    void shouldEnterTheHigherPriorityJourneyWhenTheConcurrencyCapLeavesRoomForOne() throws Exception {
        String rules = RULES.replace("\"maxConcurrent\": 2", "\"maxConcurrent\": 1");
        String low = journeyOn("signup", "low", 10);
        String high = journeyOn("signup", "high", 90);
        String tieA = journeyOn("signup", "tie-a", 50);
        try (ProcessorHarness h = ProcessorHarness.eventTime(rules, low, tieA, high)) {
            h.event("p1", "signup", Instant.parse("2026-03-03T10:00:00Z"), "{}").untilTheEnd();

            assertThat(h.steps().stream().filter(s -> s.getStatus().equals("entered")).map(StepEvent::getJourneyId))
                    .containsExactly("high");
            assertThat(h.steps().stream().filter(s -> s.getStatus().equals("excluded")))
                    .extracting(StepEvent::getJourneyId, StepEvent::getErrorCode)
                    .containsExactly(org.assertj.core.groups.Tuple.tuple("tie-a", "RUL-005"),
                            org.assertj.core.groups.Tuple.tuple("low", "RUL-005"));
        }
    }

    /** A journey of the set entered on {@code event} that parks a day, so it stays live. */
    private static String journeyOn(String event, String id, int priority) {
        return """
                {"id": "%s", "version": 1, "rules": "marketing", "priority": %d,
                 "entry": {"event": "%s"}, "start": "wait",
                 "steps": {"wait": {"type": "wait", "duration": "P1D", "next": "done"}, "done": {"type": "end"}}}"""
                .formatted(id, priority, event);
    }

    @Test
    void shouldSendAHeldActionOnceAfterARestoreFromASnapshot() throws Exception {
        String zone = "Europe/Paris";
        EngineSettings settings = EngineSettings.eventTime(List.of(RULES, sender("promo", "email", 50)));
        OperatorSubtaskState snapshot;
        try (ProcessorHarness h = ProcessorHarness.with(settings)) {
            h.profile("p1", Instant.parse("2026-03-01T00:00:00Z"), zoned(zone))
                    .event("p1", "promo.go", local(zone, "2026-03-03T22:00:00"), "{}")
                    .watermark(local(zone, "2026-03-04T07:59:59"));
            assertThat(h.actions()).isEmpty();
            snapshot = h.flink().snapshot(1L, 1L);
        }
        try (ProcessorHarness restored = ProcessorHarness.restored(settings, snapshot)) {
            restored.untilTheEnd();
            assertThat(restored.actions()).singleElement().extracting(ActionRequest::getTimestamp)
                    .isEqualTo(local(zone, "2026-03-04T08:00:00").toEpochMilli());
        }
    }

    @Test
    void shouldWaitInAWindowStepForTheNextOpeningInTheProfilesZone() throws Exception {
        String journey = """
                {"id": "office", "version": 1, "reentry": {"waitPeriod": "PT0S"},
                 "entry": {"event": "lead"}, "start": "hours",
                 "steps": {"hours": {"type": "window", "days": [1, 2, 3, 4, 5], "from": "09:00", "to": "17:00",
                                     "next": "call"},
                           "call": {"type": "action", "channel": "sms", "template": "t", "next": "done"},
                           "done": {"type": "end"}}}""";
        String london = "Europe/London"; // +00:00 to +01:00 at 01:00 on Sunday 2026-03-29
        try (ProcessorHarness h = ProcessorHarness.eventTime(journey)) {
            h.profile("uk", Instant.parse("2026-03-01T00:00:00Z"), zoned(london))
                    .event("uk", "lead", local(london, "2026-03-27T17:00:00"), "{}") // Friday 17:00: closed (exclusive)
                    .event("inside", "lead", Instant.parse("2026-03-27T16:59:00Z"), "{}") // no zone: the journey's, UTC
                    .untilTheEnd();

            assertThat(h.actions()).extracting(ActionRequest::getProfileId, ActionRequest::getTimestamp)
                    .containsExactlyInAnyOrder(
                            org.assertj.core.groups.Tuple.tuple("inside", Instant.parse("2026-03-27T16:59:00Z").toEpochMilli()),
                            // Monday 09:00 in summer time is 08:00Z, not the 09:00Z of a fixed offset
                            org.assertj.core.groups.Tuple.tuple("uk", Instant.parse("2026-03-30T08:00:00Z").toEpochMilli()));
            assertThat(h.statusesByProfile()).contains("uk:hours:waiting", "uk:hours:resumed");
            h.assertNothingLeftBehind("inside");
        }
    }
}
