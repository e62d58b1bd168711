package io.journeys.job;

import io.journeys.avro.EngagementCount;
import io.journeys.avro.PopulationCounts;
import io.journeys.avro.PopulationSnapshot;
import io.journeys.avro.ZonePopulationCounts;
import io.journeys.engine.AvroRecords;
import io.journeys.sendtime.PopulationHours;
import io.journeys.sendtime.SendTimeChooser;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;

/**
 * The population model of send times in the Kafka job (keyed by engagement kind): counts every profile's
 * engagements, from every subtask of the journeys operator, by local hour of the week, decaying with the
 * chooser's half-life, everyone's (value state, as before zones) and per zone of the profiles (map state, zone →
 * counts: an engagement rewrites its zone's entry only), and publishes a snapshot of everyone's and of each zone
 * that changed at most every {@code publishEvery} (processing time). Snapshots go to a compacted topic (key: the
 * kind, and {@code @zone} for a zone's) the job reads back on the definitions' broadcast, so every subtask
 * chooses by the whole population, and a restart finds the latest there or in the broadcast state.
 */
public final class PopulationCounter extends KeyedProcessFunction<String, EngagementCount, PopulationSnapshot> {

    private static final Duration HALF_LIFE = SendTimeChooser.Settings.DEFAULT.halfLife();

    private final long publishEveryMillis;
    private transient ValueState<PopulationCounts> counts;
    private transient MapState<String, ZonePopulationCounts> zones;

    public PopulationCounter(Duration publishEvery) {
        this.publishEveryMillis = publishEvery.toMillis();
    }

    @Override
    public void open(OpenContext openContext) {
        counts = getRuntimeContext().getState(new ValueStateDescriptor<>("population",
                AvroRecords.typeInfo(PopulationCounts.class)));
        // added with zones: a savepoint from before restores it empty, and zones fill as engagements come
        zones = getRuntimeContext().getMapState(new MapStateDescriptor<>("population-zones", Types.STRING,
                AvroRecords.typeInfo(ZonePopulationCounts.class)));
    }

    /** The key of a snapshot on the population topic: the kind, and {@code @zone} for a zone's. */
    public static String keyOf(PopulationSnapshot snapshot) {
        return snapshot.getZone().isEmpty() ? snapshot.getKind() : snapshot.getKind() + "@" + snapshot.getZone();
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
        if (!count.getZone().isEmpty()) {
            ZonePopulationCounts zone = zones.get(count.getZone());
            PopulationHours zoneHours = zone == null ? new PopulationHours()
                    : hoursOf(zone.getWeights(), zone.getAsOf());
            zoneHours.add(count.getHourOfWeek(), count.getAt(), 1.0, HALF_LIFE);
            zones.put(count.getZone(), new ZonePopulationCounts(weightsOf(zoneHours), zoneHours.asOf(), true));
        }
    }

    @Override
    public void onTimer(long timestamp, OnTimerContext ctx, Collector<PopulationSnapshot> out) throws Exception {
        PopulationCounts current = counts.value();
        if (current == null || current.getPublishAt() != timestamp) {
            return;
        }
        if (current.getChanged()) {
            out.collect(new PopulationSnapshot(ctx.getCurrentKey(), current.getAsOf(), current.getWeights(), ""));
        }
        List<Map.Entry<String, ZonePopulationCounts>> changed = new ArrayList<>();
        for (Map.Entry<String, ZonePopulationCounts> zone : zones.entries()) {
            if (zone.getValue().getChanged()) {
                changed.add(Map.entry(zone.getKey(), zone.getValue()));
            }
        }
        for (Map.Entry<String, ZonePopulationCounts> zone : changed) {
            ZonePopulationCounts kept = zone.getValue();
            out.collect(new PopulationSnapshot(ctx.getCurrentKey(), kept.getAsOf(), kept.getWeights(), zone.getKey()));
            kept.setChanged(false);
            zones.put(zone.getKey(), kept);
        }
        current.setChanged(false);
        current.setPublishAt(0L);
        counts.update(current);
    }

    private static PopulationHours hoursOf(PopulationCounts kept) {
        return kept == null ? new PopulationHours() : hoursOf(kept.getWeights(), kept.getAsOf());
    }

    private static PopulationHours hoursOf(List<Double> kept, long asOf) {
        return PopulationHours.of(kept.stream().mapToDouble(Double::doubleValue).toArray(), asOf);
    }

    private static List<Double> weightsOf(PopulationHours hours) {
        double[] weights = hours.weightsAt(java.time.Instant.ofEpochMilli(hours.asOf()), HALF_LIFE);
        return java.util.Arrays.stream(weights).boxed().toList();
    }
}
