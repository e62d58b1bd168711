package io.journeys.engine;

import io.journeys.avro.ActionRequest;
import io.journeys.avro.CapRequest;
import io.journeys.avro.ExperimentRequest;
import io.journeys.avro.DeadLetter;
import io.journeys.avro.EngagementCount;
import io.journeys.avro.ProfileWrite;
import io.journeys.avro.StepEvent;

/** Where the engine's records go: the Flink function routes them to its main and side outputs. */
interface Emitter {

    void action(ActionRequest request);

    void step(StepEvent event);

    void deadLetter(DeadLetter letter);

    void profileWrite(ProfileWrite write);

    /** A profile reached a cap step: the job's counter of that step decides. */
    void capRequest(CapRequest request);

    /** An assignment to, or a conversion of, an experiment step: the job's counter of that step counts it. */
    void experimentRequest(ExperimentRequest request);

    /** An engagement of a profile (Kafka job only): the job's population model of send times counts it. */
    void engagement(EngagementCount count);
}
