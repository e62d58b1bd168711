package io.journeys.bench;

import io.journeys.avro.ActionRequest;
import io.journeys.avro.StepEvent;
import io.journeys.engine.ErrorCodes;
import io.journeys.engine.StepStatus;
import org.apache.flink.api.common.JobExecutionResult;
import org.apache.flink.api.common.accumulators.LongCounter;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.functions.RichFilterFunction;

/**
 * What a delivery-rules run did, counted in the job's accumulators from its outputs (and dropped there): action
 * requests sent, instances entered, and the step events of the rules (an action capped, an action held by quiet
 * hours, an entry refused). Plain runs count too, so that both runs do the same work besides the rules.
 */
final class RuleTally {

    static final String ACTIONS = "actions";
    static final String ENTERED = "entered";
    static final String CAPPED = ErrorCodes.FREQUENCY_CAPPED;
    static final String HELD = ErrorCodes.HELD_BY_QUIET_HOURS;
    static final String REFUSED = ErrorCodes.ENTRY_CAPPED;

    private RuleTally() {}

    static long count(JobExecutionResult result, String name) {
        Long count = result.getAccumulatorResult(name);
        return count == null ? 0 : count;
    }

    /** Counts the action requests; keeps none. */
    static final class Actions extends RichFilterFunction<ActionRequest> {
        private transient LongCounter actions;

        @Override
        public void open(OpenContext openContext) {
            actions = new LongCounter();
            getRuntimeContext().addAccumulator(ACTIONS, actions);
        }

        @Override
        public boolean filter(ActionRequest action) {
            actions.add(1);
            return false;
        }
    }

    /** Counts entries and the rules' step events; keeps none. */
    static final class Steps extends RichFilterFunction<StepEvent> {
        private transient LongCounter entered;
        private transient LongCounter capped;
        private transient LongCounter held;
        private transient LongCounter refused;

        @Override
        public void open(OpenContext openContext) {
            entered = counter(ENTERED);
            capped = counter(CAPPED);
            held = counter(HELD);
            refused = counter(REFUSED);
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
            } else if (code != null) {
                if (code.equals(CAPPED)) {
                    capped.add(1);
                } else if (code.equals(HELD)) {
                    held.add(1);
                } else if (code.equals(REFUSED)) {
                    refused.add(1);
                }
            }
            return false;
        }
    }
}
