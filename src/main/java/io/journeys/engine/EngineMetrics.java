package io.journeys.engine;

import io.journeys.avro.ActionRequest;
import io.journeys.avro.CapRequest;
import io.journeys.avro.ExperimentRequest;
import io.journeys.avro.DeadLetter;
import io.journeys.avro.ProfileWrite;
import io.journeys.avro.StepEvent;
import io.journeys.dsl.Step;
import io.journeys.dsl.StepType;
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
 *   <li>{@code journey.<id>.waiting}: instances parked now in a wait, an await, or a call or cap waiting for
 *       its answer (up and down);</li>
 *   <li>{@code journey.<id>.step.<step>.<status>}: step events by step and status;</li>
 *   <li>{@code journey.<id>.actions.<channel>}: action requests by channel;</li>
 *   <li>{@code journey.<id>.profileWrites}; {@code deadLetters.<code>}: dead letters by error code.</li>
 * </ul>
 * "journey" and "step" are key-value groups, so reporters such as Prometheus get them as labels.
 */
final class EngineMetrics {

    private final MetricGroup group;
    private final boolean callsAnswerInLine;
    private final Map<String, JourneyCounters> journeys = new HashMap<>();
    private final Map<String, Counter> deadLetters = new HashMap<>();

    EngineMetrics(MetricGroup group) {
        this(group, false);
    }

    /** @param callsAnswerInLine in simulation, call and cap steps are answered at once and never park */
    EngineMetrics(MetricGroup group, boolean callsAnswerInLine) {
        this.group = group;
        this.callsAnswerInLine = callsAnswerInLine;
    }

    /** Wraps an emitter so that everything it emits is counted; {@code stepOf} finds a step of a journey version. */
    Emitter counting(Emitter emitter, BiFunction<StepEvent, String, Step> stepOf) {
        return new Emitter() {
            @Override
            public void action(ActionRequest request) {
                journey(request.getJourneyId()).action(request.getChannel()).inc();
                emitter.action(request);
            }

            @Override
            public void step(StepEvent event) {
                countStep(event, stepOf);
                emitter.step(event);
            }

            @Override
            public void deadLetter(DeadLetter letter) {
                deadLetters.computeIfAbsent(letter.getErrorCode(),
                        code -> group.addGroup("deadLetters").counter(code)).inc();
                emitter.deadLetter(letter);
            }

            @Override
            public void profileWrite(ProfileWrite write) {
                journey(write.getJourneyId()).counter("profileWrites").inc();
                emitter.profileWrite(write);
            }

            @Override
            public void capRequest(CapRequest request) {
                emitter.capRequest(request);
            }

            @Override
            public void experimentRequest(ExperimentRequest request) {
                emitter.experimentRequest(request);
            }

            @Override
            public void engagement(io.journeys.avro.EngagementCount count) {
                emitter.engagement(count);
            }
        };
    }

    private void countStep(StepEvent event, BiFunction<StepEvent, String, Step> stepOf) {
        JourneyCounters journey = journey(event.getJourneyId());
        String status = event.getStatus();
        if (status.equals(StepStatus.CONVERTED)) {
            // a conversion counts by goal, and moves no instance
            journey.conversions(event.getGoal()).inc();
            return;
        }
        journey.step(event.getStepId(), status).inc();
        switch (status) {
            case StepStatus.ENTERED -> journey.counter("entered").inc();
            case StepStatus.COMPLETED -> journey.counter("completed").inc();
            case StepStatus.EXITED -> journey.counter("exited").inc();
            case StepStatus.TIMED_OUT -> journey.counter("timedOut").inc();
            case StepStatus.ERROR -> journey.counter("errors").inc();
            default -> { }
        }
        if (status.equals(StepStatus.WAITING)) {
            journey.counter("waiting").inc();
        } else if (mayLeaveAParkedStep(event) && leftAParkedStep(stepOf.apply(event, event.getStepId()), event)) {
            journey.counter("waiting").dec();
        }
    }

    /**
     * False when no step type could make {@code event} leave a parked step, which spares most step events the
     * look-up of their step: an instance entering a step, or running through it without an error, was not
     * parked in it.
     */
    private static boolean mayLeaveAParkedStep(StepEvent event) {
        String status = event.getStatus();
        return !status.equals(StepStatus.ENTERED)
                && !(status.equals(StepStatus.EXECUTED) && event.getErrorCode() == null);
    }

    /**
     * Whether the instance was parked in {@code step} until this event: it resumed, or ended there (exited,
     * timed out, error), or an await's filter failed and it went on to onError. A wait whose {@code until}
     * is already past, or fails, runs through without parking.
     */
    private boolean leftAParkedStep(Step step, StepEvent event) {
        if (step == null) {
            return false;
        }
        String status = event.getStatus();
        return switch (step.type()) {
            case WAIT, AWAIT -> !status.equals(StepStatus.EXECUTED) ? !status.equals(StepStatus.ENTERED)
                    : step.type() == StepType.AWAIT && event.getErrorCode() != null;
            // a call parks once its request is out: failures before that (unknown action, a param) do not count
            case CALL -> !callsAnswerInLine && (status.equals(StepStatus.RESUMED) || status.equals(StepStatus.EXITED)
                    || status.equals(StepStatus.TIMED_OUT) || ErrorCodes.CALL_FAILED.equals(event.getErrorCode())
                    || ErrorCodes.CALL_TIMED_OUT.equals(event.getErrorCode()));
            case CAP, EXPERIMENT -> !callsAnswerInLine && !status.equals(StepStatus.ENTERED) && !status.equals(StepStatus.WAITING)
                    && !status.equals(StepStatus.EXECUTED);
            default -> false;
        };
    }

    private JourneyCounters journey(String journeyId) {
        JourneyCounters counters = journeys.get(journeyId);
        if (counters == null) {
            counters = new JourneyCounters(group.addGroup("journey", journeyId));
            journeys.put(journeyId, counters);
        }
        return counters;
    }

    /**
     * The counters of one journey, created on first use and found by plain map look-ups: their names are
     * literals, whose hash codes are cached, and no key string is built per event. A look-up that finds its
     * counter allocates nothing (no capturing lambda per event: this runs for every step event).
     */
    private static final class JourneyCounters {
        private final MetricGroup group;
        private final Map<String, Counter> counters = new HashMap<>();
        private final Map<String, Counter> actions = new HashMap<>();
        private final Map<String, Map<String, Counter>> steps = new HashMap<>();
        private final Map<String, Counter> conversions = new HashMap<>();

        JourneyCounters(MetricGroup group) {
            this.group = group;
        }

        Counter counter(String name) {
            Counter counter = counters.get(name);
            if (counter == null) {
                counter = group.counter(name);
                counters.put(name, counter);
            }
            return counter;
        }

        Counter action(String channel) {
            Counter counter = actions.get(channel);
            if (counter == null) {
                counter = group.addGroup("actions").counter(channel);
                actions.put(channel, counter);
            }
            return counter;
        }

        Counter conversions(String goalId) {
            return conversions.computeIfAbsent(goalId, g -> group.addGroup("goal", g).counter("converted"));
        }

        Counter step(String stepId, String status) {
            Map<String, Counter> byStatus = steps.get(stepId);
            if (byStatus == null) {
                byStatus = new HashMap<>();
                steps.put(stepId, byStatus);
            }
            Counter counter = byStatus.get(status);
            if (counter == null) {
                counter = group.addGroup("step", stepId).counter(status);
                byStatus.put(status, counter);
            }
            return counter;
        }
    }
}
