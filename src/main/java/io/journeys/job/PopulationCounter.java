package io.journeys.job;

import io.journeys.avro.EngagementCount;
import io.journeys.avro.PopulationCounts;
import io.journeys.avro.PopulationSnapshot;
import io.journeys.engine.AvroRecords;
import io.journeys.sendtime.HoursOfWeek;
import io.journeys.sendtime.PopulationHours;
import io.journeys.sendtime.SendTimeChooser;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;

/**
 * The population model of send times in the Kafka job (keyed by engagement kind): counts every profile's
 * engagements, from every subtask of the journeys operator, by local hour of the week, decaying with the
 * chooser's half-life, and publishes a snapshot at most every {@code publishEvery} (processing time) when it
 * changed. Snapshots go to a compacted topic the job reads back on the definitions' broadcast, so every subtask
 * chooses by the whole population, and a restart finds the latest there or in the broadcast state.
 */
public final class PopulationCounter extends KeyedProcessFunction<String, EngagementCount, PopulationSnapshot> {

    private static final Duration HALF_LIFE = SendTimeChooser.Settings.DEFAULT.halfLife();

    private final long publishEveryMillis;
    private transient ValueState<PopulationCounts> counts;

    public PopulationCounter(Duration publishEvery) {
        this.publishEveryMillis = publishEvery.toMillis();
    }

    @Override
    public void open(OpenContext openContext) {
        counts = getRuntimeContext().getState(new ValueStateDescriptor<>("population",
                AvroRecords.typeInfo(PopulationCounts.class)));
    }

    @Override
    public void processElement(EngagementCount count, Context ctx, Collector<PopulationSnapshot> out) throws Exception {
        PopulationCounts current = counts.value();
        PopulationHours hours = hoursOf(current);
        hours.add(count.getHourOfWeek(), count.getAt(), 1.0, HALF_LIFE);
        long publishAt = current == null ? 0 : current.getPublishAt();
        if (publishAt == 0) {
            // one timer at a time: a burst of engagements makes one snapshot, not one each
            publishAt = ctx.timerService().currentProcessingTime() + publishEveryMillis;
            ctx.timerService().registerProcessingTimeTimer(publishAt);
        }
        counts.update(new PopulationCounts(weightsOf(hours), hours.asOf(), true, publishAt));
    }

    @Override
    public void onTimer(long timestamp, OnTimerContext ctx, Collector<PopulationSnapshot> out) throws Exception {
        PopulationCounts current = counts.value();
        if (current == null || current.getPublishAt() != timestamp) {
            return;
        }
        if (current.getChanged()) {
            out.collect(new PopulationSnapshot(ctx.getCurrentKey(), current.getAsOf(), current.getWeights()));
        }
        current.setChanged(false);
        current.setPublishAt(0L);
        counts.update(current);
    }

    private static PopulationHours hoursOf(PopulationCounts kept) {
        if (kept == null) {
            return new PopulationHours();
        }
        double[] weights = new double[HoursOfWeek.COUNT];
        for (int h = 0; h < weights.length; h++) {
            weights[h] = kept.getWeights().get(h);
        }
        return PopulationHours.of(weights, kept.getAsOf());
    }

    private static List<Double> weightsOf(PopulationHours hours) {
        double[] weights = hours.weightsAt(java.time.Instant.ofEpochMilli(hours.asOf()), HALF_LIFE);
        List<Double> boxed = new ArrayList<>(HoursOfWeek.COUNT);
        for (double weight : weights) {
            boxed.add(weight);
        }
        return boxed;
    }
}
