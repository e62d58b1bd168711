package io.journeys.engine;

import io.journeys.avro.ActionRequest;
import io.journeys.avro.DeferredEntry;
import io.journeys.avro.EngineInput;
import io.journeys.avro.EventHistory;
import io.journeys.avro.PendingInputs;
import java.time.Instant;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.TimerService;
import org.apache.flink.streaming.api.functions.co.KeyedBroadcastProcessFunction;
import org.apache.flink.util.Collector;
import org.apache.flink.util.OutputTag;

/**
 * The one keyed operator that owns all per-profile journey state (keyed by profile id): a thin adapter
 * between Flink and the engine. Each input, broadcast definition and timer becomes a unit of work for one
 * profile ({@link ProfileUnit}: one state read, at most one write, one Flink timer per profile), handed to
 * the behaviour that handles it ({@link Dispatcher}, {@link Definitions}, {@link EventTimeBuffer}), and
 * flushed once. Action requests go to the main output; step events, profile writes and dead letters to
 * side outputs.
 */
public class JourneyProcessor extends KeyedBroadcastProcessFunction<String, EngineInput, String, ActionRequest> {

    /** The broadcast state of the published definitions (see {@link Definitions#STATE}). */
    public static final MapStateDescriptor<String, String> DEFINITIONS = Definitions.STATE;

    private final EngineSettings settings;

    private transient ProfileUnit.Shared shared;
    private transient Definitions definitions;
    private transient Dispatcher dispatcher;
    private transient EventTimeBuffer buffer;
    private transient EngineMetrics metrics;

    public JourneyProcessor(EngineSettings settings) {
        this.settings = settings;
    }

    @Override
    public void open(OpenContext openContext) {
        GuardRails guardRails = settings.guardRails();
        JourneyCatalog catalog = JourneyCatalog.of(settings.journeys(), guardRails.maxStepsPerJourney());
        RecentEventHistory history = new RecentEventHistory(getRuntimeContext().getState(
                new ValueStateDescriptor<>("event-history", AvroRecords.typeInfo(EventHistory.class))),
                guardRails.maxEventHistory());
        dispatcher = new Dispatcher(catalog, guardRails,
                new EntryRateLimiter(getRuntimeContext().getTaskInfo().getNumberOfParallelSubtasks()),
                getRuntimeContext().getMapState(new MapStateDescriptor<>("deferred-entries", Types.STRING,
                        AvroRecords.typeInfo(DeferredEntry.class))),
                history);
        buffer = new EventTimeBuffer(getRuntimeContext().getMapState(
                new MapStateDescriptor<>("pending", Types.LONG, AvroRecords.typeInfo(PendingInputs.class))));
        SendTimes sendTimes = new SendTimes(settings.inlineCalls() != null, settings.engagements());
        ExperimentWinners winners = new ExperimentWinners();
        definitions = new Definitions(catalog, guardRails.maxStepsPerJourney(), settings.timeMode(), sendTimes,
                winners);
        metrics = new EngineMetrics(getRuntimeContext().getMetricGroup(), settings.inlineCalls() != null);
        InlineCaps inlineCaps = null;
        InlineExperiments inlineExperiments = null;
        if (settings.inlineCalls() != null) {
            settings.inlineCalls().open();
            inlineCaps = new InlineCaps();
            inlineExperiments = new InlineExperiments();
        }
        shared = new ProfileUnit.Shared(getRuntimeContext().getState(ProfileRecord.stateDescriptor()), catalog, history,
                settings.inlineCalls(), inlineCaps, inlineExperiments, settings.timeMode(), dispatcher.entries(),
                sendTimes, winners);
    }

    @Override
    public void processBroadcastElement(String document, Context ctx, Collector<ActionRequest> out) throws Exception {
        definitions.publish(document, Instant.ofEpochMilli(ctx.currentProcessingTime()),
                ctx.getBroadcastState(DEFINITIONS), ctx::applyToKeyedState, emitter(ctx::output, out));
    }

    @Override
    public void processElement(EngineInput input, ReadOnlyContext ctx, Collector<ActionRequest> out)
            throws Exception {
        definitions.restore(ctx.getBroadcastState(DEFINITIONS).immutableEntries());
        ProfileUnit unit = unit(ctx.getCurrentKey(), ctx.timerService(), emitter(ctx::output, out));
        if (settings.timeMode() == TimeMode.PROCESSING_TIME) {
            long now = ctx.timerService().currentProcessingTime();
            dispatcher.handle(input, Instant.ofEpochMilli(now), unit);
            unit.flush(now);
            return;
        }
        long watermark = ctx.timerService().currentWatermark();
        if (input.getTimestamp() <= watermark) {
            unit.emitter().deadLetter(DeadLetters.lateInput(input, watermark));
            return;
        }
        if (input.getTimestamp() > settings.horizon()) {
            return; // beyond the simulated period
        }
        buffer.hold(input, unit);
        unit.flush(watermark);
    }

    @Override
    public void onTimer(long timestamp, OnTimerContext ctx, Collector<ActionRequest> out) throws Exception {
        if (timestamp > settings.horizon()) {
            return;
        }
        definitions.restore(ctx.getBroadcastState(DEFINITIONS).immutableEntries());
        ProfileUnit unit = unit(ctx.getCurrentKey(), ctx.timerService(), emitter(ctx::output, out));
        dispatcher.fire(timestamp, unit, buffer);
        unit.flush(timestamp);
    }

    private ProfileUnit unit(String profileId, TimerService timers, Emitter emitter) {
        return new ProfileUnit(profileId, shared, timers, emitter);
    }

    /** A side output of whichever function context is at hand. */
    @FunctionalInterface
    private interface SideOutput {
        void output(OutputTag<Object> tag, Object value);
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    private Emitter emitter(SideOutput sideOutput, Collector<ActionRequest> out) {
        Emitter emitter = new ContextEmitter(out) {
            @Override
            <X> void output(OutputTag<X> tag, X value) {
                sideOutput.output((OutputTag) tag, value);
            }
        };
        JourneyCatalog catalog = shared.catalog();
        return metrics.counting(emitter, (event, stepId) -> {
            CompiledJourney journey = catalog.version(event.getJourneyId(), event.getJourneyVersion());
            return journey == null ? null : journey.journey().steps().get(stepId);
        });
    }
}
