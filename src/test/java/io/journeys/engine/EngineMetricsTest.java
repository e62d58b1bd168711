package io.journeys.engine;

import static org.assertj.core.api.Assertions.assertThat;

import io.journeys.avro.ActionRequest;
import io.journeys.avro.DeadLetter;
import io.journeys.avro.ProfileWrite;
import io.journeys.avro.StepEvent;
import io.journeys.dsl.JourneyParser;
import io.journeys.dsl.Journey;
import java.util.Map;
import java.util.TreeMap;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.MetricGroup;
import org.apache.flink.metrics.SimpleCounter;
import org.apache.flink.metrics.groups.UnregisteredMetricsGroup;
import org.junit.jupiter.api.Test;

/** The metrics the engine counts from what it emits, by their documented names. */
class EngineMetricsTest {

    private static final Journey WELCOME = JourneyParser.parse("""
            {"id": "welcome", "version": 1, "entry": {"type": "event", "event": "signup"}, "start": "send",
             "steps": {"send": {"type": "action", "channel": "email", "template": "t", "next": "wait"},
                       "wait": {"type": "wait", "duration": "P1D", "next": "done"},
                       "done": {"type": "end"}}}""").journey();

    private final Map<String, SimpleCounter> counters = new TreeMap<>();

    @Test
    void shouldCountOutcomesWaitingInstancesActionsAndDeadLettersByTheirDocumentedNames() {
        Emitter counted = new EngineMetrics(new RecordingGroup("")).counting(new Discard(),
                (event, stepId) -> WELCOME.steps().get(stepId));

        counted.step(step("p1", "send", StepStatus.ENTERED));
        counted.action(new ActionRequest("r1", "welcome", 1, "i-p1", "send", "p1", "email", "t", "{}", 0L, null));
        counted.step(step("p1", "send", StepStatus.EXECUTED));
        counted.step(step("p1", "wait", StepStatus.WAITING));
        counted.step(step("p2", "wait", StepStatus.WAITING));
        counted.step(step("p1", "wait", StepStatus.RESUMED));
        counted.step(step("p1", "done", StepStatus.COMPLETED));
        counted.step(step("p2", "wait", StepStatus.EXITED));
        counted.deadLetter(new DeadLetter("d1", "INP-001", "bad", "events", null, null, "x", null));
        counted.profileWrite(new ProfileWrite("w1", "p1", "welcome", 1, "i-p1", "set", "{}", 0L));

        assertThat(counts()).containsEntry("journey.welcome.entered", 1L)
                .containsEntry("journey.welcome.completed", 1L)
                .containsEntry("journey.welcome.exited", 1L)
                .containsEntry("journey.welcome.waiting", 0L)
                .containsEntry("journey.welcome.actions.email", 1L)
                .containsEntry("journey.welcome.profileWrites", 1L)
                .containsEntry("journey.welcome.step.wait.waiting", 2L)
                .containsEntry("journey.welcome.step.send.executed", 1L)
                .containsEntry("deadLetters.INP-001", 1L);
    }

    private Map<String, Long> counts() {
        Map<String, Long> counts = new TreeMap<>();
        counters.forEach((name, counter) -> counts.put(name, counter.getCount()));
        return counts;
    }

    private static StepEvent step(String profileId, String stepId, String status) {
        return new StepEvent("e", profileId, "welcome", 1, "i-" + profileId, stepId, status, 0L, null, null, null, null,
                null, null, null, null, null, null);
    }

    /** A metric group that keeps its counters by their dotted names. */
    private final class RecordingGroup extends UnregisteredMetricsGroup {
        private final String prefix;

        RecordingGroup(String prefix) {
            this.prefix = prefix;
        }

        @Override
        public Counter counter(String name) {
            return counters.computeIfAbsent(prefix + name, n -> new SimpleCounter());
        }

        @Override
        public MetricGroup addGroup(String name) {
            return new RecordingGroup(prefix + name + ".");
        }

        @Override
        public MetricGroup addGroup(String key, String value) {
            return new RecordingGroup(prefix + key + "." + value + ".");
        }
    }

    private static final class Discard implements Emitter {
        public void action(ActionRequest request) { }

        public void step(StepEvent event) { }

        public void deadLetter(DeadLetter letter) { }

        public void profileWrite(ProfileWrite write) { }

        public void capRequest(io.journeys.avro.CapRequest request) { }

        public void experimentRequest(io.journeys.avro.ExperimentRequest request) { }

        public void engagement(io.journeys.avro.EngagementCount count) { }
    }
}
