package io.journeys.bench;

import io.journeys.avro.InputSource;
import io.journeys.avro.ProfileEvent;
import io.journeys.avro.RawRecord;
import io.journeys.job.OutputJson;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.apache.flink.api.common.accumulators.LongCounter;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.functions.RichFilterFunction;
import org.apache.flink.api.common.functions.RichFlatMapFunction;
import org.apache.flink.util.Collector;

/**
 * The way back of the experiment counters' answers in a benchmark job: the Kafka job writes them to
 * {@code action-results} and reads them back as events, a loop a DataStream job cannot draw (Flink 2 has no
 * iterations). The benchmark's local cluster runs in one JVM, so the counter's answers go into a queue of this
 * JVM ({@link Out}) and the generated source's subtasks, which run in the same chain as the generator, take them
 * out between two generated inputs ({@link In}), as JSON events the job parses like any other. Answers still in
 * the queue when the source ends are dropped (their instances stay in the experiment step, as they would in a
 * job that stopped). Only for the benchmark's local cluster: on a real one each TaskManager has its own JVM.
 */
final class ExperimentLoop {

    static final String ANSWERS = "experiment answers";
    private static final Map<String, Queue<RawRecord>> QUEUES = new ConcurrentHashMap<>();

    private ExperimentLoop() {}

    /** A new loop's name, for {@link In} and {@link Out}; {@link #close} when its job has ended. */
    static String open(String name) {
        QUEUES.put(name, new ConcurrentLinkedQueue<>());
        return name;
    }

    static void close(String name) {
        QUEUES.remove(name);
    }

    private static Queue<RawRecord> queue(String name) {
        Queue<RawRecord> queue = QUEUES.get(name);
        if (queue == null) {
            throw new IllegalStateException("Expected experiment loop " + name + " to be open");
        }
        return queue;
    }

    /** Puts each answer in the loop's queue, as the event the Kafka job would read from action-results. */
    static final class Out extends RichFilterFunction<ProfileEvent> {
        private final String name;
        private transient Queue<RawRecord> queue;

        Out(String name) {
            this.name = name;
        }

        @Override
        public void open(OpenContext openContext) {
            queue = queue(name);
        }

        @Override
        public boolean filter(ProfileEvent answer) {
            queue.add(new RawRecord(InputSource.EVENTS, 0L, OutputJson.event(answer),
                    io.journeys.avro.InputFormat.JSON, null, null, null));
            return false;
        }
    }

    /** Passes each generated input on, then the answers waiting in the loop's queue; counts the answers. */
    static final class In extends RichFlatMapFunction<RawRecord, RawRecord> {
        private final String name;
        private transient Queue<RawRecord> queue;
        private transient LongCounter answers;

        In(String name) {
            this.name = name;
        }

        @Override
        public void open(OpenContext openContext) {
            queue = queue(name);
            answers = new LongCounter();
            getRuntimeContext().addAccumulator(ANSWERS, answers);
        }

        @Override
        public void flatMap(RawRecord input, Collector<RawRecord> out) {
            out.collect(input);
            RawRecord answer;
            while ((answer = queue.poll()) != null) {
                out.collect(answer);
                answers.add(1);
            }
        }
    }
}
