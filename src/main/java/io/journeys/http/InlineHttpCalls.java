package io.journeys.http;

import io.journeys.avro.HttpCall;
import java.time.Instant;
import java.util.List;

/**
 * Simulation: a call is a real, synchronous HTTP request, answered at the instant its step ran. Capping
 * counts in event time, so a replay caps the same calls. Retries back off for real (the simulation waits).
 */
public final class InlineHttpCalls implements InlineCalls {

    private final List<String> allowedHosts;
    private transient HttpCaller caller;

    public InlineHttpCalls(List<String> allowedHosts) {
        this.allowedHosts = List.copyOf(allowedHosts);
    }

    @Override
    public void open() {
        // jitter from the request id's hash would make retries deterministic; real time is spent either way
        caller = new HttpCaller(HttpCaller.defaultClient(), HostPolicy.of(allowedHosts), SecretResolver.fromProcess(),
                () -> 0.5);
    }

    @Override
    public String answer(HttpCall call, String requestId, String profileId, Instant now) {
        return caller.call(call, requestId, now::toEpochMilli).join();
    }
}
