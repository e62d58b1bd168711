package io.journeys.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.groups.Tuple.tuple;

import io.journeys.avro.ActionRequest;
import io.journeys.avro.DeadLetter;
import io.journeys.avro.StepEvent;
import java.time.Duration;
import java.time.Instant;
import io.journeys.testing.SampleJourneys;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Awaits, splits, exits, versions and lifecycle, profile features, jumps, onError and guard rails, on the harness. */
class OrchestrationTest {

    private static final Instant BEGINNING = Instant.parse("2026-01-05T10:00:00Z");
    private static final Instant ONE_HOUR_LATER = BEGINNING.plus(Duration.ofHours(1));
    private static final Instant TWO_DAYS_LATER = BEGINNING.plus(Duration.ofDays(2));

    private static final String NUDGE = """
            {"id": "nudge", "version": 1, "entry": {"type": "event", "event": "signup"},
             "start": "send",
             "steps": {
               "send": {"type": "action", "channel": "email", "template": "hello", "next": "reaction"},
               "reaction": {"type": "await", "timeout": "P2D", "onTimeout": "reminder",
                            "events": [{"event": "email.opened", "to": "send", "next": "thanks"},
                                       {"event": "purchase", "when": "event.amount > 50", "next": "vip"}]},
               "thanks": {"type": "action", "channel": "push", "template": "thanks",
                          "params": {"openedAt": "journey.events['reaction'].time"}, "next": "done"},
               "vip": {"type": "action", "channel": "sms", "template": "vip",
                       "params": {"amount": "journey.events['reaction'].data.amount"}, "next": "done"},
               "reminder": {"type": "action", "channel": "push", "template": "reminder", "next": "done"},
               "done": {"type": "end"}}}""";

    @Test
    void shouldTakeTheBranchOfAReactionToTheInstancesOwnAction() throws Exception {
        try (ProcessorHarness h = ProcessorHarness.eventTime(NUDGE)) {
            h.event("p1", "signup", BEGINNING, "{}").watermark(BEGINNING);
            String requestId = h.actions().get(0).getRequestId();
            h.event("p1", "email.opened", ONE_HOUR_LATER, "{}", "some-other-request");
            h.event("p1", "email.opened", ONE_HOUR_LATER.plusSeconds(1), "{}", requestId).untilTheEnd();

            assertThat(h.actions()).extracting(ActionRequest::getTemplate, ActionRequest::getParams).containsExactly(
                    tuple("hello", "{}"),
                    tuple("thanks", "{\"openedAt\":\"" + ONE_HOUR_LATER.plusSeconds(1) + "\"}"));
            assertThat(h.statuses()).containsSubsequence("reaction:waiting", "reaction:resumed", "thanks:executed",
                    "done:completed");
            assertThat(h.timers()).isZero();
            h.assertNothingLeftBehind();
        }
    }

    @Test
    void shouldMatchTheFirstEventWhoseFilterHoldsAndCaptureIt() throws Exception {
        try (ProcessorHarness h = ProcessorHarness.eventTime(NUDGE)) {
            h.event("p1", "signup", BEGINNING, "{}")
                    .event("p1", "purchase", ONE_HOUR_LATER, "{\"amount\": 30}")
                    .event("p1", "purchase", ONE_HOUR_LATER.plusSeconds(60), "{\"amount\": 80.5}")
                    .untilTheEnd();

            assertThat(h.actions()).extracting(ActionRequest::getTemplate, ActionRequest::getParams)
                    .containsExactly(tuple("hello", "{}"), tuple("vip", "{\"amount\":80.5}"));
            h.assertNothingLeftBehind();
        }
    }

    @Test
    void shouldTakeOnTimeoutExactlyAtTheTimeoutWhenNothingMatches() throws Exception {
        try (ProcessorHarness h = ProcessorHarness.eventTime(NUDGE)) {
            h.event("p1", "signup", BEGINNING, "{}")
                    .event("p1", "email.opened", ONE_HOUR_LATER, "{}") // no request id: not a reaction to "send"
                    .event("p1", "purchase", TWO_DAYS_LATER, "{\"amount\": 100}") // at the timeout: too late
                    .untilTheEnd();

            assertThat(h.actions()).extracting(ActionRequest::getTemplate, ActionRequest::getTimestamp)
                    .containsExactly(tuple("hello", BEGINNING.toEpochMilli()),
                            tuple("reminder", TWO_DAYS_LATER.toEpochMilli()));
            assertThat(h.timers()).isZero();
            assertThat(h.stateEntries()).isZero();
            h.assertNothingLeftBehind();
        }
    }

    @Test
    void shouldExitOnlyWhenTheExitFilterHoldsAndSendNothingAfter() throws Exception {
        String journey = NUDGE.replace("\"version\": 1,",
                "\"version\": 1, \"exit\": [{\"event\": \"unsubscribed\", \"when\": \"event.reason == 'spam'\"}],");
        try (ProcessorHarness h = ProcessorHarness.eventTime(journey)) {
            h.event("p1", "signup", BEGINNING, "{}")
                    .event("p1", "unsubscribed", ONE_HOUR_LATER, "{\"reason\": \"moving\"}")
                    .event("p2", "signup", BEGINNING, "{}")
                    .event("p2", "unsubscribed", ONE_HOUR_LATER, "{\"reason\": \"spam\"}")
                    .untilTheEnd();

            assertThat(h.actions()).extracting(ActionRequest::getProfileId, ActionRequest::getTemplate)
                    .containsExactlyInAnyOrder(tuple("p1", "hello"), tuple("p2", "hello"), tuple("p1", "reminder"));
            assertThat(h.statusesByProfile()).contains("p2:reaction:exited").doesNotContain("p1:reaction:exited");
            h.assertNothingLeftBehind();
        }
    }

    @Test
    void shouldSplitAboutThirtySeventyAndTakeTheSameBranchOnEveryReplay() throws Exception {
        List<String> first = splitTemplates(SampleJourneys.SPLIT_30_70);
        List<String> second = splitTemplates(SampleJourneys.SPLIT_30_70);

        assertThat(second).isEqualTo(first);
        long a = first.stream().filter("a"::equals).count();
        assertThat(a).isBetween(255L, 345L); // 1,000 profiles: 30% within about three standard deviations
    }

    private static List<String> splitTemplates(String journey) throws Exception {
        try (ProcessorHarness h = ProcessorHarness.eventTime(journey)) {
            for (int i = 0; i < 1_000; i++) {
                h.event("profile-" + i, "signup", BEGINNING, "{}");
            }
            h.untilTheEnd().assertNothingLeftBehind();
            return h.actions().stream().sorted(java.util.Comparator.comparing(ActionRequest::getProfileId))
                    .map(ActionRequest::getTemplate).toList();
        }
    }

    @Test
    void shouldKeepProfilesInsideVersionOneWhileNewEntriesTakeVersionTwo() throws Exception {
        String v2 = SampleJourneys.promo(2, "\"publishedAt\": \"" + ONE_HOUR_LATER + "\",").replace("\"v1\"", "\"v2\"");
        try (ProcessorHarness h = ProcessorHarness.eventTime(SampleJourneys.PROMO_V1, v2)) {
            h.event("inside", "signup", BEGINNING, "{}")
                    .event("inside", "signup", ONE_HOUR_LATER.plusSeconds(600), "{}") // already inside: ignored
                    .event("newcomer", "signup", ONE_HOUR_LATER, "{}")
                    .untilTheEnd();

            assertThat(h.actions()).extracting(ActionRequest::getProfileId, ActionRequest::getJourneyVersion,
                    ActionRequest::getTemplate).containsExactly(tuple("inside", 1, "v1"), tuple("newcomer", 2, "v2"));
            h.assertNothingLeftBehind();
        }
    }

    @Test
    void shouldExitEveryProfileInsideWhenAStoppedVersionIsPublished() throws Exception {
        String stopped = SampleJourneys.promo(2, "\"status\": \"stopped\", \"publishedAt\": \"" + ONE_HOUR_LATER + "\",");
        try (ProcessorHarness h = ProcessorHarness.eventTime(SampleJourneys.PROMO_V1, stopped)) {
            h.event("inside", "signup", BEGINNING, "{}")
                    .event("late", "signup", ONE_HOUR_LATER.plusSeconds(1), "{}")
                    .untilTheEnd();

            assertThat(h.actions()).isEmpty();
            assertThat(h.lastStep()).satisfies(step -> {
                assertThat(step.getStatus()).isEqualTo(StepStatus.EXITED);
                assertThat(step.getTimestamp()).isEqualTo(ONE_HOUR_LATER.toEpochMilli());
            });
            assertThat(h.statusesByProfile()).noneMatch(s -> s.startsWith("late:"));
            assertThat(h.timers()).isZero();
            h.assertNothingLeftBehind();
        }
    }

    @Test
    void shouldLetProfilesInsideFinishButTakeNoEntriesOnceClosedOrOutsideTheWindow() throws Exception {
        String v1 = """
                {"id": "promo", "version": 1, "entry": {"type": "event", "event": "signup"},
                 "startAt": "%s", "endAt": "%s", "start": "wait",
                 "steps": {
                   "wait": {"type": "wait", "duration": "P1D", "next": "send"},
                   "send": {"type": "action", "channel": "email", "template": "v1", "next": "done"},
                   "done": {"type": "end"}}}""".formatted(BEGINNING, TWO_DAYS_LATER);
        String closed = v1.replace("\"version\": 1,",
                "\"version\": 2, \"status\": \"closed\", \"publishedAt\": \"" + ONE_HOUR_LATER + "\",");
        try (ProcessorHarness h = ProcessorHarness.eventTime(v1, closed)) {
            h.event("early", "signup", BEGINNING.minusSeconds(1), "{}")
                    .event("inside", "signup", BEGINNING, "{}")
                    .event("after-closing", "signup", ONE_HOUR_LATER, "{}")
                    .untilTheEnd();

            assertThat(h.actions()).extracting(ActionRequest::getProfileId).containsExactly("inside");
            h.assertNothingLeftBehind();
        }
    }

    @Test
    void shouldUseTheProfilesTimeZoneWhenTheJourneyAsksForIt() throws Exception {
        String journey = """
                {"id": "morning", "version": 1, "timeZone": "Europe/Paris", "useProfileTimeZone": true,
                 "entry": {"type": "event", "event": "signup"}, "start": "wait",
                 "steps": {
                   "wait": {"type": "wait", "until": "atLocalTime(plusDays(now, 1), '09:00')", "next": "send"},
                   "send": {"type": "action", "channel": "email", "template": "morning", "next": "done"},
                   "done": {"type": "end"}}}""";
        try (ProcessorHarness h = ProcessorHarness.eventTime(journey)) {
            h.profile("ny", BEGINNING.minusSeconds(1), "{\"timeZone\": \"America/New_York\"}")
                    .profile("bad-zone", BEGINNING.minusSeconds(1), "{\"timeZone\": \"Mars/Olympus\"}")
                    .event("ny", "signup", BEGINNING, "{}")
                    .event("paris", "signup", BEGINNING, "{}")
                    .event("bad-zone", "signup", BEGINNING, "{}")
                    .untilTheEnd();

            assertThat(h.actions()).extracting(ActionRequest::getProfileId, a -> Instant.ofEpochMilli(a.getTimestamp()))
                    .containsExactlyInAnyOrder(
                            tuple("ny", Instant.parse("2026-01-06T14:00:00Z")),
                            tuple("paris", Instant.parse("2026-01-06T08:00:00Z")),
                            tuple("bad-zone", Instant.parse("2026-01-06T08:00:00Z")));
            // the signup's id is forgotten at the wake-up of the profile in New York, a day and four hours later
            h.assertLeftBehind(Kept.profile("ny").attributes("{\"timeZone\": \"America/New_York\"}"),
                    Kept.profile("bad-zone").attributes("{\"timeZone\": \"Mars/Olympus\"}").expiredIds(1));
        }
    }

    @Test
    void shouldUpdateTheProfileAtOnceAndWriteItOut() throws Exception {
        String journey = """
                {"id": "loyalty", "version": 1, "entry": {"type": "event", "event": "purchase"}, "start": "count",
                 "steps": {
                   "count": {"type": "updateProfile",
                             "set": {"purchases": "has(profile.purchases) ? profile.purchases + 1 : 1", "lastPurchase": "now"},
                             "next": "check"},
                   "check": {"type": "condition", "choices": [{"when": "profile.purchases >= 2", "next": "send"}],
                             "default": "done"},
                   "send": {"type": "action", "channel": "email", "template": "loyal",
                            "params": {"purchases": "profile.purchases"}, "next": "done"},
                   "done": {"type": "end"}}}""";
        try (ProcessorHarness h = ProcessorHarness.eventTime(journey.replace("\"version\": 1,",
                "\"version\": 1, \"reentry\": {\"waitPeriod\": \"PT1S\"},"))) {
            h.event("p1", "purchase", BEGINNING, "{}").event("p1", "purchase", ONE_HOUR_LATER, "{}").untilTheEnd();

            assertThat(h.profileWrites()).extracting(w -> w.getAttributes()).containsExactly(
                    "{\"purchases\":1,\"lastPurchase\":\"" + BEGINNING + "\"}",
                    "{\"purchases\":2,\"lastPurchase\":\"" + ONE_HOUR_LATER + "\"}");
            assertThat(h.actions()).extracting(ActionRequest::getParams).containsExactly("{\"purchases\":2}");
            h.assertLeftBehind(Kept.profile("p1")
                    .attributes("{\"purchases\": 2, \"lastPurchase\": \"" + ONE_HOUR_LATER + "\"}")
                    .expiredEntries("loyalty").expiredIds(2));
        }
    }

    @Test
    void shouldCountRecentEventsOfTheProfile() throws Exception {
        String journey = """
                {"id": "engaged", "version": 1,
                 "entry": {"type": "event", "event": "page.view", "when": "countEvents('page.view', duration('1h')) >= 3"},
                 "start": "send", "steps": {
                   "send": {"type": "action", "channel": "inApp", "template": "engaged", "next": "done"},
                   "done": {"type": "end"}}}""";
        try (ProcessorHarness h = ProcessorHarness.eventTime(journey)) {
            h.event("p1", "page.view", BEGINNING, "{}")
                    .event("p1", "page.view", BEGINNING.plusSeconds(600), "{}")
                    .event("p1", "other", BEGINNING.plusSeconds(700), "{}")
                    .event("p1", "page.view", ONE_HOUR_LATER.plusSeconds(1), "{}") // the first has left the hour
                    .event("p1", "page.view", ONE_HOUR_LATER.plusSeconds(2), "{}")
                    .untilTheEnd();

            assertThat(h.actions()).extracting(ActionRequest::getTimestamp)
                    .containsExactly(ONE_HOUR_LATER.plusSeconds(2).toEpochMilli());
            assertThat(h.stateEntries()).isZero(); // the history is dropped once it is too old to count
            h.assertNothingLeftBehind();
        }
    }

    @Test
    void shouldProcessADuplicateEventOnceAndDeadLetterTheCopy() throws Exception {
        try (ProcessorHarness h = ProcessorHarness.eventTime(NUDGE)) {
            h.eventWithId("same", "p1", "signup", BEGINNING, "{}", null)
                    .eventWithId("same", "p1", "purchase", ONE_HOUR_LATER, "{\"amount\": 99}", null)
                    .untilTheEnd();

            assertThat(h.actions()).extracting(ActionRequest::getTemplate).containsExactly("hello", "reminder");
            assertThat(h.deadLetters()).extracting(DeadLetter::getErrorCode).containsExactly(ErrorCodes.DUPLICATE_EVENT);
            h.assertNothingLeftBehind();
        }
    }

    @Test
    void shouldForgetEventIdsOneAfterAnotherWithOneTimerPerProfile() throws Exception {
        try (ProcessorHarness h = ProcessorHarness.eventTime(NUDGE)) {
            h.eventWithId("first", "p2", "browse", BEGINNING, "{}", null)
                    .eventWithId("second", "p2", "browse", BEGINNING.plus(Duration.ofHours(20)), "{}", null)
                    .watermark(BEGINNING.plus(Duration.ofHours(20)));
            assertThat(h.timers()).as("one clean-up timer for both ids").isEqualTo(1);

            // a day after the first: it is forgotten, the second is still known
            h.eventWithId("first", "p2", "browse", BEGINNING.plus(Duration.ofHours(25)), "{}", null)
                    .eventWithId("second", "p2", "browse", BEGINNING.plus(Duration.ofHours(26)), "{}", null)
                    .untilTheEnd();

            assertThat(h.deadLetters()).extracting(DeadLetter::getErrorCode)
                    .containsExactly(ErrorCodes.DUPLICATE_EVENT);
            assertThat(h.deadLetters().get(0).getMessage()).contains("second");
            assertThat(h.timers()).isZero();
            assertThat(h.stateEntries()).isZero();
            h.assertNothingLeftBehind();
        }
    }

    @Test
    void shouldJumpIntoAnotherJourneyHonouringItsReentryRules() throws Exception {
        String origin = """
                {"id": "origin", "version": 1, "reentry": {"waitPeriod": "PT1S"},
                 "entry": {"type": "event", "event": "signup"}, "start": "go",
                 "steps": {"go": {"type": "jump", "journey": "target", "next": "done"}, "done": {"type": "end"}}}""";
        String target = """
                {"id": "target", "version": 1, "reentry": {"waitPeriod": "P1D"},
                 "entry": {"type": "event", "event": "never"}, "start": "send",
                 "steps": {"send": {"type": "action", "channel": "email", "template": "target",
                                    "params": {"plan": "event.plan"}, "next": "done"},
                           "done": {"type": "end"}}}""";
        try (ProcessorHarness h = ProcessorHarness.eventTime(origin, target)) {
            h.event("p1", "signup", BEGINNING, "{\"plan\": \"pro\"}")
                    .event("p1", "signup", ONE_HOUR_LATER, "{\"plan\": \"basic\"}") // target's wait period: no
                    .untilTheEnd();

            assertThat(h.actions()).extracting(ActionRequest::getJourneyId, ActionRequest::getParams)
                    .containsExactly(tuple("target", "{\"plan\":\"pro\"}"));
            assertThat(h.steps()).filteredOn(s -> s.getJourneyId().equals("origin"))
                    .extracting(StepEvent::getStatus).containsOnly("entered", "executed", "completed");
            h.assertNothingLeftBehind();
        }
    }

    @Test
    void shouldGoToOnErrorWhenAnExpressionFailsAndTheStepNamesOne() throws Exception {
        String journey = """
                {"id": "careful", "version": 1, "entry": {"type": "event", "event": "signup"}, "start": "check",
                 "steps": {
                   "check": {"type": "condition", "choices": [{"when": "profile.vip", "next": "done"}],
                             "default": "done", "onError": "fallback"},
                   "fallback": {"type": "action", "channel": "email", "template": "fallback", "next": "done"},
                   "done": {"type": "end"}}}""";
        try (ProcessorHarness h = ProcessorHarness.eventTime(journey)) {
            h.event("p1", "signup", BEGINNING, "{}").untilTheEnd();

            assertThat(h.actions()).extracting(ActionRequest::getTemplate).containsExactly("fallback");
            assertThat(h.steps().get(1)).satisfies(step -> {
                assertThat(step.getStepId()).isEqualTo("check");
                assertThat(step.getStatus()).isEqualTo(StepStatus.EXECUTED);
                assertThat(step.getNext()).isEqualTo("fallback");
                assertThat(step.getErrorCode()).isEqualTo(ErrorCodes.EXPRESSION_FAILED);
            });
            assertThat(h.lastStep().getStatus()).isEqualTo(StepStatus.COMPLETED);
            h.assertNothingLeftBehind();
        }
    }

    @Test
    void shouldRefuseEntriesBeyondTheLiveInstancesGuardRail() throws Exception {
        String a = """
                {"id": "a", "version": 1, "entry": {"type": "event", "event": "signup"}, "start": "wait",
                 "steps": {"wait": {"type": "wait", "duration": "P1D", "next": "done"}, "done": {"type": "end"}}}""";
        String b = a.replace("\"id\": \"a\"", "\"id\": \"b\"");
        GuardRails oneAtATime = new GuardRails(200, 1, 65536, 1000, Duration.ofHours(24));
        try (ProcessorHarness h = ProcessorHarness.with(EngineSettings.eventTime(List.of(a, b)).withGuardRails(oneAtATime))) {
            h.event("p1", "signup", BEGINNING, "{}").untilTheEnd();

            assertThat(h.steps()).extracting(StepEvent::getJourneyId).containsOnly("a");
            assertThat(h.deadLetters()).extracting(DeadLetter::getErrorCode)
                    .containsExactly(ErrorCodes.TOO_MANY_INSTANCES);
            h.assertNothingLeftBehind();
        }
    }
}
