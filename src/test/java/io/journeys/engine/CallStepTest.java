package io.journeys.engine;

import static org.assertj.core.api.Assertions.assertThat;

import io.journeys.avro.ActionRequest;
import io.journeys.avro.StepEvent;
import io.journeys.http.CallAnswers;
import io.journeys.http.CannedCalls;
import io.journeys.http.InlineHttpCalls;
import io.journeys.testing.LocalHttpServer;
import io.journeys.testing.LocalHttpServer.Response;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Disabled;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Call and cap steps: answered in line (simulation) and through action-results (production). */
class CallStepTest {

    private static final Instant T0 = Instant.parse("2026-03-02T10:00:00Z");

    private static final String JOURNEY = """
            {"id": "vip-check", "version": 1,
             "entry": {"type": "event", "event": "signup"},
             "start": "lookup",
             "steps": {
               "lookup": {"type": "call", "action": "crm", "params": {"customerId": "event.customerId"},
                          "next": "tier", "onError": "sorry", "onTimeout": "later"},
               "tier": {"type": "condition",
                        "choices": [{"when": "journey.results['lookup'].body.tier == 'gold'", "next": "gold"}],
                        "default": "other"},
               "gold": {"type": "action", "channel": "email", "template": "gold",
                        "params": {"orders": "journey.results['lookup'].body.orders"}, "next": "done"},
               "other": {"type": "action", "channel": "email", "template": "other", "next": "done"},
               "sorry": {"type": "action", "channel": "email", "template": "sorry",
                         "params": {"status": "journey.results['lookup'].status"}, "next": "done"},
               "later": {"type": "action", "channel": "email", "template": "later", "next": "done"},
               "done": {"type": "end"}}}""";

    private LocalHttpServer server;

    @BeforeEach
    void start() throws Exception {
        server = new LocalHttpServer()
                .on("/customers/c-gold", request -> new Response(200, "{\"tier\": \"gold\", \"orders\": 7}"))
                .on("/customers/c-silver", request -> new Response(200, "{\"tier\": \"silver\"}"))
                .on("/customers/c-broken", request -> new Response(500, "{\"error\": \"down\"}"));
    }

    @AfterEach
    void stop() {
        server.close();
    }

    private String crmAction(int retries) {
        return """
                {"kind": "action", "id": "crm", "version": 1, "method": "GET",
                 "url": "%s", "retries": %d, "timeout": "PT5S"}""".formatted(server.url("/customers/{customerId}"),
                retries);
    }

    @Test
    void shouldBranchOnTheAnswerOfARealHttpCallInSimulation(@TempDir Path dir) throws Exception {
        Path token = Files.writeString(dir.resolve("token"), "t0p-s3cret");
        String action = crmAction(0).replace("\"retries\"",
                "\"headers\": {\"Authorization\": \"Bearer ${file:" + token + "}\"}, \"retries\"");
        EngineSettings settings = EngineSettings.eventTime(List.of(action, JOURNEY))
                .withInlineCalls(new InlineHttpCalls(List.of("127.0.0.1")));
        try (ProcessorHarness h = ProcessorHarness.with(settings)) {
            h.event("p1", "signup", T0, "{\"customerId\": \"c-gold\"}")
                    .event("p2", "signup", T0, "{\"customerId\": \"c-silver\"}")
                    .event("p3", "signup", T0, "{\"customerId\": \"c-broken\"}")
                    .untilTheEnd();

            assertThat(h.actions()).filteredOn(a -> a.getChannel().equals("email"))
                    .extracting(ActionRequest::getProfileId, ActionRequest::getTemplate, ActionRequest::getParams)
                    .containsExactlyInAnyOrder(
                            org.assertj.core.groups.Tuple.tuple("p1", "gold", "{\"orders\":7}"),
                            org.assertj.core.groups.Tuple.tuple("p2", "other", "{}"),
                            org.assertj.core.groups.Tuple.tuple("p3", "sorry", "{\"status\":\"http_500\"}"));
            // the call itself is an action request on the custom channel, with its rendered HTTP request
            assertThat(h.actions()).filteredOn(a -> a.getChannel().equals("custom")).hasSize(3)
                    .allSatisfy(a -> assertThat(a.getCall().getUrl()).startsWith(server.url("/customers/c-")));
            assertThat(h.steps()).filteredOn(s -> s.getProfileId().equals("p3") && s.getStepId().equals("lookup"))
                    .extracting(StepEvent::getStatus, StepEvent::getErrorCode)
                    .containsExactly(org.assertj.core.groups.Tuple.tuple("entered", null),
                            org.assertj.core.groups.Tuple.tuple("executed", ErrorCodes.CALL_FAILED));
            assertThat(h.timers()).isZero();
            // the secret went to the service, and nowhere else: requests and step events hold the reference
            assertThat(server.received()).allSatisfy(r -> assertThat(r.header("Authorization")).isEqualTo("Bearer t0p-s3cret"));
            assertThat(h.actions().toString() + h.steps()).doesNotContain("t0p-s3cret").contains("${file:");
            h.assertNothingLeftBehind();
        }
    }

    @Test
    void shouldUseCannedAnswersPerProfileThenPerAction() throws Exception {
        EngineSettings settings = EngineSettings.eventTime(List.of(crmAction(0), JOURNEY))
                .withInlineCalls(CannedCalls.parse(List.of(
                        "{\"action\": \"crm\", \"status\": \"http_200\", \"body\": {\"tier\": \"silver\"}}",
                        "{\"action\": \"crm\", \"profileId\": \"p1\", \"status\": \"http_200\", \"body\": {\"tier\": \"gold\", \"orders\": 1}}",
                        "{\"action\": \"crm\", \"profileId\": \"p3\", \"status\": \"timedout\"}")));
        try (ProcessorHarness h = ProcessorHarness.with(settings)) {
            h.event("p1", "signup", T0, "{\"customerId\": \"x\"}")
                    .event("p2", "signup", T0, "{\"customerId\": \"y\"}")
                    .event("p3", "signup", T0, "{\"customerId\": \"z\"}")
                    .untilTheEnd();

            assertThat(h.actions()).filteredOn(a -> a.getChannel().equals("email"))
                    .extracting(a -> a.getProfileId() + ":" + a.getTemplate())
                    .containsExactlyInAnyOrder("p1:gold", "p2:other", "p3:later");
            assertThat(server.received()).isEmpty();
            h.assertNothingLeftBehind();
        }
    }

    @Test
    void shouldWaitForTheAnswerOnActionResultsAndTakeOnTimeoutWithoutOne() throws Exception {
        try (ProcessorHarness h = ProcessorHarness.with(EngineSettings.eventTime(List.of(crmAction(1), JOURNEY)))) {
            h.event("p1", "signup", T0, "{\"customerId\": \"c-1\"}")
                    .event("p2", "signup", T0, "{\"customerId\": \"c-2\"}")
                    .watermark(T0);
            List<ActionRequest> calls = h.actions();
            assertThat(calls).hasSize(2).allSatisfy(call -> {
                assertThat(call.getChannel()).isEqualTo("custom");
                assertThat(call.getCall().getAwaited()).isTrue();
            });
            String p1Request = calls.stream().filter(c -> c.getProfileId().equals("p1")).findFirst().orElseThrow()
                    .getRequestId();

            // the executor's answer for p1 arrives; p2's never does
            h.event("p1", CallAnswers.RESULT_EVENT, T0.plusSeconds(2),
                    "{\"status\": \"http_200\", \"code\": 200, \"body\": {\"tier\": \"gold\", \"orders\": 2}}", p1Request)
                    .event("p1", CallAnswers.RESULT_EVENT, T0.plusSeconds(3), "{\"status\": \"http_200\"}", "someone-else")
                    .untilTheEnd();

            assertThat(h.actions()).filteredOn(a -> a.getChannel().equals("email"))
                    .extracting(a -> a.getProfileId() + ":" + a.getTemplate() + "@"
                            + Duration.between(T0, Instant.ofEpochMilli(a.getTimestamp())).toSeconds())
                    // 2 attempts of 5 s, the longest backoff (0.5 s), a minute for the way back: 70.5 s
                    .containsExactlyInAnyOrder("p1:gold@2", "p2:later@70");
            assertThat(h.timers()).isZero();
            h.assertNothingLeftBehind();
        }
    }

    @Test
    void shouldEndWithAnErrorWhenTheActionIsNotPublished() throws Exception {
        String withoutOnError = """
                {"id": "lonely", "version": 1, "entry": {"type": "event", "event": "signup"}, "start": "lookup",
                 "steps": {"lookup": {"type": "call", "action": "crm", "next": "done"}, "done": {"type": "end"}}}""";
        try (ProcessorHarness h = ProcessorHarness.with(EngineSettings.eventTime(List.of(withoutOnError)))) {
            h.event("p1", "signup", T0, "{\"customerId\": \"c-1\"}").untilTheEnd();

            assertThat(h.lastStep().getStatus()).isEqualTo(StepStatus.ERROR);
            assertThat(h.lastStep().getErrorCode()).isEqualTo(ErrorCodes.UNKNOWN_ACTION);
            h.assertNothingLeftBehind();
        }
    }

    private static final String RAMP_UP = """
            {"id": "ramp", "version": 1, "entry": {"type": "event", "event": "signup"}, "start": "cap",
             "steps": {
               "cap": {"type": "cap", "limit": 2, "next": "offer", "overflow": "waitlist"},
               "offer": {"type": "action", "channel": "email", "template": "offer", "next": "done"},
               "waitlist": {"type": "action", "channel": "email", "template": "waitlist", "next": "done"},
               "done": {"type": "end"}}}""";

    @Test
    void shouldAdmitExactlyTheFirstProfilesInEventTimeOrderInSimulation() throws Exception {
        EngineSettings settings = EngineSettings.eventTime(List.of(RAMP_UP)).withInlineCalls(CannedCalls.parse(List.of()));
        try (ProcessorHarness h = ProcessorHarness.with(settings)) {
            h.event("p3", "signup", T0.plusSeconds(3), "{}")
                    .event("p1", "signup", T0.plusSeconds(1), "{}")
                    .event("p2", "signup", T0.plusSeconds(2), "{}")
                    .untilTheEnd();

            assertThat(h.actions()).extracting(a -> a.getProfileId() + ":" + a.getTemplate())
                    .containsExactly("p1:offer", "p2:offer", "p3:waitlist");
            h.assertNothingLeftBehind();
        }
    }

    /**
     * Two profiles reach a cap of one at the same instant: the one whose input arrived first is admitted, so an
     * unsorted replay of the same inputs admits the other (Flink fires the timers of one instant across keys
     * in no fixed order). JourneyInvariantsProperties found it with generated caps and paced audience entries.
     */
    @Test
    @Disabled("issue 14: at one instant, a cap admits profiles in the order their inputs arrived")
    void shouldAdmitTheSameProfileWhateverTheOrderInputsOfOneInstantArriveInInSimulation() throws Exception {
        String capOfOne = RAMP_UP.replace("\"limit\": 2", "\"limit\": 1");
        List<String> admitted = new java.util.ArrayList<>();
        for (List<String> arrival : List.of(List.of("p0", "p1"), List.of("p1", "p0"))) {
            EngineSettings settings = EngineSettings.eventTime(List.of(capOfOne)).withInlineCalls(CannedCalls.parse(List.of()));
            try (ProcessorHarness h = ProcessorHarness.with(settings)) {
                for (String profileId : arrival) {
                    h.event(profileId, "signup", T0, "{}");
                }
                h.untilTheEnd().assertNothingLeftBehind();
                admitted.add(h.actions().stream().filter(a -> a.getTemplate().equals("offer"))
                        .map(ActionRequest::getProfileId).findFirst().orElseThrow());
            }
        }
        // today: p0 when p0's signup arrives first, p1 when p1's does
        assertThat(admitted.get(1)).isEqualTo(admitted.get(0));
    }

    @Test
    void shouldAskTheCounterAndFollowItsAnswerInProduction() throws Exception {
        try (ProcessorHarness h = ProcessorHarness.with(EngineSettings.eventTime(List.of(RAMP_UP)))) {
            h.event("p1", "signup", T0, "{}").event("p2", "signup", T0, "{}").watermark(T0);
            assertThat(h.capRequests()).hasSize(2).allSatisfy(r -> {
                assertThat(r.getLimit()).isEqualTo(2);
                assertThat(r.getStepId()).isEqualTo("cap");
            });
            String p1 = h.capRequests().stream().filter(r -> r.getProfileId().equals("p1")).findFirst().orElseThrow()
                    .getRequestId();
            String p2 = h.capRequests().stream().filter(r -> r.getProfileId().equals("p2")).findFirst().orElseThrow()
                    .getRequestId();

            h.event("p1", CallAnswers.RESULT_EVENT, T0.plusSeconds(1), CapAnswers.of(true), p1)
                    .event("p2", CallAnswers.RESULT_EVENT, T0.plusSeconds(1), CapAnswers.of(false), p2)
                    .untilTheEnd();

            assertThat(h.actions()).extracting(a -> a.getProfileId() + ":" + a.getTemplate())
                    .containsExactlyInAnyOrder("p1:offer", "p2:waitlist");
            h.assertNothingLeftBehind();
        }
    }
}
