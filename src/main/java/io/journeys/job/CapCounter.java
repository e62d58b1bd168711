package io.journeys.job;

import io.journeys.avro.CapRequest;
import io.journeys.avro.ProfileEvent;
import io.journeys.http.CallAnswers;
import io.journeys.engine.CapAnswers;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;

/**
 * The counter of one cap step of one journey version (keyed by journey, version and step): admits the
 * first {@code limit} requests, answers the others "overflow". The count is keyed state, checkpointed with
 * the answers' transactions, so a failure neither loses nor repeats an admission; a request seen again
 * (an engine replaying after a failure in at-least-once mode) gets the same answer as the first time.
 */
public final class CapCounter extends KeyedProcessFunction<String, CapRequest, ProfileEvent> {

    private transient ValueState<Long> admitted;
    private transient MapState<String, Boolean> answered;

    /** The key of a request's counter. */
    public static String keyOf(CapRequest request) {
        return request.getJourneyId() + "@" + request.getJourneyVersion() + "/" + request.getStepId();
    }

    @Override
    public void open(OpenContext openContext) {
        admitted = getRuntimeContext().getState(new ValueStateDescriptor<>("admitted", Types.LONG));
        answered = getRuntimeContext().getMapState(new MapStateDescriptor<>("answered", Types.STRING, Types.BOOLEAN));
    }

    @Override
    public void processElement(CapRequest request, Context ctx, Collector<ProfileEvent> out) throws Exception {
        Boolean decision = answered.get(request.getRequestId());
        if (decision == null) {
            long count = admitted.value() == null ? 0 : admitted.value();
            decision = count < request.getLimit();
            if (decision) {
                admitted.update(count + 1);
            }
            answered.put(request.getRequestId(), decision);
        }
        out.collect(new ProfileEvent(request.getRequestId() + ":answer", request.getProfileId(),
                CallAnswers.RESULT_EVENT, request.getTimestamp(), CapAnswers.of(decision), request.getRequestId()));
    }
}
