package io.journeys.bench;

import io.journeys.avro.ExperimentWinner;
import io.journeys.avro.RawRecord;
import io.journeys.job.OutputJson;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.apache.flink.api.common.accumulators.LongCounter;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.functions.RichFilterFunction;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.functions.ProcessFunction;
import org.apache.flink.util.Collector;
import org.apache.flink.util.OutputTag;

/**
 * The way back of the experiment counters' winners in a benchmark job: the Kafka job writes them to
 * {@code experiment-winners} and reads them back on the definitions' broadcast, a loop a DataStream job cannot
 * draw (Flink 2 has no iterations). The benchmark's local cluster runs in one JVM, so the counter's winners go into
 * a queue of this JVM ({@link Out}) and the generated source's subtasks, which run in the same chain as the
 * generator, take them out between two generated inputs ({@link In}) onto a side output that joins the
 * definitions, as the documents the Kafka job reads. Only for the benchmark's local cluster: on a real one each
 * TaskManager has its own JVM.
 */
final class ExperimentLoop {

    static final String WINNERS = "experiment winners";

    /** The winners' documents, from {@link In}, for the definitions' stream. */
    static final OutputTag<String> DOCUMENTS = new OutputTag<>("experiment-winners", Types.STRING);

    private static final Map<String, Queue<String>> QUEUES = new ConcurrentHashMap<>();

    private ExperimentLoop() {}

    /** A new loop's name, for {@link In} and {@link Out}; {@link #close} when its job has ended. */
    static String open(String name) {
        QUEUES.put(name, new ConcurrentLinkedQueue<>());
        return name;
    }

    static void close(String name) {
        QUEUES.remove(name);
    }

    private static Queue<String> queue(String name) {
        Queue<String> queue = QUEUES.get(name);
        if (queue == null) {
            throw new IllegalStateException("Expected experiment loop " + name + " to be open");
        }
        return queue;
    }

    /** Puts each winner in the loop's queue, as the document the Kafka job would read from experiment-winners. */
    static final class Out extends RichFilterFunction<ExperimentWinner> {
        private final String name;
        private transient Queue<String> queue;

        Out(String name) {
            this.name = name;
        }

        @Override
        public void open(OpenContext openContext) {
            queue = queue(name);
        }

        @Override
        public boolean filter(ExperimentWinner winner) {
            queue.add(OutputJson.winner(winner));
            return false;
        }
    }

    /** Passes each generated input on, and the winners waiting in the loop's queue to {@link #DOCUMENTS}. */
    static final class In extends ProcessFunction<RawRecord, RawRecord> {
        private final String name;
        private transient Queue<String> queue;
        private transient LongCounter winners;

        In(String name) {
            this.name = name;
        }

        @Override
        public void open(OpenContext openContext) {
            queue = queue(name);
            winners = new LongCounter();
            getRuntimeContext().addAccumulator(WINNERS, winners);
        }

        @Override
        public void processElement(RawRecord input, Context ctx, Collector<RawRecord> out) {
            out.collect(input);
            String winner;
            while ((winner = queue.poll()) != null) {
                ctx.output(DOCUMENTS, winner);
                winners.add(1);
            }
        }
    }
}
