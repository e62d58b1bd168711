package io.journeys.engine;

import static org.assertj.core.api.Assertions.assertThat;

import io.journeys.avro.ActionRequest;
import io.journeys.avro.DeadLetter;
import io.journeys.avro.StepEvent;
import java.time.Instant;
import java.util.stream.Collectors;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;

/**
 * An expression stopped by a limit of expressions fails its step with EXP-003, taking onError or ending the instance
 * with status error, and the job goes on: the next profile's journey runs as usual. Each pathological input here
 * would otherwise take a hundred million iterations or compile a billion-instruction regular expression, so that the
 * test passing at all shows the evaluation was cut short.
 */
class ExpressionLimitsTest {

    private static final Instant BEGINNING = Instant.parse("2026-01-05T10:00:00Z");

    /** Every pair of items: 10,000 items make 100,010,000 iterations, 1,000 are allowed. */
    private static final String PAIRS = """
            {"id": "pairs", "version": 1, "entry": {"type": "event", "event": "order"}, "start": "check",
             "steps": {
               "check": {"type": "condition",
                         "choices": [{"when": "event.items.all(a, event.items.all(b, a + b >= 0))", "next": "thanks"}],
                         "default": "thanks", "onError": "fallback"},
               "thanks": {"type": "action", "channel": "email", "template": "thanks", "next": "done"},
               "fallback": {"type": "action", "channel": "email", "template": "fallback", "next": "done"},
               "done": {"type": "end"}}}""";

    /** A pattern from the event itself, and no onError. */
    private static final String PATTERN = """
            {"id": "pattern", "version": 1, "entry": {"type": "event", "event": "message"}, "start": "check",
             "steps": {
               "check": {"type": "condition", "choices": [{"when": "event.text.matches(event.pattern)", "next": "hit"}],
                         "default": "done"},
               "hit": {"type": "action", "channel": "push", "template": "hit", "next": "done"},
               "done": {"type": "end"}}}""";

    @Test
    void shouldTakeOnErrorWhenAConditionRunsOutOfIterationsAndRunTheNextProfileAsUsual() throws Exception {
        try (ProcessorHarness h = ProcessorHarness.eventTime(PAIRS)) {
            h.event("p1", "order", BEGINNING, items(10_000))
                    .event("p2", "order", BEGINNING.plusSeconds(1), items(3))
                    .untilTheEnd();

            assertThat(h.actions()).extracting(ActionRequest::getProfileId, ActionRequest::getTemplate)
                    .containsExactly(org.assertj.core.groups.Tuple.tuple("p1", "fallback"),
                            org.assertj.core.groups.Tuple.tuple("p2", "thanks"));
            assertThat(check(h, "p1")).satisfies(step -> {
                assertThat(step.getStatus()).isEqualTo(StepStatus.EXECUTED);
                assertThat(step.getNext()).isEqualTo("fallback");
                assertThat(step.getErrorCode()).isEqualTo(ErrorCodes.EXPRESSION_OVER_LIMIT);
                assertThat(step.getMessage()).contains("Iteration budget exceeded: 1000");
            });
            assertThat(check(h, "p2").getErrorCode()).isNull();
            assertThat(h.statusesByProfile()).endsWith("p2:done:" + StepStatus.COMPLETED);
            assertThat(h.timers()).isZero();
            h.assertNothingLeftBehind();
        }
    }

    @Test
    void shouldEndWithErrorWhenAPatternFromDataIsBeyondTheLimitAndRunTheNextProfileAsUsual() throws Exception {
        try (ProcessorHarness h = ProcessorHarness.eventTime(PATTERN)) {
            h.event("p1", "message", BEGINNING, "{\"text\": \"aaaa\", \"pattern\": \"((a{1000}){1000}){1000}\"}")
                    .event("p2", "message", BEGINNING.plusSeconds(1), "{\"text\": \"abc\", \"pattern\": \"^a\"}")
                    .untilTheEnd();

            assertThat(check(h, "p1")).satisfies(step -> {
                assertThat(step.getStatus()).isEqualTo(StepStatus.ERROR);
                assertThat(step.getErrorCode()).isEqualTo(ErrorCodes.EXPRESSION_OVER_LIMIT);
                assertThat(step.getMessage()).contains("at most 1000 instructions");
            });
            assertThat(h.actions()).extracting(ActionRequest::getProfileId).containsExactly("p2");
            assertThat(h.statusesByProfile()).containsSubsequence("p1:check:" + StepStatus.ERROR,
                    "p2:check:" + StepStatus.EXECUTED, "p2:hit:" + StepStatus.EXECUTED, "p2:done:" + StepStatus.COMPLETED);
            assertThat(h.timers()).isZero();
            h.assertNothingLeftBehind();
        }
    }

    @Test
    void shouldKeepAProfileOutWhenItsEntryFilterRunsOutOfIterationsWithADeadLetter() throws Exception {
        String journey = PAIRS.replace("\"event\": \"order\"}",
                "\"event\": \"order\", \"when\": \"event.items.exists(a, event.items.exists(b, a == b + 1000000))\"}");
        try (ProcessorHarness h = ProcessorHarness.eventTime(journey)) {
            h.event("p1", "order", BEGINNING, items(10_000))
                    .event("p2", "order", BEGINNING.plusSeconds(1), "{\"items\": [1000001, 1]}")
                    .untilTheEnd();

            assertThat(h.deadLetters()).extracting(DeadLetter::getErrorCode)
                    .containsExactly(ErrorCodes.EXPRESSION_OVER_LIMIT);
            assertThat(h.actions()).extracting(ActionRequest::getProfileId).containsExactly("p2");
            h.assertNothingLeftBehind();
        }
    }

    @Test
    void shouldRefuseToLoadAJourneyWhoseExpressionIsBeyondAStaticLimit() throws Exception {
        String nested = "[" + "0,".repeat(99) + "0]";
        String journey = PAIRS.replace("event.items.all(a, event.items.all(b, a + b >= 0))",
                nested + ".all(a, " + nested + ".all(b, a == b))");
        try (ProcessorHarness h = ProcessorHarness.eventTime()) {
            h.publish(journey).event("p1", "order", BEGINNING, items(3)).untilTheEnd();

            assertThat(h.deadLetters()).singleElement().satisfies(letter -> {
                assertThat(letter.getErrorCode()).isEqualTo("JRN-031");
                assertThat(letter.getMessage()).contains("/steps/check/choices/0/when").contains("10100");
            });
            assertThat(h.steps()).isEmpty();
            h.assertNothingLeftBehind();
        }
    }

    /** How the check step of that profile's instance ended (its first event is the instance's entry). */
    private static StepEvent check(ProcessorHarness h, String profileId) {
        return h.steps().stream().filter(s -> s.getProfileId().equals(profileId) && s.getStepId().equals("check"))
                .reduce((first, last) -> last).orElseThrow();
    }

    private static String items(int count) {
        return LongStream.range(0, count).mapToObj(Long::toString)
                .collect(Collectors.joining(",", "{\"items\": [", "]}"));
    }
}
