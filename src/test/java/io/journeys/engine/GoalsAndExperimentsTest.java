package io.journeys.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import io.journeys.avro.DeadLetter;
import io.journeys.avro.ExperimentRequest;
import io.journeys.avro.ExperimentWinner;
import io.journeys.avro.StepEvent;
import io.journeys.http.CannedCalls;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Goals convert instances, live or ended, once; experiments assign stable arms and move to the winner. */
class GoalsAndExperimentsTest {

    private static final Instant T0 = Instant.parse("2026-03-02T10:00:00Z");

    static final String CART = """
            {"id": "cart", "version": 1,
             "entry": {"type": "event", "event": "cart.abandoned"},
             "goals": [{"id": "purchase", "event": "order.placed", "when": "event.cartId == journey.entry.data.cartId",
                        "within": "P7D"},
                       {"id": "click", "event": "email.clicked", "within": "P2D", "exit": true}],
             "start": "wait",
             "steps": {
               "wait": {"type": "wait", "duration": "PT1H", "next": "test"},
               "test": {"type": "experiment", "goal": "purchase",
                        "arms": [{"id": "a", "percent": 45, "next": "email-a"},
                                 {"id": "b", "percent": 45, "next": "email-b"},
                                 {"id": "holdout", "percent": 10, "next": "done", "control": true}]},
               "email-a": {"type": "action", "channel": "email", "template": "a", "next": "done"},
               "email-b": {"type": "action", "channel": "email", "template": "b", "next": "done"},
               "done": {"type": "end"}}}""";

    private static EngineSettings simulation(String... journeys) {
        return EngineSettings.eventTime(List.of(journeys)).withInlineCalls(CannedCalls.parse(List.of()));
    }

    private static List<StepEvent> conversions(ProcessorHarness h) {
        return h.steps().stream().filter(s -> s.getStatus().equals(StepStatus.CONVERTED)).toList();
    }

    @Test
    void shouldConvertAnEndedInstanceOnceWhenTheSameCartIsOrderedWithinTheWindow() throws Exception {
        try (ProcessorHarness h = ProcessorHarness.with(simulation(CART))) {
            h.event("p1", "cart.abandoned", T0, "{\"cartId\": \"c1\"}")
                    .event("p1", "order.placed", T0.plus(Duration.ofDays(1)), "{\"cartId\": \"c2\"}")
                    .event("p1", "order.placed", T0.plus(Duration.ofDays(2)), "{\"cartId\": \"c1\"}")
                    .event("p1", "order.placed", T0.plus(Duration.ofDays(3)), "{\"cartId\": \"c1\"}")
                    .untilTheEnd();

            assertThat(h.statuses()).contains("done:completed");
            assertThat(conversions(h)).singleElement().satisfies(converted -> {
                assertThat(converted.getGoal()).isEqualTo("purchase");
                assertThat(converted.getStepId()).isNull(); // the instance had ended
                assertThat(converted.getTimestamp()).isEqualTo(T0.plus(Duration.ofDays(2)).toEpochMilli());
            });
            h.assertNothingLeftBehind();
        }
    }

    @Test
    void shouldKeepOnlyTheGoalsStillOpenAfterTheInstanceEndsAndForgetThemWhenTheirWindowsClose() throws Exception {
        try (ProcessorHarness h = ProcessorHarness.with(simulation(CART))) {
            h.event("p1", "cart.abandoned", T0, "{\"cartId\": \"c1\"}").watermark(T0.plus(Duration.ofHours(2)));

            var watch = h.profileRecord("p1").getGoalWatches().values().iterator().next();
            assertThat(watch.getPending()).containsExactly("purchase", "click");
            assertThat(watch.getClosesAt()).isEqualTo(T0.plus(Duration.ofDays(7)).toEpochMilli());
            assertThat(watch.getEntryEventData()).contains("c1"); // the purchase filter reads journey.entry
            assertThat(watch.getArms()).containsKey("test");

            h.watermark(T0.plus(Duration.ofDays(7)));
            assertThat(h.profileRecord("p1") == null ? Map.of() : h.profileRecord("p1").getGoalWatches()).isEmpty();
            h.event("p1", "order.placed", T0.plus(Duration.ofDays(7)), "{\"cartId\": \"c1\"}").untilTheEnd();
            assertThat(conversions(h)).isEmpty(); // the window is [entry, entry + 7 days)
            h.assertNothingLeftBehind();
        }
    }

    @Test
    void shouldConvertALiveInstanceAtItsStepAndEndItOnAnExitGoal() throws Exception {
        try (ProcessorHarness h = ProcessorHarness.with(simulation(CART))) {
            h.event("p1", "cart.abandoned", T0, "{\"cartId\": \"c1\"}")
                    .event("p1", "order.placed", T0.plusSeconds(60), "{\"cartId\": \"c1\"}")
                    .event("p1", "email.clicked", T0.plusSeconds(120), "{}")
                    .untilTheEnd();

            assertThat(conversions(h)).extracting(StepEvent::getGoal, StepEvent::getStepId)
                    .containsExactly(org.assertj.core.groups.Tuple.tuple("purchase", "wait"),
                            org.assertj.core.groups.Tuple.tuple("click", "wait"));
            assertThat(h.lastStep().getStatus()).isEqualTo(StepStatus.EXITED);
            assertThat(h.lastStep().getMessage()).isEqualTo("goal click reached");
            assertThat(h.actions()).isEmpty();
            h.assertNothingLeftBehind();
        }
    }

    @Test
    void shouldSendAGoalWhoseFilterFailsToTheDeadLettersWithoutConverting() throws Exception {
        String failing = CART.replace("event.cartId == journey.entry.data.cartId", "event.cartId == 'x'");
        try (ProcessorHarness h = ProcessorHarness.with(simulation(failing))) {
            h.event("p1", "cart.abandoned", T0, "{\"cartId\": \"c1\"}")
                    .event("p1", "order.placed", T0.plusSeconds(60), "{\"total\": 5}")
                    .untilTheEnd();

            assertThat(conversions(h)).isEmpty();
            assertThat(h.deadLetters()).singleElement().satisfies(letter -> {
                assertThat(letter.getErrorCode()).isEqualTo("EXP-001");
                assertThat(letter.getMessage()).contains("/goals/0/when");
            });
            h.assertNothingLeftBehind();
        }
    }

    @Test
    void shouldGiveEachProfileTheArmOfItsStableHashAgainOnReentry() throws Exception {
        Map<String, String> firstArms = new HashMap<>();
        try (ProcessorHarness h = ProcessorHarness.with(simulation(CART))) {
            for (int i = 0; i < 300; i++) {
                h.event("p" + i, "cart.abandoned", T0, "{\"cartId\": \"c\"}");
                h.event("p" + i, "cart.abandoned", T0.plus(Duration.ofDays(1)), "{\"cartId\": \"c\"}");
            }
            h.untilTheEnd();
            Map<String, Integer> perArm = new HashMap<>();
            for (StepEvent step : h.steps()) {
                if (step.getArm() == null) {
                    continue;
                }
                assertThat(step.getStepId()).isEqualTo("test");
                assertThat(step.getBranch()).isEqualTo("arms/" + List.of("a", "b", "holdout").indexOf(step.getArm()));
                String first = firstArms.putIfAbsent(step.getProfileId(), step.getArm());
                if (first == null) {
                    perArm.merge(step.getArm(), 1, Integer::sum);
                } else {
                    assertThat(step.getArm()).as(step.getProfileId()).isEqualTo(first);
                }
            }
            assertThat(firstArms).hasSize(300);
            // 45/45/10 of 300 = 135/135/30; a binomial's 4 standard deviations: about ±35 and ±21
            assertThat(perArm.get("a")).isBetween(100, 170);
            assertThat(perArm.get("b")).isBetween(100, 170);
            assertThat(perArm.get("holdout")).isBetween(9, 51);
            h.assertNothingLeftBehind();
        }
    }

    static final String WINNER = CART.replace("\"arms\"", "\"winner\": {\"after\": \"PT1H\", \"confidence\": 0.95, \"minPerArm\": 20}, \"arms\"")
            .replace("\"within\": \"P7D\"", "\"within\": \"P1D\"");

    @Test
    void shouldMoveEveryLaterProfileToTheArmThatConvertsBestOnceTheRuleDecides() throws Exception {
        try (ProcessorHarness h = ProcessorHarness.with(simulation(WINNER))) {
            // a profile a minute; those whose hash gives arm b buy their cart 10 minutes after its email, the
            // others never
            List<Double> percents = List.of(45.0, 45.0, 10.0);
            for (int i = 0; i < 400; i++) {
                String profileId = "p" + i;
                Instant at = T0.plusSeconds(60L * i);
                h.event(profileId, "cart.abandoned", at, "{\"cartId\": \"c\"}");
                if (SplitStepProcessor.share(SplitStepProcessor.bucket(profileId, "cart", "test"), percents,
                        percent -> percent) == 1) {
                    h.event(profileId, "order.placed", at.plus(Duration.ofMinutes(70)), "{\"cartId\": \"c\"}");
                }
            }
            h.untilTheEnd();

            List<StepEvent> assigned = h.steps().stream().filter(s -> s.getArm() != null).toList();
            assertThat(assigned).hasSize(400);
            int firstByWinner = -1;
            for (int i = 0; i < assigned.size(); i++) {
                if (Boolean.TRUE.equals(assigned.get(i).getWinner())) {
                    firstByWinner = i;
                    break;
                }
            }
            assertThat(firstByWinner).as("a winner was found").isPositive();
            assertThat(assigned.subList(firstByWinner, assigned.size()))
                    .allSatisfy(s -> {
                        assertThat(s.getArm()).isEqualTo("b");
                        assertThat(s.getWinner()).isTrue();
                    });
            assertThat(assigned.subList(0, firstByWinner)).noneMatch(s -> s.getWinner() != null);
            // the rule waits an hour after the first profile and 20 profiles per arm
            assertThat(assigned.get(firstByWinner).getTimestamp())
                    .isGreaterThanOrEqualTo(T0.plus(Duration.ofHours(2)).toEpochMilli());
            h.assertNothingLeftBehind();
        }
    }

    @Test
    void shouldTakeTheArmAtOnceTellTheCounterAndFollowThePublishedWinnerInProduction() throws Exception {
        try (ProcessorHarness h = ProcessorHarness.eventTime(CART)) {
            h.event("p1", "cart.abandoned", T0, "{\"cartId\": \"c1\"}").watermark(T0.plus(Duration.ofHours(1)));
            ExperimentRequest first = h.experimentRequests().get(0);
            assertThat(first.getTaken()).isTrue();
            assertThat(first.getConversion()).isFalse();
            assertThat(first.getArms()).containsExactly("a", "b", "holdout");
            assertThat(first.getControl()).isEqualTo("holdout");
            assertThat(first.getWinnerAfter()).isEqualTo(-1L);
            // no winner heard of: the arm of the hash, at once, without waiting for the counter
            StepEvent assigned = h.steps().stream().filter(s -> s.getArm() != null).findFirst().orElseThrow();
            assertThat(assigned.getArm()).isEqualTo(first.getArm());
            assertThat(assigned.getWinner()).isNull();
            assertThat(assigned.getTimestamp()).isEqualTo(T0.plus(Duration.ofHours(1)).toEpochMilli());
            assertThat(h.steps()).noneMatch(s -> s.getStepId().equals("test") && s.getStatus().equals(StepStatus.WAITING));

            // the counter's winner comes on the broadcast (a document that cannot be read is a dead letter)
            h.publish("{\"kind\": \"experimentWinner\", \"journeyId\": \"cart\", \"journeyVersion\": \"one\"}");
            assertThat(h.deadLetters()).extracting(DeadLetter::getErrorCode).containsExactly(ErrorCodes.INVALID_WINNER);
            h.publish(ExperimentWinners.write(new ExperimentWinner("cart", 1, "test", "b", T0.toEpochMilli())));
            h.event("p2", "cart.abandoned", T0.plus(Duration.ofHours(2)), "{\"cartId\": \"c2\"}")
                    .event("p2", "order.placed", T0.plus(Duration.ofHours(4)), "{\"cartId\": \"c2\"}")
                    .untilTheEnd();

            StepEvent byWinner = h.steps().stream().filter(s -> s.getProfileId().equals("p2") && s.getArm() != null)
                    .findFirst().orElseThrow();
            assertThat(byWinner.getArm()).isEqualTo("b");
            assertThat(byWinner.getWinner()).isTrue();
            assertThat(h.actions()).filteredOn(a -> a.getProfileId().equals("p2")).extracting(a -> a.getTemplate())
                    .containsExactly("b");
            List<ExperimentRequest> p2 = h.experimentRequests().stream()
                    .filter(r -> r.getProfileId().equals("p2")).toList();
            assertThat(p2).extracting(ExperimentRequest::getTaken, ExperimentRequest::getConversion,
                    ExperimentRequest::getArm).containsExactly(tuple(true, false, "b"), tuple(false, true, "b"));
            h.assertNothingLeftBehind();
        }
    }
}
