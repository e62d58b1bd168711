package io.journeys.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.journeys.avro.HttpCall;
import io.journeys.testing.LocalHttpServer;
import io.journeys.testing.LocalHttpServer.Response;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Calls against a real HTTP server on localhost: answers, retries, timeouts, limits, the host policy, secrets. */
class HttpCallerTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String SECRET = "s3cr3t-token-value";

    @TempDir
    Path dir;

    private LocalHttpServer server;
    private HttpCaller caller;

    @BeforeEach
    void start() throws Exception {
        server = new LocalHttpServer();
        Path secretFile = Files.writeString(dir.resolve("token"), SECRET + "\n");
        caller = new HttpCaller(HttpCaller.defaultClient(), HostPolicy.of(List.of("127.0.0.1")),
                new SecretResolver(name -> name.equals("TOKEN_FILE") ? secretFile.toString() : null), () -> 0.0);
    }

    @AfterEach
    void stop() {
        server.close();
    }

    @Test
    void shouldAnswerWithTheJsonBodyAndSendTheIdempotencyKeyAndTheResolvedSecret() throws Exception {
        server.on("/customers/c-1", request -> new Response(200, "{\"tier\": \"gold\", \"orders\": 3}"));
        Path token = dir.resolve("token");
        HttpCall call = call("GET", server.url("/customers/c-1"), 0);
        call.getHeaders().put("Authorization", "Bearer ${file:" + token + "}");

        JsonNode answer = answer(caller.call(call, "req-1", () -> 0L));

        assertThat(answer.get("status").asText()).isEqualTo("http_200");
        assertThat(answer.get("code").asInt()).isEqualTo(200);
        assertThat(answer.at("/body/tier").asText()).isEqualTo("gold");
        LocalHttpServer.Request received = server.received().get(0);
        assertThat(received.header("Idempotency-Key")).isEqualTo("req-1");
        assertThat(received.header("Authorization")).isEqualTo("Bearer " + SECRET);
        assertThat(answer.toString()).doesNotContain(SECRET);
    }

    @Test
    void shouldRetryServerErrorsAndTooManyRequestsThenSucceed() throws Exception {
        AtomicInteger attempts = new AtomicInteger();
        server.on("/flaky", request -> switch (attempts.incrementAndGet()) {
            case 1 -> new Response(503, "{}");
            case 2 -> new Response(429, "{}");
            default -> new Response(200, "{\"ok\": true}");
        });

        JsonNode answer = answer(caller.call(call("POST", server.url("/flaky"), 2), "req-2", () -> 0L));

        assertThat(answer.get("status").asText()).isEqualTo("http_200");
        assertThat(server.received("/flaky")).hasSize(3)
                .allSatisfy(r -> assertThat(r.header("Idempotency-Key")).isEqualTo("req-2"));
    }

    @Test
    void shouldNotRetryOtherClientErrors() throws Exception {
        server.on("/missing", request -> new Response(404, "{\"error\": \"no such customer\"}"));

        JsonNode answer = answer(caller.call(call("GET", server.url("/missing"), 3), "req-3", () -> 0L));

        assertThat(answer.get("status").asText()).isEqualTo("http_404");
        assertThat(answer.at("/body/error").asText()).isEqualTo("no such customer");
        assertThat(server.received("/missing")).hasSize(1);
    }

    @Test
    void shouldAnswerTimedOutWhenTheServerIsTooSlow() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        server.on("/slow", request -> {
            release.await(10, TimeUnit.SECONDS); // held until the test ends
            return new Response(200, "{}");
        });
        HttpCall call = call("GET", server.url("/slow"), 1);
        call.setTimeoutMillis(200L);

        JsonNode answer = answer(caller.call(call, "req-4", () -> 0L));
        release.countDown();

        assertThat(answer.get("status").asText()).isEqualTo("timedout");
        assertThat(server.received("/slow")).hasSize(2); // the first attempt and its retry
    }

    @Test
    void shouldCapCallsPerHostOverASlidingMinute() throws Exception {
        server.on("/capped", request -> new Response(200, "{}"));
        HttpCall call = call("GET", server.url("/capped"), 0);
        call.setMaxCallsPerMinute(2);

        List<String> statuses = new java.util.ArrayList<>();
        for (long at : new long[] {0, 10_000, 59_999, 60_000, 60_001}) {
            statuses.add(answer(caller.call(call, "req-" + at, () -> at)).get("status").asText());
        }

        // two in any minute: the third is capped, and a slot frees when the first call is a minute old
        assertThat(statuses).containsExactly("http_200", "http_200", "capped", "http_200", "capped");
        assertThat(server.received("/capped")).hasSize(3);
    }

    @Test
    void shouldHoldCallsBeyondTheConcurrencyLimitUntilOneEnds() throws Exception {
        CountDownLatch firstArrived = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        server.on("/throttled", request -> {
            firstArrived.countDown();
            release.await(10, TimeUnit.SECONDS);
            return new Response(200, "{}");
        });
        HttpCall call = call("GET", server.url("/throttled"), 0);
        call.setMaxConcurrent(1);

        CompletableFuture<String> first = caller.call(call, "req-a", () -> 0L);
        assertThat(firstArrived.await(10, TimeUnit.SECONDS)).isTrue();
        CompletableFuture<String> second = caller.call(call, "req-b", () -> 0L);

        assertThat(caller.inFlight("127.0.0.1")).isEqualTo(1);
        assertThat(second).isNotDone();
        assertThat(server.received("/throttled")).hasSize(1);
        release.countDown();
        assertThat(answer(first).get("status").asText()).isEqualTo("http_200");
        assertThat(answer(second).get("status").asText()).isEqualTo("http_200");
        assertThat(server.received("/throttled")).hasSize(2);
    }

    @Test
    void shouldHoldCappingAndThrottlingUnderABurst() throws Exception {
        AtomicInteger current = new AtomicInteger();
        AtomicInteger most = new AtomicInteger();
        // the first arrivals wait a little for a fourth one, which only comes if throttling fails
        CountDownLatch fourthArrival = new CountDownLatch(4);
        server.on("/burst", request -> {
            most.accumulateAndGet(current.incrementAndGet(), Math::max);
            fourthArrival.countDown();
            fourthArrival.await(1, TimeUnit.SECONDS);
            current.decrementAndGet();
            return new Response(200, "{}");
        });
        HttpCall call = call("GET", server.url("/burst"), 0);
        call.setMaxConcurrent(3);
        call.setMaxCallsPerMinute(20);

        List<CompletableFuture<String>> answers = new java.util.ArrayList<>();
        for (int i = 0; i < 30; i++) {
            answers.add(caller.call(call, "burst-" + i, () -> 0L));
        }
        List<String> statuses = new java.util.ArrayList<>();
        for (CompletableFuture<String> answer : answers) {
            statuses.add(answer(answer).get("status").asText());
        }

        assertThat(statuses).filteredOn("http_200"::equals).hasSize(20);
        assertThat(statuses).filteredOn("capped"::equals).hasSize(10);
        assertThat(server.received("/burst")).hasSize(20);
        assertThat(most.get()).isEqualTo(3);
    }

    @Test
    void shouldRefuseResponsesLargerThanTheLimit() throws Exception {
        server.on("/big", request -> new Response(200, "{\"data\": \"" + "x".repeat(5000) + "\"}"));
        HttpCall call = call("GET", server.url("/big"), 2);
        call.setMaxResponseBytes(1000);

        JsonNode answer = answer(caller.call(call, "req-5", () -> 0L));

        assertThat(answer.get("status").asText()).isEqualTo("error");
        assertThat(answer.get("message").asText()).contains("maxResponseBytes");
        assertThat(server.received("/big")).hasSize(1); // not retried: the answer would be as large again
    }

    @Test
    void shouldRefuseLoopbackUnlessListedAndHostsOutsideTheList() throws Exception {
        server.on("/x", request -> new Response(200, "{}"));
        HttpCaller unlisted = new HttpCaller(HttpCaller.defaultClient(), HostPolicy.of(List.of()),
                SecretResolver.fromProcess(), () -> 0.0);
        HttpCaller otherHosts = new HttpCaller(HttpCaller.defaultClient(), HostPolicy.of(List.of("*.example.com")),
                SecretResolver.fromProcess(), () -> 0.0);

        JsonNode loopback = answer(unlisted.call(call("GET", server.url("/x"), 0), "req-6", () -> 0L));
        JsonNode notListed = answer(otherHosts.call(call("GET", server.url("/x"), 0), "req-7", () -> 0L));

        assertThat(loopback.get("status").asText()).isEqualTo("error");
        assertThat(loopback.get("message").asText()).contains("local address 127.0.0.1");
        assertThat(notListed.get("message").asText()).contains("not in http.allowedHosts");
        assertThat(server.received()).isEmpty();
    }

    @Test
    void shouldRefusePrivateAddressesAfterResolution() {
        Map<String, String> dns = Map.of("public.example.com", "93.184.216.34", "intranet.example.com", "10.1.2.3",
                "metadata.example.com", "169.254.169.254", "cgnat.example.com", "100.64.0.1",
                "v6.example.com", "fd00::1");
        HostPolicy policy = new HostPolicy(List.of(), host -> new InetAddress[] {InetAddress.getByName(dns.get(host))});
        HostPolicy listed = new HostPolicy(List.of("intranet.example.com", "public.example.com"),
                host -> new InetAddress[] {InetAddress.getByName(dns.get(host))});

        assertThat(policy.refusal("public.example.com")).isEmpty();
        assertThat(dns.keySet().stream().filter(h -> !h.startsWith("public")))
                .allSatisfy(host -> assertThat(policy.refusal(host)).isPresent());
        assertThat(listed.refusal("intranet.example.com")).isEmpty();
        assertThat(listed.refusal("metadata.example.com")).hasValueSatisfying(
                reason -> assertThat(reason).contains("not in http.allowedHosts"));
    }

    @Test
    void shouldNeverLogTheSecret() throws Exception {
        server.on("/customers/c-1", request -> new Response(500, "{\"error\": \"down\"}"));
        java.io.StringWriter logs = new java.io.StringWriter();
        org.apache.logging.log4j.core.LoggerContext context =
                (org.apache.logging.log4j.core.LoggerContext) org.apache.logging.log4j.LogManager.getContext(false);
        org.apache.logging.log4j.core.appender.WriterAppender appender =
                org.apache.logging.log4j.core.appender.WriterAppender.newBuilder().setName("capture").setTarget(logs)
                        .setLayout(org.apache.logging.log4j.core.layout.PatternLayout.createDefaultLayout()).build();
        appender.start();
        org.apache.logging.log4j.core.config.LoggerConfig root = context.getConfiguration().getRootLogger();
        org.apache.logging.log4j.Level level = root.getLevel();
        root.addAppender(appender, org.apache.logging.log4j.Level.ALL, null);
        root.setLevel(org.apache.logging.log4j.Level.ALL); // every line any part writes, at any level
        context.updateLoggers();
        try {
            HttpCall call = call("GET", server.url("/customers/c-1"), 1);
            call.getHeaders().put("Authorization", "Bearer ${file:" + dir.resolve("token") + "}");
            HttpCall refused = call("GET", "http://localhost:1/x", 0);
            refused.getHeaders().put("Authorization", "Bearer ${file:" + dir.resolve("token") + "}");
            HttpCaller strict = new HttpCaller(HttpCaller.defaultClient(), HostPolicy.of(List.of()),
                    new SecretResolver(name -> null), () -> 0.0);

            String failed = caller.call(call, "req-9", () -> 0L).get(30, TimeUnit.SECONDS);
            String refusedAnswer = strict.call(refused, "req-10", () -> 0L).get(30, TimeUnit.SECONDS);

            assertThat(server.received("/customers/c-1")).hasSize(2)
                    .allSatisfy(r -> assertThat(r.header("Authorization")).isEqualTo("Bearer " + SECRET));
            assertThat(logs.toString()).contains("req-10").doesNotContain(SECRET);
            assertThat(failed + refusedAnswer).doesNotContain(SECRET);
        } finally {
            root.removeAppender("capture");
            root.setLevel(level);
            context.updateLoggers();
            appender.stop();
        }
    }

    @Test
    void shouldAnswerErrorWithoutTheValueWhenASecretIsMissing() throws Exception {
        HttpCall call = call("GET", server.url("/x"), 0);
        call.getHeaders().put("Authorization", "Bearer ${env:NOT_SET_ANYWHERE}");

        JsonNode answer = answer(caller.call(call, "req-8", () -> 0L));

        assertThat(answer.get("status").asText()).isEqualTo("error");
        assertThat(answer.get("message").asText()).contains("${env:NOT_SET_ANYWHERE}");
        assertThat(server.received()).isEmpty();
    }

    private static HttpCall call(String method, String url, int retries) {
        return new HttpCall("test", 1, method, url, new HashMap<>(), method.equals("GET") ? null : "{}", 5_000L,
                retries, 0, 0, 65_536, true);
    }

    private static JsonNode answer(CompletableFuture<String> answer) throws Exception {
        return JSON.readTree(answer.get(30, TimeUnit.SECONDS));
    }
}
