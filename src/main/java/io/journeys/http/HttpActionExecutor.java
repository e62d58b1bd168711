package io.journeys.http;

import io.journeys.avro.ActionRequest;
import io.journeys.avro.ProfileEvent;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.streaming.api.functions.async.ResultFuture;
import org.apache.flink.streaming.api.functions.async.RichAsyncFunction;

/**
 * The executor of custom actions (DESIGN §2): an async I/O function that makes the HTTP request of every
 * custom action request carrying one, and turns the answer into an {@code action.result} event for the
 * action-results topic, correlated by request id. Requests without an HTTP call (a custom channel served
 * by a downstream connector) produce nothing.
 */
public final class HttpActionExecutor extends RichAsyncFunction<ActionRequest, ProfileEvent> {

    private final List<String> allowedHosts;
    private final Clock clock;
    private transient HttpCaller caller;

    /** @param clock processing time: for capping windows and the answers' timestamps */
    public HttpActionExecutor(List<String> allowedHosts, Clock clock) {
        this.allowedHosts = List.copyOf(allowedHosts);
        this.clock = clock;
    }

    @Override
    public void open(OpenContext openContext) {
        caller = new HttpCaller(HttpCaller.defaultClient(), HostPolicy.of(allowedHosts), SecretResolver.fromProcess(),
                () -> ThreadLocalRandom.current().nextDouble(),
                getRuntimeContext().getTaskInfo().getNumberOfParallelSubtasks());
    }

    @Override
    public void asyncInvoke(ActionRequest request, ResultFuture<ProfileEvent> resultFuture) {
        if (request.getCall() == null) {
            resultFuture.complete(List.of());
            return;
        }
        caller.call(request.getCall(), request.getRequestId(), clock::millis)
                .thenAccept(answer -> resultFuture.complete(List.of(result(request, answer, clock.millis()))));
    }

    /** The async operator's own timeout passed (it allows for every retry): answered as timed out. */
    @Override
    public void timeout(ActionRequest request, ResultFuture<ProfileEvent> resultFuture) {
        resultFuture.complete(List.of(result(request, CallAnswers.of(CallAnswers.TIMED_OUT, 0, null,
                "no answer within the executor's timeout"), clock.millis())));
    }

    /** The answer as an event of the profile, for the engine to match to the waiting call step. */
    public static ProfileEvent result(ActionRequest request, String answer, long at) {
        return new ProfileEvent(request.getRequestId() + ":answer", request.getProfileId(), CallAnswers.RESULT_EVENT,
                at, answer, request.getRequestId());
    }
}
