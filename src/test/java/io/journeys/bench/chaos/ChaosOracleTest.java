package io.journeys.bench.chaos;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The oracle on small runs written by hand: a clean one passes, and each kind of damage a chaos run can do is
 * reported by the invariant it breaks — the checks can fail, which the negative controls show on a real run.
 */
class ChaosOracleTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Instant T0 = Instant.parse("2026-03-02T10:00:00Z");

    /** One profile's clean trail: admitted, called, welcomed, clicked, promoted, then the sequel. */
    private final List<JsonNode> actions = new ArrayList<>();
    private final List<JsonNode> steps = new ArrayList<>();
    private final List<JsonNode> results = new ArrayList<>();
    private final Map<String, Integer> httpApplied = new HashMap<>(Map.of("c-0/lookup/req", 1));

    ChaosOracleTest() {
        step("c-0", "on-1", "chaos-onboard", "gate", "entered", 0, null, null);
        step("c-0", "on-1", "chaos-onboard", "gate", "resumed", 1, "next", "lookup");
        step("c-0", "on-1", "chaos-onboard", "lookup", "waiting", 2, null, null);
        action("c-0", "on-1", "chaos-onboard", "lookup", "custom", "chaos-crm", 2);
        step("c-0", "on-1", "chaos-onboard", "lookup", "resumed", 3, "next", "welcome");
        step("c-0", "on-1", "chaos-onboard", "welcome", "executed", 4, "next", "react");
        action("c-0", "on-1", "chaos-onboard", "welcome", "email", "chaos-welcome", 4);
        step("c-0", "on-1", "chaos-onboard", "react", "resumed", 5, "events/0", "done");
        step("c-0", "on-1", "chaos-onboard", "done", "completed", 6, null, null);
        step("c-0", "sq-1", "chaos-sequel", "farewell", "entered", 6, null, null);
        step("c-0", "sq-1", "chaos-sequel", "farewell", "resumed", 6, "arms/0", "bye").put("arm", "short");
        results.add(JSON.createObjectNode().put("eventId", "sq-1/farewell:answer").set("data",
                JSON.createObjectNode().put("status", "assigned").put("arm", "short")));
        step("c-0", "sq-1", "chaos-sequel", "bye", "executed", 7, "next", "linger");
        action("c-0", "sq-1", "chaos-sequel", "bye", "inApp", "chaos-bye", 7);
        step("c-0", "sq-1", "chaos-sequel", "linger", "waiting", 7, null, null);
        step("c-0", "sq-1", "chaos-sequel", "linger", "converted", 8, null, null).put("goal", "upgrade");
        step("c-0", "sq-1", "chaos-sequel", "linger", "resumed", 9, "next", "done");
        step("c-0", "sq-1", "chaos-sequel", "done", "completed", 9, null, null);
    }

    @Test
    void shouldHoldEveryInvariantOnACleanRun() {
        ChaosOracle.Verdict verdict = ChaosOracle.judge(observations(actions, steps, httpApplied, 0));

        assertThat(verdict.failed()).isEmpty();
        assertThat(verdict.figures()).anyMatch(f -> f.contains("chaos-welcome=1"));
    }

    @Test
    void shouldReportDuplicatesWhenAReplayWritesAnActionTwice() {
        // what at-least-once delivery does after a failure: the same request again, same id
        actions.add(actions.get(1).deepCopy());
        steps.add(5, steps.get(5).deepCopy());

        ChaosOracle.Verdict verdict = ChaosOracle.judge(observations(actions, steps, httpApplied, 0));

        assertThat(verdict.failed()).extracting(ChaosOracle.Check::invariant).contains("every request id at most once",
                "every step event at most once", "every expected action exactly once");
        assertThat(verdict.failed().get(0).figures()).contains("duplicated 1 (1 extra copies)");
    }

    @Test
    void shouldReportRepeatedEffectsWhenTheServiceAppliesAKeyTwice() {
        httpApplied.put("c-0/lookup/req", 2);

        ChaosOracle.Verdict verdict = ChaosOracle.judge(observations(actions, steps, httpApplied, 0));

        assertThat(verdict.failed()).singleElement().satisfies(check -> {
            assertThat(check.invariant()).isEqualTo("each HTTP call applied once per key");
            assertThat(check.figures()).contains("keys applied more than once 1");
        });
    }

    @Test
    void shouldReportALostActionAnActionAfterTheEndAndAnOpenTransaction() {
        actions.remove(1); // the welcome email lost
        action("c-0", "on-1", "chaos-onboard", "gold", "push", "chaos-gold", 7); // after the instance completed at 6

        ChaosOracle.Verdict verdict = ChaosOracle.judge(observations(actions, steps, httpApplied, 1));

        assertThat(verdict.failed()).extracting(ChaosOracle.Check::invariant).containsExactlyInAnyOrder(
                "every expected action exactly once", "no action after its instance ended", "no transaction left open",
                // the click went to the lost email: the oracle no longer sees what the await resumed on
                "awaits resumed only by their own click");
    }

    @Test
    void shouldReportStepEventsLostTogetherWithTheirActions() {
        // a transaction of each sink lost: the welcome email and its step event both gone, consistently
        actions.removeIf(a -> a.get("stepId").asText().equals("welcome"));
        steps.removeIf(s -> s.get("stepId").asText().equals("welcome"));

        ChaosOracle.Verdict verdict = ChaosOracle.judge(observations(actions, steps, httpApplied, 0));

        assertThat(verdict.failed()).extracting(ChaosOracle.Check::invariant)
                .contains("every instance's trail of step events whole");
        assertThat(verdict.failed().get(0).figures()).contains("after lookup resumed comes react resumed, not welcome");
    }

    @Test
    void shouldReportAnUnresolvedWait() {
        steps.removeIf(s -> s.get("instanceId").asText().equals("sq-1") && (s.get("status").asText().equals("completed")
                || s.get("status").asText().equals("resumed") && s.get("stepId").asText().equals("linger")));
        results.clear();

        ChaosOracle.Verdict verdict = ChaosOracle.judge(observations(actions, steps, httpApplied, 0));

        assertThat(verdict.failed()).extracting(ChaosOracle.Check::invariant).containsExactlyInAnyOrder(
                "every wait and await resolved");
    }

    private ChaosOracle.Observations observations(List<JsonNode> actions, List<JsonNode> steps,
            Map<String, Integer> applied, int openTransactions) {
        Map<String, ChaosGenerator.Intent> intents = Map.of("c-0",
                new ChaosGenerator.Intent("c-0", "pro", true, true, true, false, -1));
        return new ChaosOracle.Observations(actions, steps, results, List.of(), intents, Set.of("c-0/welcome/req"),
                Set.of("c-0"), Map.of("c-0/lookup/req", 3), applied, 10, openTransactions, Map.of(), List.of(),
                T0.plusSeconds(60));
    }

    private ObjectNode step(String profile, String instance, String journey, String stepId, String status, int second,
            String branch, String next) {
        ObjectNode step = JSON.createObjectNode().put("eventId", instance + "/" + stepId + "/" + status)
                .put("profileId", profile).put("journeyId", journey).put("journeyVersion", 1).put("instanceId", instance)
                .put("stepId", stepId).put("status", status).put("timestamp", T0.plusSeconds(second).toString());
        if (branch != null) {
            step.put("branch", branch).put("next", next);
        }
        steps.add(step);
        return step;
    }

    private void action(String profile, String instance, String journey, String stepId, String channel,
            String template, int second) {
        actions.add(JSON.createObjectNode().put("requestId", profile + "/" + stepId + "/req").put("journeyId", journey)
                .put("instanceId", instance).put("stepId", stepId).put("profileId", profile).put("channel", channel)
                .put("template", template).put("timestamp", T0.plusSeconds(second).toString()));
    }
}
