package io.journeys.job;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.journeys.avro.ExperimentRequest;
import io.journeys.avro.ExperimentWinner;
import io.journeys.avro.ProfileEvent;
import io.journeys.engine.ExperimentRequests;
import io.journeys.testing.Json;
import java.util.List;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.contrib.streaming.state.EmbeddedRocksDBStateBackend;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.streaming.api.operators.KeyedProcessOperator;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.Test;

/** The job's counter of an experiment step: arms, conversions, the winner, and replays answered the same. */
class ExperimentCounterTest {

    private static final long HOUR = 3_600_000L;

    private static KeyedOneInputStreamOperatorTestHarness<String, ExperimentRequest, ProfileEvent> harness(
            OperatorSubtaskState restoreFrom) throws Exception {
        KeyedOneInputStreamOperatorTestHarness<String, ExperimentRequest, ProfileEvent> harness =
                new KeyedOneInputStreamOperatorTestHarness<>(new KeyedProcessOperator<>(new ExperimentCounter()),
                        ExperimentRequests::keyOf, Types.STRING, 128, 1, 0);
        harness.setStateBackend(new EmbeddedRocksDBStateBackend());
        if (restoreFrom != null) {
            harness.initializeState(restoreFrom);
        }
        harness.open();
        return harness;
    }

    private static ExperimentRequest assignment(String requestId, String hashedArm, long at) {
        return new ExperimentRequest(requestId, "p-" + requestId, "cart", 1, "test", false, hashedArm, at,
                List.of("a", "b", "holdout"), "holdout", HOUR, 0.95, 10L, false);
    }

    private static ExperimentRequest conversion(String requestId, String arm, long at) {
        ExperimentRequest conversion = assignment(requestId + ":converted", arm, at);
        conversion.setConversion(true);
        return conversion;
    }

    private static JsonNode answer(ProfileEvent event) {
        return Json.read(event.getData());
    }

    @Test
    void shouldAnswerTheHashedArmUntilTheRuleDecidesThenTheWinnerForEveryone() throws Exception {
        try (var h = harness(null)) {
            // 30 profiles in each arm within the first hour; b converts 20 times, a twice, the holdout once
            for (int i = 0; i < 90; i++) {
                String arm = List.of("a", "b", "holdout").get(i % 3);
                h.processElement(assignment("r" + i, arm, i * 1000L), i * 1000L);
            }
            for (int i = 0; i < 20; i++) {
                h.processElement(conversion("r" + (3 * i + 1), "b", 200_000L), 200_000L);
            }
            h.processElement(conversion("r0", "a", 200_000L), 200_000L);
            h.processElement(conversion("r3", "a", 200_000L), 200_000L);
            h.processElement(conversion("r2", "holdout", 200_000L), 200_000L);
            // the same conversion reported again (a replay in at-least-once mode) counts once
            h.processElement(conversion("r1", "b", 200_000L), 200_000L);

            List<ProfileEvent> answers = h.extractOutputValues();
            assertThat(answers).hasSize(90).allSatisfy(event -> assertThat(answer(event).get("winner").asBoolean()).isFalse());

            // before the hour is over: still the hash
            h.processElement(assignment("early", "a", HOUR - 1), HOUR - 1);
            assertThat(answer(last(h)).get("arm").asText()).isEqualTo("a");
            // after it: b, for a profile whose hash says a or the holdout
            h.processElement(assignment("late-1", "a", HOUR), HOUR);
            h.processElement(assignment("late-2", "holdout", HOUR + 1), HOUR + 1);
            List<ProfileEvent> all = h.extractOutputValues();
            assertThat(all.subList(all.size() - 2, all.size())).allSatisfy(event -> {
                assertThat(answer(event).get("arm").asText()).isEqualTo("b");
                assertThat(answer(event).get("winner").asBoolean()).isTrue();
                assertThat(event.getType()).isEqualTo("action.result");
            });
        }
    }

    @Test
    void shouldNeverPickTheControlArmAndWaitForEveryArmsMinimum() throws Exception {
        try (var h = harness(null)) {
            // the holdout converts best, and arm a has too few profiles for the rule
            for (int i = 0; i < 40; i++) {
                h.processElement(assignment("h" + i, "holdout", 0L), 0L);
                h.processElement(conversion("h" + i, "holdout", 0L), 0L);
                h.processElement(assignment("b" + i, "b", 0L), 0L);
            }
            for (int i = 0; i < 9; i++) {
                h.processElement(assignment("a" + i, "a", 0L), 0L);
            }
            h.processElement(assignment("x", "b", 2 * HOUR), 2 * HOUR);
            assertThat(answer(last(h)).get("winner").asBoolean()).isFalse();
            h.processElement(assignment("y", "a", 2 * HOUR), 2 * HOUR); // a's tenth
            h.processElement(assignment("z", "a", 2 * HOUR), 2 * HOUR);
            assertThat(answer(last(h)).get("arm").asText()).isEqualTo("a");
            assertThat(answer(last(h)).get("winner").asBoolean()).isFalse();
        }
    }

    @Test
    void shouldGiveARequestSeenAgainItsFirstAnswerAndKeepCountsAcrossARestore() throws Exception {
        OperatorSubtaskState snapshot;
        try (var h = harness(null)) {
            for (int i = 0; i < 30; i++) {
                h.processElement(assignment("a" + i, "a", 0L), 0L);
                h.processElement(assignment("b" + i, "b", 0L), 0L);
                h.processElement(conversion("b" + i, "b", 0L), 0L);
                h.processElement(assignment("c" + i, "holdout", 0L), 0L);
            }
            snapshot = h.snapshot(1L, 1L);
        }
        try (var h = harness(snapshot)) {
            h.processElement(assignment("a0", "a", 2 * HOUR), 2 * HOUR); // a replay: its first answer, not the winner
            assertThat(answer(last(h)).get("arm").asText()).isEqualTo("a");
            assertThat(answer(last(h)).get("winner").asBoolean()).isFalse();
            h.processElement(assignment("new", "a", 2 * HOUR), 2 * HOUR);
            assertThat(answer(last(h)).get("arm").asText()).isEqualTo("b");
        }
    }

    private static ExperimentRequest taken(String requestId, String arm, long at) {
        ExperimentRequest taken = assignment(requestId, arm, at);
        taken.setTaken(true);
        return taken;
    }

    @Test
    void shouldCountTakenAssignmentsWithoutAnsweringAndPublishTheWinnerOnce() throws Exception {
        OperatorSubtaskState snapshot;
        try (var h = harness(null)) {
            for (int i = 0; i < 90; i++) {
                h.processElement(taken("t" + i, List.of("a", "b", "holdout").get(i % 3), i * 1000L), i * 1000L);
            }
            for (int i = 0; i < 20; i++) {
                h.processElement(conversion("t" + (3 * i + 1), "b", 200_000L), 200_000L);
            }
            assertThat(h.extractOutputValues()).as("taken assignments are not answered").isEmpty();
            assertThat(h.getSideOutput(ExperimentCounter.WINNERS)).isNull();
            // the hour has passed: the next count decides b, published once with the instant that decided it
            h.processElement(taken("late-1", "a", HOUR), HOUR);
            h.processElement(taken("late-2", "holdout", HOUR + 1), HOUR + 1);
            assertThat(h.getSideOutput(ExperimentCounter.WINNERS)).extracting(record -> record.getValue())
                    .containsExactly(new ExperimentWinner("cart", 1, "test", "b", HOUR));
            snapshot = h.snapshot(1L, 1L);
        }
        try (var h = harness(snapshot)) {
            // restored: still decided, not published again; the arm taken (the winner, heard of) is counted
            h.processElement(taken("later", "b", 2 * HOUR), 2 * HOUR);
            assertThat(h.getSideOutput(ExperimentCounter.WINNERS)).isNull();
            h.processElement(assignment("old", "a", 2 * HOUR), 2 * HOUR); // an earlier release's instance: answered
            assertThat(answer(last(h)).get("arm").asText()).isEqualTo("b");
            assertThat(answer(last(h)).get("winner").asBoolean()).isTrue();
        }
    }

    private static ProfileEvent last(KeyedOneInputStreamOperatorTestHarness<String, ExperimentRequest, ProfileEvent> h) {
        List<ProfileEvent> all = h.extractOutputValues();
        return all.get(all.size() - 1);
    }
}
