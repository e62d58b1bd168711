package io.journeys.dsl;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/** Action definitions: read completely, every problem at once, secrets only by reference. */
class ActionParserTest {

    @Test
    void shouldReadAnActionWithItsDefaults() {
        ActionParser.Result result = ActionParser.parse("""
                {"kind": "action", "id": "crm-lookup", "version": 1, "method": "get",
                 "url": "https://crm.example.com/customers/{customerId}",
                 "headers": {"Authorization": "Bearer ${env:CRM_TOKEN}", "Accept": "application/json"},
                 "capping": {"maxCallsPerMinute": 6000}, "throttling": {"maxConcurrent": 50}}""");

        assertThat(result.problems()).isEmpty();
        ActionDefinition action = result.action();
        assertThat(action.method()).isEqualTo("GET");
        assertThat(action.timeout()).isEqualTo(Duration.ofSeconds(30));
        assertThat(action.retries()).isEqualTo(2);
        assertThat(action.maxCallsPerMinute()).isEqualTo(6000);
        assertThat(action.maxConcurrent()).isEqualTo(50);
        assertThat(action.maxResponseBytes()).isEqualTo(1 << 20);
        assertThat(action.sendsBody()).isFalse();
        assertThat(ActionParser.placeholders(action.url())).containsExactly("customerId");
    }

    /** The codes the action parser reports (for the parser's test that every code has a case). */
    static java.util.stream.Stream<ProblemCode> codesShown() {
        return ActionParser.parse(MANY_PROBLEMS).problems().stream().map(Problem::code);
    }

    private static final String MANY_PROBLEMS = """
                {"kind": "action", "id": "Bad Id", "version": 0, "method": "FETCH",
                 "url": "https://{tenant}.example.com/x/{bad-name}",
                 "headers": {"Authorization": "Bearer abc123", "X-Api-Key": "${vault:key}"},
                 "timeout": "PT10M", "retries": 11, "capping": {"maxCallsPerMinute": 0}, "colour": "red"}""";

    @Test
    void shouldReportEveryProblemAtOnce() {
        ActionParser.Result result = ActionParser.parse(MANY_PROBLEMS);

        assertThat(result.action()).isNull();
        assertThat(result.problems()).extracting(p -> p.code().code() + " " + p.pointer()).containsExactlyInAnyOrder(
                "JRN-003 /colour",
                "JRN-005 /id",
                "JRN-006 /version",
                "ACT-001 /method",
                "ACT-002 /url",
                "ACT-002 /url",
                "ACT-003 /headers/Authorization",
                "ACT-003 /headers/X-Api-Key",
                "JRN-020 /timeout",
                "JRN-029 /retries",
                "JRN-029 /capping/maxCallsPerMinute");
        // the literal credential is not repeated in the problem
        assertThat(result.problems().toString()).doesNotContain("abc123");
    }

    @Test
    void shouldRefuseUrlsThatAreNotHttpWithAHost() {
        assertThat(ActionParser.parse("""
                {"kind": "action", "id": "a", "version": 1, "method": "POST", "url": "file:///etc/passwd"}""")
                .problems()).extracting(p -> p.code().code()).containsExactly("ACT-002");
    }
}
