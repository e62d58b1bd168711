package io.journeys.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.groups.Tuple.tuple;

import io.journeys.avro.ActionRequest;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** Entries from audience exports and qualifications, memberships and inAudience, audience exits. */
class AudienceTest {

    private static final Instant MONDAY = Instant.parse("2026-06-01T06:00:00Z");
    private static final Instant NEXT_MONDAY = MONDAY.plus(Duration.ofDays(7));

    private static String exportJourney(String id, String entryOptions) {
        return """
                {"id": "%s", "version": 1, "reentry": {"waitPeriod": "PT1M"},
                 "entry": {"type": "audience", "audience": "lapsed" %s},
                 "start": "send", "steps": {
                   "send": {"type": "action", "channel": "email", "template": "%s",
                            "params": {"score": "audience.score"}, "next": "done"},
                   "done": {"type": "end"}}}""".formatted(id, entryOptions, id);
    }

    @Test
    void shouldEnterEveryMemberOfEachExportWithItsColumnsReadableAsAudienceFields() throws Exception {
        try (ProcessorHarness h = ProcessorHarness.eventTime(exportJourney("every", ""))) {
            h.member("p1", "lapsed", "e1", null, MONDAY, "{\"score\": 7}")
                    .member("p2", "lapsed", "e1", null, MONDAY, "{\"score\": 2}")
                    .member("p1", "lapsed", "e2", "e1", NEXT_MONDAY, "{\"score\": 8}")
                    .untilTheEnd();

            assertThat(h.actions()).extracting(ActionRequest::getProfileId, ActionRequest::getParams).containsExactly(
                    tuple("p1", "{\"score\":7}"), tuple("p2", "{\"score\":2}"), tuple("p1", "{\"score\":8}"));
            // the last export of each member stays, for incremental journeys; the entries wait for the next write
            h.assertLeftBehind(Kept.profile("p1").lastExport("lapsed", "e2").expiredEntries("every"),
                    Kept.profile("p2").lastExport("lapsed", "e1").expiredEntries("every"));
        }
    }

    @Test
    void shouldEnterOnlyNewMembersWhenIncremental() throws Exception {
        try (ProcessorHarness h = ProcessorHarness.eventTime(exportJourney("incremental", ", \"incremental\": true"))) {
            h.member("p1", "lapsed", "e1", null, MONDAY, "{\"score\": 1}")
                    .member("p1", "lapsed", "e2", "e1", NEXT_MONDAY, "{\"score\": 1}") // in the previous export
                    .member("p2", "lapsed", "e2", "e1", NEXT_MONDAY, "{\"score\": 1}") // new in this one
                    .untilTheEnd();

            assertThat(h.actions()).extracting(ActionRequest::getProfileId, ActionRequest::getTimestamp)
                    .containsExactly(tuple("p1", MONDAY.toEpochMilli()), tuple("p2", NEXT_MONDAY.toEpochMilli()));
            h.assertLeftBehind(Kept.profile("p1").lastExport("lapsed", "e2"),
                    Kept.profile("p2").lastExport("lapsed", "e2").expiredEntries("incremental"));
        }
    }

    @Test
    void shouldEnterAProfileFromOneExportOnlyWhenTheRecurrenceIsOnce() throws Exception {
        try (ProcessorHarness h = ProcessorHarness.eventTime(exportJourney("once", ", \"recurrence\": \"once\""))) {
            h.member("p1", "lapsed", "e1", null, MONDAY, "{\"score\": 1}")
                    .member("p1", "lapsed", "e2", "e1", NEXT_MONDAY, "{\"score\": 1}")
                    .untilTheEnd();

            assertThat(h.actions()).extracting(ActionRequest::getProfileId).containsExactly("p1");
            h.assertLeftBehind(Kept.profile("p1").lastExport("lapsed", "e2").onceEverEntry("once"));
        }
    }

    @Test
    void shouldSpreadTheEntriesOfAnExportAtTheJourneysRate() throws Exception {
        try (ProcessorHarness h = ProcessorHarness.eventTime(exportJourney("paced", ", \"rate\": 2"))) {
            for (int i = 0; i < 5; i++) {
                h.member("p" + i, "lapsed", "e1", null, MONDAY, "{\"score\": " + i + "}");
            }
            h.untilTheEnd();

            assertThat(h.actions()).extracting(a -> a.getTimestamp() - MONDAY.toEpochMilli())
                    .containsExactly(0L, 500L, 1000L, 1500L, 2000L);
            assertThat(h.timers()).isZero();
            // no deferred entry is left: each entered at its slot
            Kept[] members = new Kept[5];
            for (int i = 0; i < 5; i++) {
                members[i] = Kept.profile("p" + i).lastExport("lapsed", "e1").expiredEntries("paced");
            }
            h.assertLeftBehind(members);
        }
    }

    @Test
    void shouldEnterOnQualificationKnowTheMembershipAndExitWhenTheProfileLeavesTheAudience() throws Exception {
        String journey = """
                {"id": "vip-care", "version": 1, "entry": {"type": "qualification", "audience": "vip", "on": "enter"},
                 "exit": [{"audienceExit": "vip"}],
                 "start": "check", "steps": {
                   "check": {"type": "condition", "choices": [{"when": "inAudience('vip') && !inAudience('churn')",
                             "next": "welcome"}], "default": "done"},
                   "welcome": {"type": "action", "channel": "email", "template": "vip-welcome", "next": "wait"},
                   "wait": {"type": "wait", "duration": "P1D", "next": "gift"},
                   "gift": {"type": "action", "channel": "push", "template": "vip-gift", "next": "done"},
                   "done": {"type": "end"}}}""";
        try (ProcessorHarness h = ProcessorHarness.eventTime(journey)) {
            h.qualification("stays", "vip", "enter", MONDAY)
                    .qualification("leaves", "vip", "enter", MONDAY)
                    .qualification("leaves", "vip", "exit", MONDAY.plus(Duration.ofHours(2)))
                    .untilTheEnd();

            assertThat(h.actions()).extracting(ActionRequest::getProfileId, ActionRequest::getTemplate)
                    .containsExactlyInAnyOrder(tuple("stays", "vip-welcome"), tuple("leaves", "vip-welcome"),
                            tuple("stays", "vip-gift"));
            assertThat(h.statusesByProfile()).contains("leaves:wait:exited");
            h.assertLeftBehind(Kept.profile("stays").memberships("vip"));
        }
    }

    @Test
    void shouldEnterWhenAProfileLeavesAnAudienceIfTheJourneySaysSo() throws Exception {
        String journey = """
                {"id": "win-back", "version": 1, "entry": {"type": "qualification", "audience": "active", "on": "exit"},
                 "start": "send", "steps": {
                   "send": {"type": "action", "channel": "sms", "template": "miss-you", "next": "done"},
                   "done": {"type": "end"}}}""";
        try (ProcessorHarness h = ProcessorHarness.eventTime(journey)) {
            h.qualification("p1", "active", "enter", MONDAY)
                    .qualification("p1", "active", "exit", NEXT_MONDAY)
                    .untilTheEnd();

            assertThat(h.actions()).extracting(ActionRequest::getTimestamp).containsExactly(NEXT_MONDAY.toEpochMilli());
            h.assertNothingLeftBehind();
        }
    }
}
