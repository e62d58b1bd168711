package io.journeys.bench;

import java.time.Duration;
import org.apache.flink.api.common.accumulators.LongMaximum;
import org.apache.flink.api.common.accumulators.LongMinimum;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.runtime.state.FunctionInitializationContext;
import org.apache.flink.runtime.state.FunctionSnapshotContext;
import org.apache.flink.streaming.api.checkpoint.CheckpointedFunction;
import org.apache.flink.streaming.api.functions.ProcessFunction;
import org.apache.flink.util.Collector;

/**
 * The end of a latency benchmark's job: takes the generation time ({@link System#nanoTime()}) of each
 * sample and records how long ago that was into accumulators, which the job's result merges. The
 * MiniCluster runs in the benchmark's JVM, so the source's and this operator's clocks are the same.
 *
 * <p>Samples generated in the first {@code warmUp} after this subtask's first sample are not counted
 * (class loading, JIT, RocksDB's first writes). Samples that arrive within {@code afterCheckpoint} of this
 * subtask's last checkpoint are also recorded apart, so that a checkpoint's cost can be told from the rest;
 * and the worst latency of each second goes into a timeline beside the seconds in which checkpoints were taken.
 */
final class LatencyRecorder extends ProcessFunction<Long, Void> implements CheckpointedFunction {

    static final String LATENCY = "latency";
    static final String AFTER_CHECKPOINT = "latency-after-checkpoint";
    static final String FIRST_SENT = "first-sent-at";
    static final String LAST_SENT = "last-sent-at";
    static final String TIMELINE = "latency-timeline";

    private final long warmUpNanos;
    private final long afterCheckpointNanos;

    private transient LatencyHistogram latency;
    private transient LatencyHistogram afterCheckpoint;
    private transient LongMinimum firstSent;
    private transient LongMaximum lastSent;
    private transient LatencyTimeline timeline;
    private transient boolean started;
    private transient long firstSentAt;
    private transient long lastCheckpoint;

    LatencyRecorder(Duration warmUp, Duration afterCheckpoint) {
        this.warmUpNanos = warmUp.toNanos();
        this.afterCheckpointNanos = afterCheckpoint.toNanos();
    }

    @Override
    public void open(OpenContext openContext) {
        latency = new LatencyHistogram();
        afterCheckpoint = new LatencyHistogram();
        firstSent = new LongMinimum();
        lastSent = new LongMaximum();
        timeline = new LatencyTimeline();
        getRuntimeContext().addAccumulator(LATENCY, latency);
        getRuntimeContext().addAccumulator(AFTER_CHECKPOINT, afterCheckpoint);
        getRuntimeContext().addAccumulator(FIRST_SENT, firstSent);
        getRuntimeContext().addAccumulator(LAST_SENT, lastSent);
        getRuntimeContext().addAccumulator(TIMELINE, timeline);
        // no checkpoint yet: nothing counts as just after one
        lastCheckpoint = Long.MIN_VALUE / 2;
    }

    @Override
    public void processElement(Long sentAt, Context ctx, Collector<Void> out) {
        long now = System.nanoTime(); // benchmark timing, not engine logic
        firstSent.add(sentAt);
        lastSent.add(sentAt);
        if (!started) {
            // generation times anchor the warm-up: a sample that arrives late is still a late sample
            started = true;
            firstSentAt = sentAt;
        }
        long nanos = now - sentAt;
        timeline.record(second(now), nanos);
        if (sentAt - firstSentAt < warmUpNanos) {
            return;
        }
        latency.record(nanos);
        if (now - lastCheckpoint < afterCheckpointNanos) {
            afterCheckpoint.record(nanos);
        }
    }

    /**
     * Called in the synchronous phase of a checkpoint of this task, the same phase in which the chained keyed
     * operator snapshots RocksDB: records that the checkpoint delays arrive after this.
     */
    @Override
    public void snapshotState(FunctionSnapshotContext context) {
        lastCheckpoint = System.nanoTime();
        if (started) {
            timeline.checkpoint(second(lastCheckpoint));
        }
    }

    /** Seconds since the first sample was generated, for the timeline. */
    private int second(long nanoTime) {
        return (int) Math.max(0, (nanoTime - firstSentAt) / 1_000_000_000L);
    }

    @Override
    public void initializeState(FunctionInitializationContext context) {
        // nothing to restore: a benchmark run never recovers (restart-strategy none)
    }
}
