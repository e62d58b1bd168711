package io.journeys.bench;

import io.journeys.avro.ActionRequest;
import io.journeys.avro.EngineInput;
import io.journeys.avro.ProfileState;
import io.journeys.avro.RuleLog;
import io.journeys.engine.AvroRecords;
import io.journeys.engine.EngineSettings;
import io.journeys.engine.JourneyProcessor;
import java.io.IOException;
import java.util.HashMap;
import java.util.Map;
import org.apache.flink.api.common.JobExecutionResult;
import org.apache.flink.api.common.accumulators.LongCounter;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.core.memory.DataOutputSerializer;
import org.apache.flink.util.Collector;

/**
 * The engine's journey processor, which also measures each profile's state record after each of its inputs: the
 * bytes Flink's serializer of the record writes (what RocksDB keeps per profile), the bytes of its rule logs
 * among them, and the deliveries and entries those logs hold. The job's accumulators sum the latest figures of
 * every profile, so at the job's end they are the state the run leaves. Only for the untimed runs of the
 * delivery-rules benchmark: the extra read and two encodings per input would weigh on its throughput.
 */
final class StateMeasuringProcessor extends JourneyProcessor {

    private static final long serialVersionUID = 1L;

    /** What is measured of a profile's record; the accumulators sum each over the profiles. */
    enum Measure { PROFILES, BYTES, RULE_LOG_BYTES, DELIVERIES, ENTRIES }

    private transient ValueState<ProfileState> state;
    private transient TypeSerializer<ProfileState> serializer;
    private transient DataOutputSerializer buffer;
    /** The latest figures of each profile of this subtask, by profile id, in the order of {@link Measure}. */
    private transient Map<String, long[]> latest;
    private transient LongCounter[] sums;

    StateMeasuringProcessor(EngineSettings settings) {
        super(settings);
    }

    @Override
    public void open(OpenContext openContext) {
        super.open(openContext);
        // the engine's own state, by its name and type: the keyed backend hands back the state it registered
        state = getRuntimeContext().getState(
                new ValueStateDescriptor<>("profile", AvroRecords.typeInfo(ProfileState.class)));
        serializer = getRuntimeContext().createSerializer(AvroRecords.typeInfo(ProfileState.class));
        buffer = new DataOutputSerializer(4096);
        latest = new HashMap<>();
        sums = new LongCounter[Measure.values().length];
        for (Measure measure : Measure.values()) {
            sums[measure.ordinal()] = new LongCounter();
            getRuntimeContext().addAccumulator(name(measure), sums[measure.ordinal()]);
        }
    }

    @Override
    public void processElement(EngineInput input, ReadOnlyContext ctx, Collector<ActionRequest> out)
            throws Exception {
        super.processElement(input, ctx, out);
        long[] now = measure(state.value());
        long[] before = now == null ? latest.remove(ctx.getCurrentKey()) : latest.put(ctx.getCurrentKey(), now);
        for (int i = 0; i < sums.length; i++) {
            sums[i].add((now == null ? 0 : now[i]) - (before == null ? 0 : before[i]));
        }
    }

    /** The figures of one record; null when the profile keeps no state. */
    private long[] measure(ProfileState record) throws IOException {
        if (record == null) {
            return null;
        }
        long[] figures = new long[Measure.values().length];
        figures[Measure.PROFILES.ordinal()] = 1;
        long bytes = bytes(record);
        figures[Measure.BYTES.ordinal()] = bytes;
        for (RuleLog log : record.getRuleLogs().values()) {
            figures[Measure.DELIVERIES.ordinal()] += log.getDeliveries().size();
            figures[Measure.ENTRIES.ordinal()] += log.getEntries().size();
        }
        if (!record.getRuleLogs().isEmpty()) {
            // the record is a copy the backend decoded for this read: emptying its logs changes no state
            record.setRuleLogs(Map.of());
            figures[Measure.RULE_LOG_BYTES.ordinal()] = bytes - bytes(record);
        }
        return figures;
    }

    private long bytes(ProfileState record) throws IOException {
        buffer.clear();
        serializer.serialize(record, buffer);
        return buffer.length();
    }

    static String name(Measure measure) {
        return "state-" + measure.name().toLowerCase();
    }

    /** A measure summed over the profiles a finished job left state for. */
    static long sum(JobExecutionResult result, Measure measure) {
        Long sum = result.getAccumulatorResult(name(measure));
        return sum == null ? 0 : sum;
    }
}
