package io.journeys.demo;

import static org.assertj.core.api.Assertions.assertThat;

import io.journeys.dsl.JourneyParser;
import io.journeys.testing.Json;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The demo's counts of conversions per goal and per arm, and of what the rules did, from step events as the job writes them. */
class DemoCountsTest {

    private static final String NO_RULES = "demo-cart      rules demo-marketing: skipped 0 by caps, held 0, ended 0 by"
            + " quiet hours, excluded 0 by entry caps and 0 by concurrency";

    private static DemoCounts counts() throws Exception {
        return new DemoCounts(List.of(JourneyParser.parse(Files.readString(Path.of("jobs/demo/cart.json"))).journey()));
    }

    private static void step(DemoCounts counts, String instance, String status, String more) {
        counts.count(Json.read("{\"profileId\": \"p-" + instance + "\", \"journeyId\": \"demo-cart\", \"journeyVersion\": 1,"
                + " \"instanceId\": \"" + instance + "\", \"status\": \"" + status + "\"" + more + "}"));
    }

    @Test
    void shouldCountConversionsPerGoalAndPerArmOfTheExperimentOnThatGoal() throws Exception {
        DemoCounts counts = counts();
        step(counts, "i1", "entered", ", \"stepId\": \"ab-test\"");
        step(counts, "i1", "resumed", ", \"stepId\": \"ab-test\", \"arm\": \"b\", \"branch\": \"arms/1\"");
        step(counts, "i2", "entered", ", \"stepId\": \"ab-test\"");
        step(counts, "i2", "resumed", ", \"stepId\": \"ab-test\", \"arm\": \"holdout\", \"branch\": \"arms/2\"");
        step(counts, "i2", "completed", ", \"stepId\": \"done\"");
        step(counts, "i3", "entered", ", \"stepId\": \"ab-test\"");
        step(counts, "i3", "resumed", ", \"stepId\": \"ab-test\", \"arm\": \"b\", \"branch\": \"arms/1\"");
        step(counts, "i1", "converted", ", \"stepId\": \"reaction\", \"goal\": \"purchase\"");
        step(counts, "i2", "converted", ", \"stepId\": null, \"goal\": \"purchase\"");

        assertThat(counts.conversions("demo-cart", "purchase")).isEqualTo(2);
        assertThat(counts.armsOnGoal("demo-cart", "i2", "purchase")).containsExactly(java.util.Map.entry("ab-test", "holdout"));
        assertThat(counts.lines()).containsExactly(
                "demo-cart      entered 3, completed 1, exited 0, timed out 0, errors 0, inside 2",
                "demo-cart      converted: purchase 2; ab-test on purchase: a 0 of 0, b 1 of 2, holdout 1 of 1",
                NO_RULES);
    }

    @Test
    void shouldShowTheGoalsAndArmsOfAJourneyBeforeAnyConversionAndNoSecondLineForAJourneyWithoutGoals() throws Exception {
        DemoCounts counts = counts();
        step(counts, "i1", "entered", ", \"stepId\": \"ab-test\"");
        counts.count(Json.read("{\"profileId\": \"p-1\", \"journeyId\": \"demo-welcome\", \"journeyVersion\": 1,"
                + " \"instanceId\": \"w1\", \"stepId\": \"send-welcome\", \"status\": \"entered\"}"));

        assertThat(counts.lines()).containsExactly(
                "demo-cart      entered 1, completed 0, exited 0, timed out 0, errors 0, inside 1",
                "demo-cart      converted: purchase 0; ab-test on purchase: a 0 of 0, b 0 of 0, holdout 0 of 0",
                NO_RULES,
                "demo-welcome   entered 1, completed 0, exited 0, timed out 0, errors 0, inside 1");
    }

    @Test
    void shouldCountWhatTheRuleSetOfAJourneyDidByRule() throws Exception {
        DemoCounts counts = counts();
        step(counts, "i1", "entered", ", \"stepId\": \"ab-test\"");
        step(counts, "i1", "skipped", ", \"stepId\": \"email-a\", \"errorCode\": \"RUL-001\"");
        step(counts, "i2", "excluded", ", \"stepId\": \"ab-test\", \"errorCode\": \"RUL-005\"");
        step(counts, "i3", "excluded", ", \"stepId\": \"ab-test\", \"errorCode\": \"RUL-005\"");
        step(counts, "i4", "excluded", ", \"stepId\": \"ab-test\", \"errorCode\": \"RUL-004\"");
        step(counts, "i5", "entered", ", \"stepId\": \"ab-test\"");
        step(counts, "i5", "waiting", ", \"stepId\": \"email-b\", \"errorCode\": \"RUL-006\"");
        step(counts, "i5", "exited", ", \"stepId\": \"sms-reminder\", \"errorCode\": \"RUL-002\"");
        step(counts, "i1", "error", ", \"stepId\": \"email-a\", \"errorCode\": \"EXP-001\"");

        assertThat(counts.lines()).contains("demo-cart      rules demo-marketing: skipped 1 by caps, held 1, ended 1 by"
                + " quiet hours, excluded 1 by entry caps and 2 by concurrency");
    }
}
