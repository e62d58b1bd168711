package io.journeys.engine;

import io.journeys.avro.ActionRequest;
import io.journeys.avro.CapRequest;
import io.journeys.avro.ExperimentRequest;
import io.journeys.avro.DeadLetter;
import io.journeys.avro.EngagementCount;
import io.journeys.avro.ProfileWrite;
import io.journeys.avro.StepEvent;
import org.apache.flink.util.Collector;
import org.apache.flink.util.OutputTag;

/** Routes the engine's records to a Flink function's main output and side outputs. */
abstract class ContextEmitter implements Emitter {

    private final Collector<ActionRequest> out;

    ContextEmitter(Collector<ActionRequest> out) {
        this.out = out;
    }

    /** The side output of the function context at hand. */
    abstract <X> void output(OutputTag<X> tag, X value);

    @Override
    public void action(ActionRequest request) {
        out.collect(request);
    }

    @Override
    public void step(StepEvent event) {
        output(OutputTags.STEP_EVENTS, event);
    }

    @Override
    public void deadLetter(DeadLetter letter) {
        output(OutputTags.DEAD_LETTERS, letter);
    }

    @Override
    public void profileWrite(ProfileWrite write) {
        output(OutputTags.PROFILE_WRITES, write);
    }

    @Override
    public void capRequest(CapRequest request) {
        output(OutputTags.CAP_REQUESTS, request);
    }

    @Override
    public void experimentRequest(ExperimentRequest request) {
        output(OutputTags.EXPERIMENT_REQUESTS, request);
    }

    @Override
    public void engagement(EngagementCount count) {
        output(OutputTags.ENGAGEMENTS, count);
    }
}
