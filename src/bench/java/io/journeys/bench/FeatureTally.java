package io.journeys.bench;

import io.journeys.avro.ActionRequest;
import io.journeys.avro.DeadLetter;
import io.journeys.avro.StepEvent;
import io.journeys.engine.ErrorCodes;
import io.journeys.engine.StepStatus;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.flink.api.common.JobExecutionResult;
import org.apache.flink.api.common.accumulators.LongCounter;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.functions.RichFilterFunction;

/**
 * What the features did in a throughput or latency run, counted in the job's accumulators from its step events and
 * dead letters (and dropped there), so that no figure is of a feature that never ran: goals converted, experiment
 * arms assigned, actions skipped by a frequency cap or held by quiet hours, instances waiting for a send time,
 * instances ended in error, and dead letters (those of a journey or rule set refused at load, {@code JRN-*}, apart).
 * Plain runs count too, so that both variants do the same work besides the features.
 */
final class FeatureTally {

    /** The counts of one run, by name, in the order {@link #NAMES} gives. */
    record Counts(Map<String, Long> byName) {
        long get(String name) {
            return byName.getOrDefault(name, 0L);
        }
    }

    static final String ENTERED = RuleTally.ENTERED;
    static final String CONVERTED = "converted";
    static final String ASSIGNED = "arms assigned";
    static final String CAPPED = RuleTally.CAPPED;
    static final String HELD = RuleTally.HELD;
    static final String SEND_TIME_WAITS = "send-time waits";
    static final String ERRORS = "errors";
    static final String DEAD_LETTERS = "dead letters";
    static final String REFUSED_DOCUMENTS = "JRN dead letters";
    static final String[] NAMES = {RuleTally.ACTIONS, ENTERED, CONVERTED, ASSIGNED, CAPPED, HELD, SEND_TIME_WAITS,
            ERRORS, DEAD_LETTERS, REFUSED_DOCUMENTS, ExperimentLoop.WINNERS};

    /** How a send-time wait's step event begins its message (SendTimes.describe). */
    private static final String SEND_TIME = "send time ";

    private FeatureTally() {}

    static Counts counts(JobExecutionResult result) {
        Map<String, Long> counts = new LinkedHashMap<>();
        for (String name : NAMES) {
            counts.put(name, RuleTally.count(result, name));
        }
        return new Counts(counts);
    }

    /** What a throughput run must show of the featured journeys: every feature ran. */
    static final String[] EVERY_FEATURE = {CONVERTED, ASSIGNED, SEND_TIME_WAITS};
    /**
     * What a latency run must show: its inputs are sparse (under one per profile at the suite's rate), so that few
     * profiles enter and then buy, but every entry that is not gold reaches the experiment.
     */
    static final String[] EXPERIMENTS = {ASSIGNED};

    /**
     * Refuses a run whose figure would not be of its variant: a document refused at load, an instance in error, or,
     * featured, none of one of the {@code required} counts (e.g. {@link #EVERY_FEATURE}). Caps and quiet hours depend
     * on the hour of the run and each profile's zone: they are printed, not required.
     */
    static void requireValid(BenchJourneys.Variant variant, Counts counts, String... required) {
        if (counts.get(REFUSED_DOCUMENTS) > 0 || counts.get(ERRORS) > 0) {
            throw new IllegalStateException("Expected the " + variant + " journeys to load and run without errors, but"
                    + " found " + counts.byName());
        }
        if (variant == BenchJourneys.Variant.FEATURED) {
            for (String feature : required) {
                if (counts.get(feature) == 0) {
                    throw new IllegalStateException("Expected the featured journeys to have " + feature
                            + ", but found none: " + counts.byName());
                }
            }
        }
    }

    /** Counts entries, conversions, assignments, the rules' skips and holds, send-time waits and errors. */
    static final class Steps extends RichFilterFunction<StepEvent> {
        private transient LongCounter entered;
        private transient LongCounter converted;
        private transient LongCounter assigned;
        private transient LongCounter capped;
        private transient LongCounter held;
        private transient LongCounter sendTimeWaits;
        private transient LongCounter errors;

        @Override
        public void open(OpenContext openContext) {
            entered = counter(ENTERED);
            converted = counter(CONVERTED);
            assigned = counter(ASSIGNED);
            capped = counter(CAPPED);
            held = counter(HELD);
            sendTimeWaits = counter(SEND_TIME_WAITS);
            errors = counter(ERRORS);
        }

        private LongCounter counter(String name) {
            LongCounter counter = new LongCounter();
            getRuntimeContext().addAccumulator(name, counter);
            return counter;
        }

        @Override
        public boolean filter(StepEvent step) {
            String status = step.getStatus();
            String code = step.getErrorCode();
            if (status.equals(StepStatus.ENTERED)) {
                entered.add(1);
            } else if (status.equals(StepStatus.CONVERTED)) {
                converted.add(1);
            } else if (status.equals(StepStatus.ERROR)) {
                errors.add(1);
            } else if (step.getArm() != null) {
                assigned.add(1);
            } else if (ErrorCodes.FREQUENCY_CAPPED.equals(code)) {
                capped.add(1);
            } else if (ErrorCodes.HELD_BY_QUIET_HOURS.equals(code)) {
                held.add(1);
            } else if (status.equals(StepStatus.WAITING) && step.getMessage() != null
                    && step.getMessage().startsWith(SEND_TIME)) {
                sendTimeWaits.add(1);
            }
            return false;
        }
    }

    /** Counts the action requests and passes them on. */
    static final class Actions extends RichFilterFunction<ActionRequest> {
        private transient LongCounter actions;

        @Override
        public void open(OpenContext openContext) {
            actions = new LongCounter();
            getRuntimeContext().addAccumulator(RuleTally.ACTIONS, actions);
        }

        @Override
        public boolean filter(ActionRequest action) {
            actions.add(1);
            return true;
        }
    }

    /** Counts dead letters, and apart those of documents refused at load (JRN-*). */
    static final class DeadLetters extends RichFilterFunction<DeadLetter> {
        private transient LongCounter all;
        private transient LongCounter refusedDocuments;

        @Override
        public void open(OpenContext openContext) {
            all = new LongCounter();
            refusedDocuments = new LongCounter();
            getRuntimeContext().addAccumulator(DEAD_LETTERS, all);
            getRuntimeContext().addAccumulator(REFUSED_DOCUMENTS, refusedDocuments);
        }

        @Override
        public boolean filter(DeadLetter letter) {
            all.add(1);
            if (letter.getErrorCode() != null && letter.getErrorCode().startsWith("JRN-")) {
                refusedDocuments.add(1);
            }
            return false;
        }
    }
}
