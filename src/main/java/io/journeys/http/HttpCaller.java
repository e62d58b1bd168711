package io.journeys.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.TextNode;
import io.journeys.avro.HttpCall;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import java.util.function.DoubleSupplier;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Makes the HTTP request of a custom action and answers it (see {@link CallAnswers}):
 *
 * <ul>
 *   <li>refused at once when the host policy refuses the host, or "capped" when the host had its calls
 *       per minute;
 *   <li>at most the action's concurrent calls per host, the others waiting their turn;
 *   <li>retried with exponential backoff and full jitter after a timeout, a connection error, a 5xx or a
 *       429, never after another 4xx; the {@code Idempotency-Key} header carries the request id, so a
 *       receiver can drop a retried duplicate;
 *   <li>a response body read up to the action's maxResponseBytes, kept as JSON (or as text when it is
 *       not JSON).
 * </ul>
 * Secrets in headers are resolved here, just before sending; no message or log line carries them.
 */
public final class HttpCaller {

    private static final Logger LOG = LoggerFactory.getLogger(HttpCaller.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    /** Headers the caller sets itself; a definition cannot override them. */
    public static final String IDEMPOTENCY_KEY = "Idempotency-Key";

    private final HttpClient client;
    private final HostPolicy policy;
    private final SecretResolver secrets;
    private final CallLimits limits = new CallLimits();
    private final DoubleSupplier jitter;
    private final int shares;

    public HttpCaller(HttpClient client, HostPolicy policy, SecretResolver secrets, DoubleSupplier jitter) {
        this(client, policy, secrets, jitter, 1);
    }

    /**
     * @param shares how many callers share each action's capping and throttling (the executor's
     *     parallelism): each allows its share, so that the job as a whole keeps to the action's limits
     */
    public HttpCaller(HttpClient client, HostPolicy policy, SecretResolver secrets, DoubleSupplier jitter,
            int shares) {
        this.client = client;
        this.policy = policy;
        this.secrets = secrets;
        this.jitter = jitter;
        this.shares = shares;
    }

    /** This caller's share of a limit (0: none), at least 1. */
    private int share(int limit) {
        return limit <= 0 ? 0 : Math.max(1, limit / shares);
    }

    /** A client that verifies TLS certificates (the JDK's default) and does not follow redirects elsewhere. */
    public static HttpClient defaultClient() {
        return HttpClient.newBuilder()
                .connectTimeout(Duration.ofSeconds(10))
                .followRedirects(HttpClient.Redirect.NEVER)
                .build();
    }

    /**
     * Calls, with retries; completes with the answer, never exceptionally.
     *
     * @param now the instant for capping (processing time in production, event time in simulation)
     */
    public CompletableFuture<String> call(HttpCall call, String requestId, LongSupplier now) {
        URI uri;
        try {
            uri = URI.create(call.getUrl());
        } catch (IllegalArgumentException e) {
            return CompletableFuture.completedFuture(CallAnswers.of(CallAnswers.ERROR, 0, null, "bad URL"));
        }
        String host = uri.getHost() == null ? "" : uri.getHost();
        Optional<String> refused = policy.refusal(host);
        if (refused.isPresent()) {
            LOG.warn("Call {} of action {} refused: {}", requestId, call.getActionId(), refused.get());
            return CompletableFuture.completedFuture(CallAnswers.of(CallAnswers.ERROR, 0, null,
                    "refused: " + refused.get()));
        }
        int maxPerMinute = share(call.getMaxCallsPerMinute());
        int maxConcurrent = share(call.getMaxConcurrent());
        if (!limits.tryCount(host, maxPerMinute, now.getAsLong())) {
            return CompletableFuture.completedFuture(CallAnswers.of(CallAnswers.CAPPED, 0, null,
                    "more than " + call.getMaxCallsPerMinute() + " calls to " + host + " in a minute"));
        }
        HttpRequest request;
        try {
            request = request(call, uri, requestId);
        } catch (SecretResolver.MissingSecret e) {
            return CompletableFuture.completedFuture(CallAnswers.of(CallAnswers.ERROR, 0, null, e.getMessage()));
        }
        CompletableFuture<String> answer = new CompletableFuture<>();
        limits.whenFree(host, maxConcurrent, () -> attempt(request, call, 0)
                .whenComplete((result, failure) -> {
                    limits.ended(host, maxConcurrent);
                    answer.complete(result != null ? result : CallAnswers.of(CallAnswers.ERROR, 0, null,
                            "unexpected: " + failure));
                }));
        return answer;
    }

    /** Calls in flight now to a host (for tests of throttling). */
    int inFlight(String host) {
        return limits.inFlight(host);
    }

    private HttpRequest request(HttpCall call, URI uri, String requestId) throws SecretResolver.MissingSecret {
        HttpRequest.Builder builder = HttpRequest.newBuilder(uri)
                .timeout(Duration.ofMillis(call.getTimeoutMillis()))
                .header(IDEMPOTENCY_KEY, requestId);
        for (Map.Entry<String, String> header : call.getHeaders().entrySet()) {
            if (!header.getKey().equalsIgnoreCase(IDEMPOTENCY_KEY)) {
                builder.header(header.getKey(), secrets.resolve(header.getValue()));
            }
        }
        if (call.getBody() != null) {
            builder.header("Content-Type", "application/json");
            builder.method(call.getMethod(), HttpRequest.BodyPublishers.ofString(call.getBody(), StandardCharsets.UTF_8));
        } else {
            builder.method(call.getMethod(), HttpRequest.BodyPublishers.noBody());
        }
        return builder.build();
    }

    private CompletableFuture<String> attempt(HttpRequest request, HttpCall call, int retriesDone) {
        return client.sendAsync(request, LimitedBody.handler(call.getMaxResponseBytes()))
                .handle((response, failure) -> {
                    if (failure == null) {
                        int code = response.statusCode();
                        boolean retryable = code == 429 || code >= 500;
                        if (retryable && retriesDone < call.getRetries()) {
                            return retryLater(request, call, retriesDone);
                        }
                        return CompletableFuture.completedFuture(CallAnswers.http(code, body(response.body())));
                    }
                    Throwable cause = failure instanceof CompletionException && failure.getCause() != null
                            ? failure.getCause() : failure;
                    if (cause instanceof LimitedBody.TooLarge tooLarge) {
                        return CompletableFuture.completedFuture(
                                CallAnswers.of(CallAnswers.ERROR, 0, null, tooLarge.getMessage()));
                    }
                    if (retriesDone < call.getRetries()) {
                        return retryLater(request, call, retriesDone);
                    }
                    if (cause instanceof HttpTimeoutException) {
                        return CompletableFuture.completedFuture(CallAnswers.of(CallAnswers.TIMED_OUT, 0, null,
                                "no response within " + call.getTimeoutMillis() + " ms"));
                    }
                    return CompletableFuture.completedFuture(CallAnswers.of(CallAnswers.ERROR, 0, null,
                            cause instanceof IOException ? "connection failed: " + cause.getClass().getSimpleName()
                                    : "failed: " + cause.getClass().getSimpleName()));
                })
                .thenCompose(next -> next);
    }

    private CompletableFuture<String> retryLater(HttpRequest request, HttpCall call, int retriesDone) {
        long delay = Backoff.delayMillis(retriesDone + 1, jitter);
        return CompletableFuture.supplyAsync(() -> null,
                        CompletableFuture.delayedExecutor(delay, TimeUnit.MILLISECONDS))
                .thenCompose(ignored -> attempt(request, call, retriesDone + 1));
    }

    private static JsonNode body(byte[] bytes) {
        if (bytes.length == 0) {
            return null;
        }
        String text = new String(bytes, StandardCharsets.UTF_8);
        try {
            return JSON.readTree(text);
        } catch (IOException notJson) {
            return TextNode.valueOf(text);
        }
    }
}
