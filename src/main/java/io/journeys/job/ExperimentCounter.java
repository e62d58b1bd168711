package io.journeys.job;

import io.journeys.avro.ExperimentCounts;
import io.journeys.avro.ExperimentRequest;
import io.journeys.avro.ExperimentWinner;
import io.journeys.avro.ProfileEvent;
import io.journeys.engine.AvroRecords;
import io.journeys.engine.ExperimentAnswers;
import io.journeys.engine.ExperimentTally;
import io.journeys.http.CallAnswers;
import java.time.Duration;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.state.StateTtlConfig;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;
import org.apache.flink.util.OutputTag;

/**
 * The counter of one experiment step of one journey version (keyed by journey, version and step): counts the
 * assignments the journeys took and the conversions per arm, decides the winner by {@link ExperimentTally}'s
 * rule and publishes it once ({@link #WINNERS}), for the journeys to read back on their broadcast. The counts
 * are keyed state in the same checkpoints as the journeys' state (the job always checkpoints exactly once;
 * only its sinks follow {@code delivery.guarantee}), so a failure neither loses nor repeats a count, and an
 * assignment taken is sent once: nothing waits for it to be counted.
 *
 * <p>Instances of releases before 0.4.0 waited in the step for an answer on action-results: such an assignment
 * is decided and answered as then, and a request seen again within a day (re-sent after a failure, its answer
 * lost with an aborted transaction) gets its first answer and is not counted twice.
 */
public final class ExperimentCounter extends KeyedProcessFunction<String, ExperimentRequest, ProfileEvent> {

    /** The winners decided, each once, for the {@code experiment-winners} topic. */
    public static final OutputTag<ExperimentWinner> WINNERS =
            new OutputTag<>("experiment-winners", AvroRecords.typeInfo(ExperimentWinner.class));

    /** How long a request's first answer is kept, for a request seen again. */
    static final Duration ANSWERS_KEPT = Duration.ofDays(1);

    private transient ValueState<ExperimentCounts> counts;
    private transient MapState<String, String> answered;

    @Override
    public void open(OpenContext openContext) {
        counts = getRuntimeContext().getState(new ValueStateDescriptor<>("counts",
                AvroRecords.typeInfo(ExperimentCounts.class)));
        MapStateDescriptor<String, String> answeredDescriptor =
                new MapStateDescriptor<>("answered", Types.STRING, Types.STRING);
        // a request comes again only when an engine replays after a failure: a day covers any recovery, and
        // the map does not grow with every profile the experiment ever saw
        answeredDescriptor.enableTimeToLive(StateTtlConfig.newBuilder(ANSWERS_KEPT).build());
        answered = getRuntimeContext().getMapState(answeredDescriptor);
    }

    @Override
    public void processElement(ExperimentRequest request, Context ctx, Collector<ProfileEvent> out) throws Exception {
        ExperimentCounts current = counts.value();
        if (current == null) {
            current = ExperimentTally.empty(request.getTimestamp());
        }
        if (request.getTaken()) {
            publish(ExperimentTally.count(current, request), request, ctx);
            counts.update(current);
            return;
        }
        String first = answered.get(request.getRequestId());
        if (request.getConversion()) {
            if (first == null) {
                publish(ExperimentTally.convert(current, request), request, ctx);
                counts.update(current);
                answered.put(request.getRequestId(), request.getArm());
            }
            return;
        }
        String answer = first;
        if (answer == null) {
            boolean undecided = current.getWinner() == null;
            ExperimentTally.Assignment assigned = ExperimentTally.assign(current, request);
            counts.update(current);
            if (undecided) {
                publish(current.getWinner(), request, ctx);
            }
            answer = ExperimentAnswers.of(assigned.arm(), assigned.byWinner());
            answered.put(request.getRequestId(), answer);
        }
        out.collect(new ProfileEvent(request.getRequestId() + ":answer", request.getProfileId(),
                CallAnswers.RESULT_EVENT, request.getTimestamp(), answer, request.getRequestId()));
    }

    /** A winner the rule has just decided, for the journeys to read back; nothing when {@code winner} is null. */
    private static void publish(String winner, ExperimentRequest request, Context ctx) {
        if (winner != null) {
            ctx.output(WINNERS, new ExperimentWinner(request.getJourneyId(), request.getJourneyVersion(),
                    request.getStepId(), winner, request.getTimestamp()));
        }
    }
}
