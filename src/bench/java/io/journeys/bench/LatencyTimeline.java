package io.journeys.bench;

import java.io.IOException;
import java.io.ObjectOutputStream;
import java.io.Serializable;
import java.util.Arrays;
import org.apache.flink.api.common.accumulators.Accumulator;

/**
 * The worst latency of each second of a run and the seconds in which a checkpoint was taken, as a Flink
 * accumulator: percentiles say how bad the tail is, this says when it happens.
 */
final class LatencyTimeline implements Accumulator<long[], LatencyTimeline.Seconds> {

    private static final long serialVersionUID = 1L;

    /** Per second since the first sample: the worst latency in microseconds, and whether a checkpoint was taken. */
    record Seconds(long[] maxMicros, boolean[] checkpoints) implements Serializable {}

    private long[] maxMicros = new long[0];
    private boolean[] checkpoints = new boolean[0];

    synchronized void record(int second, long nanos) {
        grow(second);
        maxMicros[second] = Math.max(maxMicros[second], nanos / 1_000);
    }

    synchronized void checkpoint(int second) {
        grow(second);
        checkpoints[second] = true;
    }

    private void grow(int second) {
        if (second >= maxMicros.length) {
            maxMicros = Arrays.copyOf(maxMicros, second + 60);
            checkpoints = Arrays.copyOf(checkpoints, second + 60);
        }
    }

    /** A second and a latency in nanoseconds; {@link #record} spares the array. */
    @Override
    public void add(long[] secondAndNanos) {
        record((int) secondAndNanos[0], secondAndNanos[1]);
    }

    @Override
    public synchronized Seconds getLocalValue() {
        return new Seconds(maxMicros.clone(), checkpoints.clone());
    }

    @Override
    public synchronized void resetLocal() {
        maxMicros = new long[0];
        checkpoints = new boolean[0];
    }

    @Override
    public synchronized void merge(Accumulator<long[], Seconds> other) {
        Seconds seconds = other.getLocalValue();
        for (int s = 0; s < seconds.maxMicros().length; s++) {
            record(s, seconds.maxMicros()[s] * 1_000);
            if (seconds.checkpoints()[s]) {
                checkpoint(s);
            }
        }
    }

    @Override
    public synchronized LatencyTimeline clone() {
        LatencyTimeline copy = new LatencyTimeline();
        copy.maxMicros = maxMicros.clone();
        copy.checkpoints = checkpoints.clone();
        return copy;
    }

    /** The task executor's heartbeats serialize accumulators on their own thread while the task records. */
    private synchronized void writeObject(ObjectOutputStream out) throws IOException {
        out.defaultWriteObject();
    }
}
