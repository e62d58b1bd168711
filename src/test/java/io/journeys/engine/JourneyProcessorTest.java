package io.journeys.engine;

import static org.assertj.core.api.Assertions.assertThat;

import io.journeys.avro.ActionRequest;
import io.journeys.avro.DeadLetter;
import io.journeys.avro.EngineInput;
import io.journeys.avro.ProfileEvent;
import io.journeys.avro.ProfileUpdate;
import io.journeys.avro.StepEvent;
import io.journeys.job.JobEnvironment;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.flink.api.common.serialization.SerializerConfigImpl;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.state.rocksdb.EmbeddedRocksDBStateBackend;
import org.apache.flink.state.rocksdb.RocksDBKeyedStateBackend;
import org.apache.flink.streaming.api.operators.KeyedProcessOperator;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.AfterEach;
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

    private final AtomicLong sequence = new AtomicLong();
    private KeyedOneInputStreamOperatorTestHarness<String, EngineInput, ActionRequest> harness;

    @AfterEach
    void close() throws Exception {
        if (harness != null) {
            harness.close();
        }
    }

    @Test
    void shouldSendActionWithParamsAndLeaveNoStateOnceReentryPeriodIsOver() throws Exception {
        harness = harness(EngineSettings.eventTime(List.of(SEND_AND_END)));
        process(profile("p1", BEGINNING.minusSeconds(60), "{\"firstName\": \"Ana\"}"));
        process(event("p1", "signup", BEGINNING, "{\"plan\": \"pro\"}"));
        harness.processWatermark(BEGINNING.toEpochMilli());

        assertThat(harness.extractOutputValues()).singleElement().satisfies(action -> {
            assertThat(action.getChannel()).isEqualTo("email");
            assertThat(action.getTemplate()).isEqualTo("hello");
            assertThat(action.getParams()).isEqualTo("{\"plan\":\"pro\",\"name\":\"Ana\"}");
            assertThat(action.getTimestamp()).isEqualTo(BEGINNING.toEpochMilli());
        });
        assertThat(statuses()).containsExactly("send:entered", "send:executed", "done:completed");

        harness.processWatermark(BEGINNING.plus(Duration.ofMinutes(5)).toEpochMilli());
        // the entry is forgotten; the event id is kept a day to drop duplicates
        assertThat(harness.numEventTimeTimers()).isEqualTo(1);
        assertThat(stateEntries()).isEqualTo(2);

        harness.processWatermark(BEGINNING.plus(Duration.ofDays(1)).plus(Duration.ofMinutes(1)).toEpochMilli());
        assertThat(harness.numEventTimeTimers()).isZero();
        assertThat(stateEntries()).isEqualTo(1); // the profile's attributes only
    }

    @Test
    void shouldNotEnterWhenEntryFilterFails() throws Exception {
        harness = harness(EngineSettings.eventTime(List.of(SEND_AND_END)));
        process(event("p1", "signup", BEGINNING, "{\"plan\": \"trial\"}"));
        harness.processWatermark(Long.MAX_VALUE);

        assertThat(harness.extractOutputValues()).isEmpty();
        assertThat(statuses()).isEmpty();
        assertThat(stateEntries()).isZero();
        assertThat(harness.numEventTimeTimers()).isZero();
    }

    @Test
    void shouldSendReminderExactlyOneDayLaterWhenNoLoginWithinOneDay() throws Exception {
        harness = harness(EngineSettings.eventTime(List.of(WELCOME)));
        process(profile("p1", BEGINNING.minusSeconds(60), "{\"loginCount\": 0}"));
        process(event("p1", "signup", BEGINNING, "{}"));
        harness.processWatermark(ONE_DAY_LATER.toEpochMilli() - 1);
        assertThat(harness.extractOutputValues()).extracting(ActionRequest::getTemplate).containsExactly("welcome");

        harness.processWatermark(ONE_DAY_LATER.toEpochMilli());
        assertThat(harness.extractOutputValues()).extracting(ActionRequest::getTemplate, ActionRequest::getTimestamp)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple("welcome", BEGINNING.toEpochMilli()),
                        org.assertj.core.groups.Tuple.tuple("reminder", ONE_DAY_LATER.toEpochMilli()));
        assertThat(statuses()).containsExactly("send-welcome:entered", "send-welcome:executed", "wait-1d:waiting",
                "wait-1d:resumed", "logged-in:executed", "send-reminder:executed", "done:completed");
        harness.processWatermark(Long.MAX_VALUE);
        assertThat(harness.numEventTimeTimers()).isZero();
        // once-ever journey: the entry is remembered, beside the profile
        assertThat(stateEntries()).isEqualTo(2);
    }

    @Test
    void shouldSkipReminderWhenProfileLoggedInDuringTheWait() throws Exception {
        harness = harness(EngineSettings.eventTime(List.of(WELCOME)));
        process(profile("p1", BEGINNING.minusSeconds(60), "{\"loginCount\": 0}"));
        process(event("p1", "signup", BEGINNING, "{}"));
        process(profile("p1", ONE_HOUR_LATER, "{\"loginCount\": 1.0}"));
        harness.processWatermark(Long.MAX_VALUE);

        assertThat(harness.extractOutputValues()).extracting(ActionRequest::getTemplate).containsExactly("welcome");
        assertThat(lastStatus()).isEqualTo("done:completed");
    }

    @Test
    void shouldExitOnExitEventAndCancelTheWakeUp() throws Exception {
        harness = harness(EngineSettings.eventTime(List.of(WELCOME)));
        process(event("p1", "signup", BEGINNING, "{}"));
        harness.processWatermark(BEGINNING.toEpochMilli());
        // the wake-up, the journey timeout, and forgetting the event id
        assertThat(harness.numEventTimeTimers()).isEqualTo(3);

        process(event("p1", "unsubscribed", ONE_HOUR_LATER, "{}"));
        harness.processWatermark(Long.MAX_VALUE);

        assertThat(harness.extractOutputValues()).extracting(ActionRequest::getTemplate).containsExactly("welcome");
        assertThat(lastStatus()).isEqualTo("wait-1d:exited");
        assertThat(harness.numEventTimeTimers()).isZero();
        assertThat(stateEntries()).isEqualTo(1); // once-ever entry history
    }

    @Test
    void shouldTimeOutWhenTheJourneyTimeoutComesBeforeTheWaitEnds() throws Exception {
        String journey = WELCOME.replace("\"version\": 1,", "\"version\": 1, \"timeout\": \"PT1H\",");
        harness = harness(EngineSettings.eventTime(List.of(journey)));
        process(event("p1", "signup", BEGINNING, "{}"));
        harness.processWatermark(Long.MAX_VALUE);

        assertThat(harness.extractOutputValues()).hasSize(1);
        assertThat(lastStep()).satisfies(step -> {
            assertThat(step.getStatus()).isEqualTo(StepStatus.TIMED_OUT);
            assertThat(step.getTimestamp()).isEqualTo(ONE_HOUR_LATER.toEpochMilli());
        });
        assertThat(harness.numEventTimeTimers()).isZero();
    }

    @Test
    void shouldRefuseReentryWithinTheWaitPeriodAndAllowItAfter() throws Exception {
        String journey = SEND_AND_END.replace("\"version\": 1,",
                "\"version\": 1, \"reentry\": {\"allowed\": true, \"waitPeriod\": \"PT1H\"},");
        harness = harness(EngineSettings.eventTime(List.of(journey)));
        process(profile("p1", BEGINNING.minusSeconds(60), "{\"firstName\": \"Ana\"}"));
        process(event("p1", "signup", BEGINNING, "{\"plan\": \"pro\"}"));
        process(event("p1", "signup", BEGINNING.plus(Duration.ofMinutes(59)), "{\"plan\": \"pro\"}"));
        process(event("p1", "signup", ONE_HOUR_LATER, "{\"plan\": \"pro\"}"));
        harness.processWatermark(Long.MAX_VALUE);

        assertThat(harness.extractOutputValues()).extracting(ActionRequest::getTimestamp)
                .containsExactly(BEGINNING.toEpochMilli(), ONE_HOUR_LATER.toEpochMilli());
        assertThat(stateEntries()).isEqualTo(1); // the profile's attributes only
        assertThat(harness.numEventTimeTimers()).isZero();
    }

    @Test
    void shouldEnterAJourneyOnlyOnceWhenReentryIsNotAllowed() throws Exception {
        harness = harness(EngineSettings.eventTime(List.of(WELCOME)));
        process(profile("p1", BEGINNING.minusSeconds(1), "{\"loginCount\": 3}"));
        process(event("p1", "signup", BEGINNING, "{}"));
        process(event("p1", "signup", BEGINNING.plus(Duration.ofDays(30)), "{}"));
        harness.processWatermark(Long.MAX_VALUE);

        assertThat(harness.extractOutputValues()).hasSize(1);
    }

    @Test
    void shouldNotEnterTwiceWhileAlreadyInside() throws Exception {
        String journey = WELCOME.replace("\"reentry\": {\"allowed\": false},", "\"reentry\": {\"waitPeriod\": \"PT1S\"},");
        harness = harness(EngineSettings.eventTime(List.of(journey)));
        process(profile("p1", BEGINNING.minusSeconds(1), "{\"loginCount\": 3}"));
        process(event("p1", "signup", BEGINNING, "{}"));
        process(event("p1", "signup", ONE_HOUR_LATER, "{}"));
        harness.processWatermark(Long.MAX_VALUE);

        assertThat(harness.extractOutputValues()).extracting(ActionRequest::getTimestamp)
                .containsExactly(BEGINNING.toEpochMilli());
    }

    @Test
    void shouldEndWithErrorWhenAConditionFailsAtRunTime() throws Exception {
        harness = harness(EngineSettings.eventTime(List.of(WELCOME)));
        process(event("p1", "signup", BEGINNING, "{}")); // no profile: profile.loginCount is missing
        harness.processWatermark(Long.MAX_VALUE);

        assertThat(lastStep()).satisfies(step -> {
            assertThat(step.getStepId()).isEqualTo("logged-in");
            assertThat(step.getStatus()).isEqualTo(StepStatus.ERROR);
            assertThat(step.getErrorCode()).isEqualTo(ErrorCodes.EXPRESSION_FAILED);
            assertThat(step.getMessage()).contains("loginCount");
        });
        assertThat(harness.numEventTimeTimers()).isZero();
    }

    @Test
    void shouldHandleOutOfOrderInputsInTimestampOrder() throws Exception {
        harness = harness(EngineSettings.eventTime(List.of(WELCOME)));
        // the login arrives first but happened after the signup; the signup must still see loginCount 0
        process(profile("p1", ONE_HOUR_LATER, "{\"loginCount\": 1}"));
        process(event("p1", "signup", BEGINNING, "{}"));
        process(profile("p1", BEGINNING.minusSeconds(60), "{\"loginCount\": 0}"));
        harness.processWatermark(Long.MAX_VALUE);

        assertThat(harness.extractOutputValues()).extracting(ActionRequest::getTemplate).containsExactly("welcome");
        assertThat(lastStatus()).isEqualTo("done:completed");
    }

    @Test
    void shouldDeadLetterAnInputBehindTheWatermark() throws Exception {
        harness = harness(EngineSettings.eventTime(List.of(WELCOME)));
        harness.processWatermark(ONE_HOUR_LATER.toEpochMilli());
        process(event("p1", "signup", BEGINNING, "{}"));

        assertThat(harness.getSideOutput(OutputTags.DEAD_LETTERS)).singleElement()
                .extracting(record -> ((DeadLetter) record.getValue()).getErrorCode())
                .isEqualTo(ErrorCodes.LATE_INPUT);
        assertThat(harness.extractOutputValues()).isEmpty();
    }

    @Test
    void shouldRunEveryJourneyEnteredByTheSameEvent() throws Exception {
        String other = SEND_AND_END.replace("\"id\": \"hello\"", "\"id\": \"another\"")
                .replace(", \"when\": \"event.plan != 'trial'\"", "");
        harness = harness(EngineSettings.eventTime(List.of(SEND_AND_END, other)));
        process(profile("p1", BEGINNING.minusSeconds(60), "{\"firstName\": \"Ana\"}"));
        process(profile("p2", BEGINNING.minusSeconds(60), "{\"firstName\": \"Ben\"}"));
        process(event("p1", "signup", BEGINNING, "{\"plan\": \"trial\"}"));
        process(event("p2", "signup", BEGINNING, "{\"plan\": \"pro\"}"));
        harness.processWatermark(Long.MAX_VALUE);

        assertThat(harness.extractOutputValues()).extracting(ActionRequest::getProfileId, ActionRequest::getJourneyId)
                .containsExactlyInAnyOrder(
                        org.assertj.core.groups.Tuple.tuple("p1", "another"),
                        org.assertj.core.groups.Tuple.tuple("p2", "another"),
                        org.assertj.core.groups.Tuple.tuple("p2", "hello"));
    }

    @Test
    void shouldGoOnAtOnceWhenWaitUntilIsAlreadyPast() throws Exception {
        String journey = WELCOME.replace("\"duration\": \"P1D\"", "\"until\": \"eventTime - duration('1h')\"");
        harness = harness(EngineSettings.eventTime(List.of(journey)));
        process(profile("p1", BEGINNING.minusSeconds(60), "{\"loginCount\": 0}"));
        process(event("p1", "signup", BEGINNING, "{}"));
        harness.processWatermark(BEGINNING.toEpochMilli());

        assertThat(harness.extractOutputValues()).extracting(ActionRequest::getTimestamp)
                .containsExactly(BEGINNING.toEpochMilli(), BEGINNING.toEpochMilli());
    }

    @Test
    void shouldFireWaitsOnTheProcessingTimeClockInProduction() throws Exception {
        harness = harness(EngineSettings.processingTime(List.of(WELCOME)));
        harness.setProcessingTime(BEGINNING.toEpochMilli());
        process(profile("p1", BEGINNING, "{\"loginCount\": 0}"));
        // the event's own timestamp does not drive the engine in processing time
        process(event("p1", "signup", BEGINNING.minus(Duration.ofDays(3)), "{}"));
        // the wake-up, the journey timeout, and forgetting the event id
        assertThat(harness.numProcessingTimeTimers()).isEqualTo(3);

        harness.setProcessingTime(ONE_DAY_LATER.toEpochMilli());
        assertThat(harness.extractOutputValues()).extracting(ActionRequest::getTimestamp)
                .containsExactly(BEGINNING.toEpochMilli(), ONE_DAY_LATER.toEpochMilli());
        harness.setProcessingTime(ONE_DAY_LATER.plus(Duration.ofMinutes(1)).toEpochMilli());
        assertThat(harness.numProcessingTimeTimers()).isZero();
    }

    @Test
    void shouldGiveTheSameIdsOnEveryReplay() throws Exception {
        List<String> first = replayWelcome();
        List<String> second = replayWelcome();
        assertThat(second).isEqualTo(first).isNotEmpty();
    }

    private List<String> replayWelcome() throws Exception {
        sequence.set(0);
        harness = harness(EngineSettings.eventTime(List.of(WELCOME)));
        process(profile("p1", BEGINNING.minusSeconds(60), "{\"loginCount\": 0}"));
        process(event("p1", "signup", BEGINNING, "{}"));
        harness.processWatermark(Long.MAX_VALUE);
        List<String> ids = harness.extractOutputValues().stream().map(ActionRequest::getRequestId).toList();
        harness.close();
        harness = null;
        return ids;
    }

    // ---- fixtures ----

    private static KeyedOneInputStreamOperatorTestHarness<String, EngineInput, ActionRequest> harness(
            EngineSettings settings) throws Exception {
        JobEnvironment.trustAvroClasses();
        KeyedOneInputStreamOperatorTestHarness<String, EngineInput, ActionRequest> harness =
                new KeyedOneInputStreamOperatorTestHarness<>(new KeyedProcessOperator<>(new JourneyProcessor(settings)),
                        EngineInput::getProfileId, Types.STRING);
        harness.setStateBackend(new EmbeddedRocksDBStateBackend());
        ((SerializerConfigImpl) harness.getExecutionConfig().getSerializerConfig()).setGenericTypes(false);
        harness.open();
        return harness;
    }

    /** Keyed state entries left in RocksDB (each map entry counts once). */
    private int stateEntries() {
        return ((RocksDBKeyedStateBackend<?>) harness.getOperator().getKeyedStateBackend()).numKeyValueStateEntries();
    }

    private void process(EngineInput input) throws Exception {
        harness.processElement(new StreamRecord<>(input, input.getTimestamp()));
    }

    private EngineInput event(String profileId, String type, Instant at, String data) {
        long position = sequence.incrementAndGet();
        ProfileEvent event = new ProfileEvent("e-" + position, profileId, type, at.toEpochMilli(), data, null);
        return new EngineInput(profileId, at.toEpochMilli(), position, event, null);
    }

    private EngineInput profile(String profileId, Instant at, String attributes) {
        return new EngineInput(profileId, at.toEpochMilli(), sequence.incrementAndGet(), null,
                new ProfileUpdate(profileId, at.toEpochMilli(), attributes));
    }

    private List<StepEvent> steps() {
        return harness.getSideOutput(OutputTags.STEP_EVENTS) == null
                ? List.of()
                : harness.getSideOutput(OutputTags.STEP_EVENTS).stream().map(StreamRecord::getValue).toList();
    }

    private List<String> statuses() {
        return steps().stream().map(s -> s.getStepId() + ":" + s.getStatus()).toList();
    }

    private String lastStatus() {
        List<String> statuses = statuses();
        return statuses.get(statuses.size() - 1);
    }

    private StepEvent lastStep() {
        List<StepEvent> steps = steps();
        return steps.get(steps.size() - 1);
    }
}
