package io.journeys.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.groups.Tuple.tuple;

import io.journeys.avro.ActionRequest;
import io.journeys.avro.DeadLetter;
import io.journeys.testing.SampleJourneys;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Disabled;
import org.junit.jupiter.api.Test;

/** The keyed journey processor on a test harness with RocksDB: outputs, then no state and no timers left. */
class JourneyProcessorTest {

    private static final Instant BEGINNING = Instant.parse("2026-01-05T10:00:00Z");
    private static final Instant ONE_HOUR_LATER = BEGINNING.plus(Duration.ofHours(1));
    private static final Instant ONE_DAY_LATER = BEGINNING.plus(Duration.ofDays(1));

    private static final String SEND_AND_END = """
            {"id": "hello", "version": 1,
             "entry": {"type": "event", "event": "signup", "when": "event.plan != 'trial'"},
             "start": "send",
             "steps": {
               "send": {"type": "action", "channel": "email", "template": "hello",
                        "params": {"plan": "event.plan", "name": "profile.firstName"}, "next": "done"},
               "done": {"type": "end"}}}""";

    private static final String WELCOME = """
            {"id": "welcome", "version": 1,
             "reentry": {"allowed": false},
             "exit": [{"event": "unsubscribed"}],
             "entry": {"type": "event", "event": "signup"},
             "start": "send-welcome",
             "steps": {
               "send-welcome": {"type": "action", "channel": "email", "template": "welcome", "next": "wait-1d"},
               "wait-1d": {"type": "wait", "duration": "P1D", "next": "logged-in"},
               "logged-in": {"type": "condition",
                             "choices": [{"when": "profile.loginCount > 0", "next": "done"}],
                             "default": "send-reminder"},
               "send-reminder": {"type": "action", "channel": "push", "template": "reminder", "next": "done"},
               "done": {"type": "end"}}}""";

    @Test
    void shouldSendActionWithParamsAndLeaveNoStateOnceReentryPeriodIsOver() throws Exception {
        try (ProcessorHarness h = ProcessorHarness.eventTime(SEND_AND_END)) {
            h.profile("p1", BEGINNING.minusSeconds(60), "{\"firstName\": \"Ana\"}")
                    .event("p1", "signup", BEGINNING, "{\"plan\": \"pro\"}")
                    .watermark(BEGINNING);

            assertThat(h.actions()).singleElement().satisfies(action -> {
                assertThat(action.getChannel()).isEqualTo("email");
                assertThat(action.getTemplate()).isEqualTo("hello");
                assertThat(action.getParams()).isEqualTo("{\"plan\":\"pro\",\"name\":\"Ana\"}");
                assertThat(action.getTimestamp()).isEqualTo(BEGINNING.toEpochMilli());
            });
            assertThat(h.statuses()).containsExactly("send:entered", "send:executed", "done:completed");

            h.watermark(BEGINNING.plus(Duration.ofMinutes(5)));
            // the entry is forgotten; the event id is kept a day to drop duplicates, in the profile's record,
            // which its attributes keep anyway: the id is dropped when the record is next written, no timer
            assertThat(h.timers()).isZero();
            assertThat(h.stateEntries()).isEqualTo(1);
            h.assertLeftBehind(Kept.profile("p1").attributes("{\"firstName\": \"Ana\"}").expiredEntries("hello"));

            h.watermark(ONE_DAY_LATER.plus(Duration.ofMinutes(1)));
            assertThat(h.timers()).isZero();
            assertThat(h.stateEntries()).isEqualTo(1); // the profile's attributes only
            // and, until the record is next written, the entry and the event id whose time is over
            h.assertLeftBehind(Kept.profile("p1").attributes("{\"firstName\": \"Ana\"}").expiredEntries("hello")
                    .expiredIds(1));
        }
    }

    @Test
    void shouldNotEnterWhenEntryFilterFails() throws Exception {
        try (ProcessorHarness h = ProcessorHarness.eventTime(SEND_AND_END)) {
            h.event("p1", "signup", BEGINNING, "{\"plan\": \"trial\"}").untilTheEnd();

            assertThat(h.actions()).isEmpty();
            assertThat(h.statuses()).isEmpty();
            assertThat(h.stateEntries()).isZero();
            assertThat(h.timers()).isZero();
            h.assertNothingLeftBehind();
        }
    }

    @Test
    void shouldSendReminderExactlyOneDayLaterWhenNoLoginWithinOneDay() throws Exception {
        try (ProcessorHarness h = ProcessorHarness.eventTime(WELCOME)) {
            h.profile("p1", BEGINNING.minusSeconds(60), "{\"loginCount\": 0}")
                    .event("p1", "signup", BEGINNING, "{}")
                    .watermark(ONE_DAY_LATER.minusMillis(1));
            assertThat(h.actions()).extracting(ActionRequest::getTemplate).containsExactly("welcome");

            h.watermark(ONE_DAY_LATER);
            assertThat(h.actions()).extracting(ActionRequest::getTemplate, ActionRequest::getTimestamp).containsExactly(
                    tuple("welcome", BEGINNING.toEpochMilli()), tuple("reminder", ONE_DAY_LATER.toEpochMilli()));
            assertThat(h.statuses()).containsExactly("send-welcome:entered", "send-welcome:executed", "wait-1d:waiting",
                    "wait-1d:resumed", "logged-in:executed", "send-reminder:executed", "done:completed");

            h.untilTheEnd();
            assertThat(h.timers()).isZero();
            // once-ever journey: the entry is remembered, in the profile's record
            assertThat(h.stateEntries()).isEqualTo(1);
            h.assertLeftBehind(Kept.profile("p1").attributes("{\"loginCount\": 0}").onceEverEntry("welcome")
                    .expiredIds(1));
        }
    }

    @Test
    void shouldSkipReminderWhenProfileLoggedInDuringTheWait() throws Exception {
        try (ProcessorHarness h = ProcessorHarness.eventTime(WELCOME)) {
            h.profile("p1", BEGINNING.minusSeconds(60), "{\"loginCount\": 0}")
                    .event("p1", "signup", BEGINNING, "{}")
                    .profile("p1", ONE_HOUR_LATER, "{\"loginCount\": 1.0}")
                    .untilTheEnd();

            assertThat(h.actions()).extracting(ActionRequest::getTemplate).containsExactly("welcome");
            assertThat(h.statuses()).last().isEqualTo("done:completed");
            h.assertLeftBehind(Kept.profile("p1").attributes("{\"loginCount\": 1.0}").onceEverEntry("welcome")
                    .expiredIds(1));
        }
    }

    @Test
    void shouldExitOnExitEventAndCancelTheWakeUp() throws Exception {
        try (ProcessorHarness h = ProcessorHarness.eventTime(WELCOME)) {
            h.event("p1", "signup", BEGINNING, "{}").watermark(BEGINNING);
            // one Flink timer for the profile, at its first due instant (the wake-up); the journey timeout
            // and forgetting the event id are reasons kept in its record
            assertThat(h.timers()).isEqualTo(1);
            h.assertLeftBehind(Kept.profile("p1").parked("welcome"));

            h.event("p1", "unsubscribed", ONE_HOUR_LATER, "{}").untilTheEnd();

            assertThat(h.actions()).extracting(ActionRequest::getTemplate).containsExactly("welcome");
            assertThat(h.statuses()).last().isEqualTo("wait-1d:exited");
            assertThat(h.timers()).isZero();
            assertThat(h.stateEntries()).isEqualTo(1); // once-ever entry history
            h.assertLeftBehind(Kept.profile("p1").onceEverEntry("welcome").expiredIds(2));
        }
    }

    @Test
    void shouldTimeOutWhenTheJourneyTimeoutComesBeforeTheWaitEnds() throws Exception {
        String journey = WELCOME.replace("\"version\": 1,", "\"version\": 1, \"timeout\": \"PT1H\",");
        try (ProcessorHarness h = ProcessorHarness.eventTime(journey)) {
            h.event("p1", "signup", BEGINNING, "{}").untilTheEnd();

            assertThat(h.actions()).hasSize(1);
            assertThat(h.lastStep()).satisfies(step -> {
                assertThat(step.getStatus()).isEqualTo(StepStatus.TIMED_OUT);
                assertThat(step.getTimestamp()).isEqualTo(ONE_HOUR_LATER.toEpochMilli());
            });
            assertThat(h.timers()).isZero();
            h.assertLeftBehind(Kept.profile("p1").onceEverEntry("welcome").expiredIds(1));
        }
    }

    @Test
    void shouldRefuseReentryWithinTheWaitPeriodAndAllowItAfter() throws Exception {
        String journey = SEND_AND_END.replace("\"version\": 1,",
                "\"version\": 1, \"reentry\": {\"allowed\": true, \"waitPeriod\": \"PT1H\"},");
        try (ProcessorHarness h = ProcessorHarness.eventTime(journey)) {
            h.profile("p1", BEGINNING.minusSeconds(60), "{\"firstName\": \"Ana\"}")
                    .event("p1", "signup", BEGINNING, "{\"plan\": \"pro\"}")
                    .event("p1", "signup", BEGINNING.plus(Duration.ofMinutes(59)), "{\"plan\": \"pro\"}")
                    .event("p1", "signup", ONE_HOUR_LATER, "{\"plan\": \"pro\"}")
                    .untilTheEnd();

            assertThat(h.actions()).extracting(ActionRequest::getTimestamp)
                    .containsExactly(BEGINNING.toEpochMilli(), ONE_HOUR_LATER.toEpochMilli());
            assertThat(h.stateEntries()).isEqualTo(1); // the profile's attributes only
            assertThat(h.timers()).isZero();
            h.assertLeftBehind(Kept.profile("p1").attributes("{\"firstName\": \"Ana\"}").expiredEntries("hello")
                    .expiredIds(3));
        }
    }

    @Test
    void shouldReenterRightAfterCompletingWhenTheWaitPeriodIsZero() throws Exception {
        String journey = SEND_AND_END.replace("\"version\": 1,",
                "\"version\": 1, \"reentry\": {\"allowed\": true, \"waitPeriod\": \"PT0S\"},");
        try (ProcessorHarness h = ProcessorHarness.eventTime(journey)) {
            // the first instance completes at once, so the second signup of the same instant enters again
            h.profile("p1", BEGINNING.minusSeconds(60), "{\"firstName\": \"Ana\"}")
                    .event("p1", "signup", BEGINNING, "{\"plan\": \"pro\"}")
                    .event("p1", "signup", BEGINNING, "{\"plan\": \"team\"}")
                    .event("p1", "signup", BEGINNING.plusMillis(1), "{\"plan\": \"pro\"}")
                    .untilTheEnd();

            assertThat(h.actions()).extracting(ActionRequest::getTimestamp).containsExactly(BEGINNING.toEpochMilli(),
                    BEGINNING.toEpochMilli(), BEGINNING.plusMillis(1).toEpochMilli());
            assertThat(h.statuses()).containsExactly("send:entered", "send:executed", "done:completed",
                    "send:entered", "send:executed", "done:completed",
                    "send:entered", "send:executed", "done:completed");
            assertThat(h.stateEntries()).isEqualTo(1); // the profile's attributes only: no entry history is kept
            assertThat(h.timers()).isZero();
            h.assertLeftBehind(Kept.profile("p1").attributes("{\"firstName\": \"Ana\"}").expiredIds(3));
        }
    }

    @Test
    void shouldNotReenterWhileInsideEvenWhenTheWaitPeriodIsZero() throws Exception {
        String journey = WELCOME.replace("\"reentry\": {\"allowed\": false},", "\"reentry\": {\"waitPeriod\": \"PT0S\"},");
        try (ProcessorHarness h = ProcessorHarness.eventTime(journey)) {
            h.profile("p1", BEGINNING.minusSeconds(1), "{\"loginCount\": 3}")
                    .event("p1", "signup", BEGINNING, "{}")
                    .event("p1", "signup", ONE_HOUR_LATER, "{}") // waiting in wait-1d: still inside
                    .event("p1", "signup", ONE_DAY_LATER.plusMillis(1), "{}") // the first instance completed at ONE_DAY_LATER
                    .untilTheEnd();

            assertThat(h.actions()).extracting(ActionRequest::getTimestamp)
                    .containsExactly(BEGINNING.toEpochMilli(), ONE_DAY_LATER.plusMillis(1).toEpochMilli());
            assertThat(h.timers()).isZero();
            h.assertLeftBehind(Kept.profile("p1").attributes("{\"loginCount\": 3}").expiredIds(1));
        }
    }

    @Test
    void shouldEnterAJourneyOnlyOnceWhenReentryIsNotAllowed() throws Exception {
        try (ProcessorHarness h = ProcessorHarness.eventTime(WELCOME)) {
            h.profile("p1", BEGINNING.minusSeconds(1), "{\"loginCount\": 3}")
                    .event("p1", "signup", BEGINNING, "{}")
                    .event("p1", "signup", BEGINNING.plus(Duration.ofDays(30)), "{}")
                    .untilTheEnd();

            assertThat(h.actions()).hasSize(1);
            h.assertLeftBehind(Kept.profile("p1").attributes("{\"loginCount\": 3}").onceEverEntry("welcome")
                    .expiredIds(1));
        }
    }

    @Test
    void shouldNotEnterTwiceWhileAlreadyInside() throws Exception {
        String journey = WELCOME.replace("\"reentry\": {\"allowed\": false},", "\"reentry\": {\"waitPeriod\": \"PT1S\"},");
        try (ProcessorHarness h = ProcessorHarness.eventTime(journey)) {
            h.profile("p1", BEGINNING.minusSeconds(1), "{\"loginCount\": 3}")
                    .event("p1", "signup", BEGINNING, "{}")
                    .event("p1", "signup", ONE_HOUR_LATER, "{}")
                    .untilTheEnd();

            assertThat(h.actions()).extracting(ActionRequest::getTimestamp).containsExactly(BEGINNING.toEpochMilli());
            h.assertLeftBehind(Kept.profile("p1").attributes("{\"loginCount\": 3}").expiredIds(2));
        }
    }

    @Test
    void shouldEndWithErrorWhenAConditionFailsAtRunTime() throws Exception {
        try (ProcessorHarness h = ProcessorHarness.eventTime(WELCOME)) {
            h.event("p1", "signup", BEGINNING, "{}").untilTheEnd(); // no profile: profile.loginCount is missing

            assertThat(h.lastStep()).satisfies(step -> {
                assertThat(step.getStepId()).isEqualTo("logged-in");
                assertThat(step.getStatus()).isEqualTo(StepStatus.ERROR);
                assertThat(step.getErrorCode()).isEqualTo(ErrorCodes.EXPRESSION_FAILED);
                assertThat(step.getMessage()).contains("loginCount");
            });
            assertThat(h.timers()).isZero();
            h.assertLeftBehind(Kept.profile("p1").onceEverEntry("welcome").expiredIds(1));
        }
    }

    @Test
    void shouldHandleOutOfOrderInputsInTimestampOrder() throws Exception {
        try (ProcessorHarness h = ProcessorHarness.eventTime(WELCOME)) {
            // the login arrives first but happened after the signup; the signup must still see loginCount 0
            h.profile("p1", ONE_HOUR_LATER, "{\"loginCount\": 1}")
                    .event("p1", "signup", BEGINNING, "{}")
                    .profile("p1", BEGINNING.minusSeconds(60), "{\"loginCount\": 0}")
                    .untilTheEnd();

            assertThat(h.actions()).extracting(ActionRequest::getTemplate).containsExactly("welcome");
            assertThat(h.statuses()).last().isEqualTo("done:completed");
            h.assertLeftBehind(Kept.profile("p1").attributes("{\"loginCount\": 1}").onceEverEntry("welcome")
                    .expiredIds(1));
        }
    }

    @Test
    void shouldDeadLetterAnInputBehindTheWatermark() throws Exception {
        try (ProcessorHarness h = ProcessorHarness.eventTime(WELCOME)) {
            h.watermark(ONE_HOUR_LATER).event("p1", "signup", BEGINNING, "{}");

            assertThat(h.deadLetters()).extracting(DeadLetter::getErrorCode).containsExactly(ErrorCodes.LATE_INPUT);
            assertThat(h.actions()).isEmpty();
            h.assertNothingLeftBehind(); // a late input is not kept
        }
    }

    @Test
    void shouldRunEveryJourneyEnteredByTheSameEvent() throws Exception {
        String other = SEND_AND_END.replace("\"id\": \"hello\"", "\"id\": \"another\"")
                .replace(", \"when\": \"event.plan != 'trial'\"", "");
        try (ProcessorHarness h = ProcessorHarness.eventTime(SEND_AND_END, other)) {
            h.profile("p1", BEGINNING.minusSeconds(60), "{\"firstName\": \"Ana\"}")
                    .profile("p2", BEGINNING.minusSeconds(60), "{\"firstName\": \"Ben\"}")
                    .event("p1", "signup", BEGINNING, "{\"plan\": \"trial\"}")
                    .event("p2", "signup", BEGINNING, "{\"plan\": \"pro\"}")
                    .untilTheEnd();

            assertThat(h.actions()).extracting(ActionRequest::getProfileId, ActionRequest::getJourneyId)
                    .containsExactlyInAnyOrder(tuple("p1", "another"), tuple("p2", "another"), tuple("p2", "hello"));
            h.assertLeftBehind(
                    Kept.profile("p1").attributes("{\"firstName\": \"Ana\"}").expiredEntries("another").expiredIds(1),
                    Kept.profile("p2").attributes("{\"firstName\": \"Ben\"}").expiredEntries("another", "hello")
                            .expiredIds(1));
        }
    }

    @Test
    void shouldGoOnAtOnceWhenWaitUntilIsAlreadyPast() throws Exception {
        String journey = WELCOME.replace("\"duration\": \"P1D\"", "\"until\": \"eventTime - duration('1h')\"");
        try (ProcessorHarness h = ProcessorHarness.eventTime(journey)) {
            h.profile("p1", BEGINNING.minusSeconds(60), "{\"loginCount\": 0}")
                    .event("p1", "signup", BEGINNING, "{}")
                    .watermark(BEGINNING);

            assertThat(h.actions()).extracting(ActionRequest::getTimestamp)
                    .containsExactly(BEGINNING.toEpochMilli(), BEGINNING.toEpochMilli());
            h.assertLeftBehind(Kept.profile("p1").attributes("{\"loginCount\": 0}").onceEverEntry("welcome"));
        }
    }

    @Test
    void shouldFireWaitsOnTheProcessingTimeClockInProduction() throws Exception {
        try (ProcessorHarness h = ProcessorHarness.with(EngineSettings.processingTime(List.of(WELCOME)))) {
            h.flink().setProcessingTime(BEGINNING.toEpochMilli());
            h.profile("p1", BEGINNING, "{\"loginCount\": 0}")
                    // the event's own timestamp does not drive the engine in processing time
                    .event("p1", "signup", BEGINNING.minus(Duration.ofDays(3)), "{}");
            // one Flink timer for the profile, at its first due instant (the wake-up); the journey timeout
            // and forgetting the event id are reasons kept in its record
            assertThat(h.timers()).isEqualTo(1);

            h.flink().setProcessingTime(ONE_DAY_LATER.toEpochMilli());
            assertThat(h.actions()).extracting(ActionRequest::getTimestamp)
                    .containsExactly(BEGINNING.toEpochMilli(), ONE_DAY_LATER.toEpochMilli());
            h.flink().setProcessingTime(ONE_DAY_LATER.plus(Duration.ofMinutes(1)).toEpochMilli());
            assertThat(h.timers()).isZero();
            h.assertLeftBehind(Kept.profile("p1").attributes("{\"loginCount\": 0}").onceEverEntry("welcome")
                    .expiredIds(1));
        }
    }

    @Test
    void shouldGiveTheSameIdsOnEveryReplay() throws Exception {
        List<String> first = replayWelcome();
        List<String> second = replayWelcome();
        assertThat(second).isEqualTo(first).isNotEmpty();
    }

    private static List<String> replayWelcome() throws Exception {
        try (ProcessorHarness h = ProcessorHarness.eventTime(WELCOME)) {
            h.profile("p1", BEGINNING.minusSeconds(60), "{\"loginCount\": 0}")
                    .event("p1", "signup", BEGINNING, "{}")
                    .untilTheEnd();
            h.assertLeftBehind(Kept.profile("p1").attributes("{\"loginCount\": 0}").onceEverEntry("welcome")
                    .expiredIds(1));
            return h.actions().stream().map(ActionRequest::getRequestId).toList();
        }
    }

    @Test
    void shouldKeepOneTimerPerProfileAtItsFirstDueInstantAndMoveItWhenThatInstanceEnds() throws Exception {
        String waitThenPush = """
                {"id": "%s", "version": 1,
                 "exit": [{"event": "%s"}],
                 "entry": {"type": "event", "event": "signup"},
                 "start": "wait",
                 "steps": {
                   "wait": {"type": "wait", "duration": "%s", "next": "push"},
                   "push": {"type": "action", "channel": "push", "template": "%s", "next": "done"},
                   "done": {"type": "end"}}}""";
        try (ProcessorHarness h = ProcessorHarness.eventTime(
                waitThenPush.formatted("one-hour", "unsubscribed", "PT1H", "after-one-hour"),
                waitThenPush.formatted("two-hours", "never", "PT2H", "after-two-hours"))) {
            h.event("p1", "signup", BEGINNING, "{}")
                    .event("p2", "signup", BEGINNING, "{}")
                    .watermark(BEGINNING);
            // two profiles, each with two wake-ups and two journey timeouts: one Flink timer each
            assertThat(h.timers()).isEqualTo(2);

            // p2 leaves the one-hour journey: its timer moves to the two-hour wake-up
            h.event("p2", "unsubscribed", BEGINNING.plus(Duration.ofMinutes(30)), "{}")
                    .watermark(BEGINNING.plus(Duration.ofMinutes(30)));
            assertThat(h.timers()).isEqualTo(2);

            h.watermark(ONE_HOUR_LATER);
            assertThat(h.timers()).isEqualTo(2);
            h.untilTheEnd();

            assertThat(h.actions()).extracting(ActionRequest::getProfileId, ActionRequest::getTemplate,
                    ActionRequest::getTimestamp).containsExactlyInAnyOrder(
                    tuple("p1", "after-one-hour", ONE_HOUR_LATER.toEpochMilli()),
                    tuple("p1", "after-two-hours", BEGINNING.plus(Duration.ofHours(2)).toEpochMilli()),
                    tuple("p2", "after-two-hours", BEGINNING.plus(Duration.ofHours(2)).toEpochMilli()));
            assertThat(h.timers()).isZero();
            h.assertNothingLeftBehind();
        }
    }

    @Test
    void shouldSeeAParkedInstanceItsTimerReasonsAndAnEntryNotNamedAsLeftBehind() throws Exception {
        try (ProcessorHarness h = ProcessorHarness.eventTime(WELCOME)) {
            h.profile("p1", BEGINNING.minusSeconds(60), "{\"loginCount\": 0}")
                    .event("p1", "signup", BEGINNING, "{}")
                    .watermark(ONE_HOUR_LATER);

            assertThatThrownBy(h::assertNothingLeftBehind).hasMessageContaining("live instances [welcome]")
                    .hasMessageContaining("attributes {\"loginCount\":0}");
            assertThatThrownBy(() -> h.assertLeftBehind(Kept.profile("p1").attributes("{\"loginCount\": 0}")
                    .parked("welcome").stopAt("welcome", ONE_HOUR_LATER.plusSeconds(1))))
                    .hasMessageContaining("no timer reason instance:welcome at " + ONE_HOUR_LATER.plusSeconds(1));
            h.assertLeftBehind(Kept.profile("p1").attributes("{\"loginCount\": 0}").parked("welcome"));
            assertThat(h.profileRecord("p1").getInstances().get("welcome").getWakeAt())
                    .isEqualTo(ONE_DAY_LATER.toEpochMilli());

            h.untilTheEnd();
            assertThatThrownBy(() -> h.assertLeftBehind(Kept.profile("p1").attributes("{\"loginCount\": 0}")))
                    .hasMessageContaining("once-ever entries [welcome]").hasMessageContaining("1 event ids past their time");
            h.assertLeftBehind(Kept.profile("p1").attributes("{\"loginCount\": 0}").onceEverEntry("welcome")
                    .expiredIds(1));
        }
    }

    /**
     * An instance that entered while a stop was scheduled registered a timer reason at the stop; a version
     * published later cancels the stop, so when the instance completes, recomputing the stop from the
     * publications of now finds none, and the reason at the old stop is left in the record.
     */
    @Test
    void shouldLeaveNoTimerReasonWhenTheStopsChangedWhileTheInstanceWaited() throws Exception {
        Instant stopAt = BEGINNING.plus(Duration.ofDays(2));
        String stopped = SampleJourneys.promo(2, "\"status\": \"stopped\", \"publishedAt\": \"" + stopAt + "\",");
        String liveAgain = SampleJourneys.promo(3, "\"publishedAt\": \"" + BEGINNING.plus(Duration.ofHours(12)) + "\",")
                .replace("\"v1\"", "\"v3\"");
        try (ProcessorHarness h = ProcessorHarness.eventTime(SampleJourneys.PROMO_V1, stopped)) {
            h.event("p1", "signup", BEGINNING, "{}").watermark(BEGINNING);
            h.assertLeftBehind(Kept.profile("p1").parked("promo").stopAt("promo", stopAt));

            h.publish(liveAgain).watermark(ONE_DAY_LATER);

            assertThat(h.actions()).extracting(ActionRequest::getJourneyVersion, ActionRequest::getTimestamp)
                    .containsExactly(tuple(1, ONE_DAY_LATER.toEpochMilli()));
            assertThat(h.statuses()).last().isEqualTo("done:completed");
            // before the lifecycle released every reason of an ended instance, the reason at the old stop stayed
            h.assertNothingLeftBehind();
            h.untilTheEnd().assertNothingLeftBehind();
        }
    }

    /**
     * A record that keeps something else (attributes here) forgets expired event ids and entry histories only
     * when it is next written: it has no timer to forget them (ProfileRecord.forgetAt), so a profile that is
     * not heard of again keeps them for ever.
     */
    @Test
    @Disabled("issue 14: expired event ids and entry histories stay in a record that keeps attributes until it is"
            + " next written")
    void shouldForgetTheEventIdsAndEntriesOfAProfileWithAttributesOnceTheirTimeIsOver() throws Exception {
        try (ProcessorHarness h = ProcessorHarness.eventTime(SEND_AND_END)) {
            h.profile("p1", BEGINNING.minusSeconds(60), "{\"firstName\": \"Ana\"}")
                    .event("p1", "signup", BEGINNING, "{\"plan\": \"pro\"}")
                    .watermark(ONE_DAY_LATER.plus(Duration.ofMinutes(1)));

            assertThat(h.actions()).hasSize(1);
            // today: the entry into hello (forget at 10:05) and the signup's id (forget at 10:01 the next day)
            h.assertLeftBehind(Kept.profile("p1").attributes("{\"firstName\": \"Ana\"}"));
        }
    }
}
