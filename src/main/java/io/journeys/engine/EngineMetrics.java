package io.journeys.engine;

import io.journeys.avro.ActionRequest;
import io.journeys.avro.DeadLetter;
import io.journeys.avro.ProfileWrite;
import io.journeys.avro.StepEvent;
import io.journeys.dsl.Step;
import java.util.HashMap;
import java.util.Map;
import java.util.function.BiFunction;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.MetricGroup;

/**
 * The engine's Flink metrics (README, "Metrics"), counted from what the engine emits, per subtask:
 *
 * <ul>
 *   <li>{@code journey.<id>.entered | completed | exited | timedOut | errors}: instances by outcome;</li>
 *   <li>{@code journey.<id>.waiting}: instances parked in a wait or await now (up and down);</li>
 *   <li>{@code journey.<id>.step.<step>.<status>}: step events by step and status;</li>
 *   <li>{@code journey.<id>.actions.<channel>}: action requests by channel;</li>
 *   <li>{@code journey.<id>.profileWrites}; {@code deadLetters.<code>}: dead letters by error code.</li>
 * </ul>
 * "journey" and "step" are key-value groups, so reporters such as Prometheus get them as labels.
 */
final class EngineMetrics {

    private final MetricGroup group;
    private final Map<String, Counter> counters = new HashMap<>();

    EngineMetrics(MetricGroup group) {
        this.group = group;
    }

    /** Wraps an emitter so that everything it emits is counted; {@code stepOf} finds a step of a journey version. */
    Emitter counting(Emitter emitter, BiFunction<StepEvent, String, Step> stepOf) {
        return new Emitter() {
            @Override
            public void action(ActionRequest request) {
                journeyCounter(request.getJourneyId(), "actions", request.getChannel()).inc();
                emitter.action(request);
            }

            @Override
            public void step(StepEvent event) {
                countStep(event, stepOf.apply(event, event.getStepId()));
                emitter.step(event);
            }

            @Override
            public void deadLetter(DeadLetter letter) {
                counter("deadLetters." + letter.getErrorCode(), () -> group.addGroup("deadLetters")
                        .counter(letter.getErrorCode())).inc();
                emitter.deadLetter(letter);
            }

            @Override
            public void profileWrite(ProfileWrite write) {
                journeyCounter(write.getJourneyId(), null, "profileWrites").inc();
                emitter.profileWrite(write);
            }
        };
    }

    private void countStep(StepEvent event, Step step) {
        String journey = event.getJourneyId();
        String status = event.getStatus();
        String key = "journey." + journey + ".step." + event.getStepId() + "." + status;
        counter(key, () -> group.addGroup("journey", journey).addGroup("step", event.getStepId()).counter(status)).inc();
        switch (status) {
            case StepStatus.ENTERED -> journeyCounter(journey, null, "entered").inc();
            case StepStatus.COMPLETED -> journeyCounter(journey, null, "completed").inc();
            case StepStatus.EXITED -> journeyCounter(journey, null, "exited").inc();
            case StepStatus.TIMED_OUT -> journeyCounter(journey, null, "timedOut").inc();
            case StepStatus.ERROR -> journeyCounter(journey, null, "errors").inc();
            default -> { }
        }
        if (status.equals(StepStatus.WAITING)) {
            journeyCounter(journey, null, "waiting").inc();
        } else if (leftAParkedStep(step, event)) {
            journeyCounter(journey, null, "waiting").dec();
        }
    }

    /**
     * Whether the instance was parked in {@code step} until this event: it resumed, or ended there (exited,
     * timed out, error), or an await's filter failed and it went on to onError. A wait whose {@code until}
     * is already past, or fails, runs through without parking.
     */
    private static boolean leftAParkedStep(Step step, StepEvent event) {
        if (step == null || !step.type().waits()) {
            return false;
        }
        if (!event.getStatus().equals(StepStatus.EXECUTED)) {
            return !event.getStatus().equals(StepStatus.ENTERED);
        }
        return step.type() == io.journeys.dsl.StepType.AWAIT && event.getErrorCode() != null;
    }

    private Counter journeyCounter(String journey, String subgroup, String name) {
        String key = "journey." + journey + "." + (subgroup == null ? "" : subgroup + ".") + name;
        return counter(key, () -> {
            MetricGroup journeyGroup = group.addGroup("journey", journey);
            return (subgroup == null ? journeyGroup : journeyGroup.addGroup(subgroup)).counter(name);
        });
    }

    private Counter counter(String key, java.util.function.Supplier<Counter> create) {
        return counters.computeIfAbsent(key, k -> create.get());
    }
}
