package io.journeys.engine;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.journeys.avro.DeadLetter;
import io.journeys.avro.EngineInput;
import io.journeys.avro.InputFormat;
import io.journeys.avro.InputSource;
import io.journeys.avro.RawRecord;
import io.journeys.avro.StepEvent;
import io.journeys.job.InputParser;
import io.journeys.testing.DefinitionGenerators;
import io.journeys.testing.Fuzz;
import io.journeys.testing.InputGenerators;
import io.journeys.testing.Mutations;
import java.time.Instant;
import java.util.List;
import java.util.Random;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * Fuzzes the engine itself, on Flink's keyed test harness with RocksDB: hostile streamed inputs go through the
 * parser and then the journey processor, hostile definitions through its broadcast input. Nothing throws; every
 * dead letter and every step error carries a documented code; a valid signup enters its journey; a valid
 * definition is loaded without a dead letter, an invalid one becomes exactly one.
 */
class EngineFuzzTest {

    private static final int INPUTS = 5_000;
    private static final int DEFINITIONS = 1_500;
    private static final Instant NOW = Instant.parse("2026-03-01T09:00:00Z");
    private static final InputParser PARSER = new InputParser(GuardRails.DEFAULTS.maxPayloadBytes());

    /** Entered on signup, by qualification and by audience export; reads hostile data and attributes in CEL. */
    private static final String SIGNUP = """
            {"id": "fz-signup", "version": 1, "entry": {"type": "event", "event": "signup"},
             "start": "hello",
             "steps": {
               "hello": {"type": "action", "channel": "email", "template": "hello",
                         "params": {"name": "profile.firstName", "plan": "event.plan"}, "next": "wait"},
               "wait":  {"type": "wait", "duration": "P1D", "next": "check"},
               "check": {"type": "condition", "choices": [{"when": "profile.loginCount > 3", "next": "done"}],
                         "default": "again"},
               "again": {"type": "action", "channel": "push", "template": "again", "next": "done"},
               "done":  {"type": "end"}}}""";
    private static final String VIP = """
            {"id": "fz-vip", "version": 1, "entry": {"type": "qualification", "audience": "vip"},
             "start": "hi", "steps": {"hi": {"type": "action", "channel": "sms", "template": "vip", "next": "done"},
                                      "done": {"type": "end"}}}""";
    private static final String LOGINS = """
            {"id": "fz-logins", "version": 1,
             "entry": {"type": "event", "event": "login", "when": "event.plan == 'pro' && profile.loginCount > 1"},
             "start": "done", "steps": {"done": {"type": "end"}}}""";

    @Test
    void shouldProcessEveryHostileInputOrDeadLetterItWithADocumentedCode() throws Exception {
        try (ProcessorHarness harness = ProcessorHarness.with(EngineSettings.processingTime(List.of(SIGNUP, VIP,
                LOGINS)))) {
            harness.flink().setProcessingTime(NOW.toEpochMilli());
            AtomicInteger signups = new AtomicInteger();
            Fuzz.Tally tally = Fuzz.run("engine inputs", INPUTS, (random, t) -> input(harness, random, t, signups));
            assertThat(tally.validCount()).isGreaterThan(INPUTS / 4);
            assertThat(tally.badCount()).isGreaterThan(INPUTS / 4);
            assertThat(signups.get()).as("valid signups checked").isGreaterThan(INPUTS / 20);
        }
    }

    @Test
    void shouldLoadEveryValidDefinitionAndDeadLetterEveryOtherOnce() throws Exception {
        try (ProcessorHarness harness = ProcessorHarness.with(EngineSettings.processingTime(List.of()))) {
            harness.flink().setProcessingTime(NOW.toEpochMilli());
            AtomicInteger number = new AtomicInteger();
            Fuzz.Tally tally = Fuzz.run("engine definitions", DEFINITIONS,
                    (random, t) -> definition(harness, random, t, number.incrementAndGet()));
            assertThat(tally.validCount()).isGreaterThan(DEFINITIONS / 5);
            assertThat(tally.badCount()).isGreaterThan(DEFINITIONS / 3);
        }
    }

    private static void input(ProcessorHarness harness, Random random, Fuzz.Tally tally, AtomicInteger signups)
            throws Exception {
        InputSource source = Mutations.pick(random, List.of(InputSource.EVENTS, InputSource.EVENTS,
                InputSource.PROFILES, InputSource.QUALIFICATIONS));
        ObjectNode valid = InputGenerators.valid(source, random);
        boolean signup = false;
        String text;
        if (random.nextInt(10) < 4) {
            if (source == InputSource.EVENTS && random.nextBoolean()) {
                // a fresh profile and event id, so that nothing but loss can keep it out of the journey
                valid.put("type", "signup").put("profileId", "fresh-" + random.nextLong())
                        .put("eventId", "e-" + random.nextLong());
                signup = true;
            }
            text = valid.toString();
        } else {
            text = Mutations.mutateJson(valid.toString(), random);
        }
        InputParser.Parsed parsed = PARSER.parse(new RawRecord(source, 1L, text, InputFormat.JSON, null, "fuzz/0", null));
        if (parsed.deadLetter() != null) {
            assertThat(signup).as("a valid signup dead-lettered: %s", parsed.deadLetter()).isFalse();
            Fuzz.assertDocumented(parsed.deadLetter().getErrorCode(), text);
            tally.bad(parsed.deadLetter().getErrorCode());
            return;
        }
        EngineInput input = parsed.input();
        harness.flink().processElement(input, input.getTimestamp());
        List<DeadLetter> deadLetters = harness.take(OutputTags.DEAD_LETTERS);
        List<StepEvent> steps = harness.take(OutputTags.STEP_EVENTS);
        for (DeadLetter deadLetter : deadLetters) {
            Fuzz.assertDocumented(deadLetter.getErrorCode(), deadLetter);
        }
        for (StepEvent step : steps) {
            if (step.getErrorCode() != null) {
                Fuzz.assertDocumented(step.getErrorCode(), step);
            }
        }
        if (signup) {
            assertThat(deadLetters).as("dead letters of a valid signup %s", text).isEmpty();
            assertThat(steps).as("steps of a valid signup %s", text).anySatisfy(step -> {
                assertThat(step.getJourneyId()).isEqualTo("fz-signup");
                assertThat(step.getStatus()).isEqualTo(StepStatus.ENTERED);
                assertThat(step.getProfileId()).isEqualTo(input.getProfileId());
            });
            signups.incrementAndGet();
        }
        if (deadLetters.isEmpty()) {
            tally.valid();
        } else {
            tally.bad(deadLetters.get(0).getErrorCode());
        }
    }

    private static void definition(ProcessorHarness harness, Random random, Fuzz.Tally tally, int number)
            throws Exception {
        int choice = random.nextInt(10);
        ObjectNode journey = DefinitionGenerators.journey(random);
        journey.put("id", "fz-" + number); // a new id each time: a second version 1 of an id is refused
        String document;
        Boolean expectValid;
        if (choice < 3) {
            document = journey.toString();
            expectValid = true;
        } else if (choice < 5) {
            document = DefinitionGenerators.faultyJourney(random).document();
            expectValid = false;
        } else if (choice < 6) {
            ObjectNode action = DefinitionGenerators.action(random);
            action.put("id", "fz-action-" + number);
            document = random.nextBoolean() ? action.toString() : DefinitionGenerators.faultyAction(random).document();
            expectValid = null;
        } else if (choice < 7) {
            ObjectNode rules = DefinitionGenerators.rules(random);
            rules.put("id", "fz-rules-" + number);
            document = random.nextBoolean() ? rules.toString() : DefinitionGenerators.faultyRules(random).document();
            expectValid = null;
        } else {
            document = Mutations.mutateJson(journey.toString(), random);
            expectValid = null;
        }
        harness.publish(document);
        List<DeadLetter> deadLetters = harness.take(OutputTags.DEAD_LETTERS);
        assertThat(deadLetters).as("dead letters of %s", Mutations.shorten(document)).hasSizeLessThanOrEqualTo(1);
        if (expectValid != null) {
            assertThat(deadLetters.isEmpty()).as("loaded: %s %s", Mutations.shorten(document), deadLetters)
                    .isEqualTo(expectValid);
        }
        if (deadLetters.isEmpty()) {
            tally.valid();
        } else {
            Fuzz.assertDocumented(deadLetters.get(0).getErrorCode(), document);
            tally.bad(deadLetters.get(0).getErrorCode());
        }
    }
}
