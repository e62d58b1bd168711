package io.journeys.bench;

import java.io.IOException;
import java.io.ObjectOutputStream;
import org.HdrHistogram.Histogram;
import org.apache.flink.api.common.accumulators.Accumulator;

/**
 * Latencies in microseconds as a Flink accumulator: each subtask records its own, and the job's result
 * merges them, so the benchmark reads its percentiles from {@code JobExecutionResult} with no static state
 * shared between the job and its caller.
 */
final class LatencyHistogram implements Accumulator<Long, Histogram> {

    private static final long serialVersionUID = 1L;

    /** Auto-resizing, three significant digits: 1 µs resolution up to 1 ms, 0.1% above. */
    private Histogram histogram = new Histogram(3);

    /** A latency in nanoseconds; the primitive form spares a boxed Long per sample. */
    synchronized void record(long nanos) {
        histogram.recordValue(Math.max(0, nanos / 1_000));
    }

    @Override
    public void add(Long nanos) {
        record(nanos);
    }

    @Override
    public synchronized Histogram getLocalValue() {
        return histogram.copy();
    }

    @Override
    public synchronized void resetLocal() {
        histogram.reset();
    }

    @Override
    public synchronized void merge(Accumulator<Long, Histogram> other) {
        histogram.add(other.getLocalValue());
    }

    @Override
    public synchronized LatencyHistogram clone() {
        LatencyHistogram copy = new LatencyHistogram();
        copy.histogram = histogram.copy();
        return copy;
    }

    /** The task executor's heartbeats serialize accumulators on their own thread while the task records. */
    private synchronized void writeObject(ObjectOutputStream out) throws IOException {
        out.defaultWriteObject();
    }
}
