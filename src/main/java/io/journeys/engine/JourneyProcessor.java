package io.journeys.engine;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.journeys.avro.ActionRequest;
import io.journeys.avro.DeadLetter;
import io.journeys.avro.EngineInput;
import io.journeys.avro.EntryHistory;
import io.journeys.avro.InstanceState;
import io.journeys.avro.PendingInputs;
import io.journeys.avro.ProfileEvent;
import io.journeys.avro.ProfileState;
import io.journeys.avro.ProfileUpdate;
import io.journeys.avro.StepEvent;
import io.journeys.dsl.Journey;
import io.journeys.expr.ExpressionException;
import io.journeys.expr.JsonValues;
import io.journeys.expr.Variables;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.formats.avro.typeutils.AvroTypeInfo;
import org.apache.flink.streaming.api.TimerService;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;

/**
 * The one keyed operator that owns all per-profile journey state (keyed by profile id).
 *
 * <p>It enters profiles into journeys on their events, runs their steps, parks them in waits with one
 * Flink timer per wake-up time, ends them on exit criteria and journey timeouts, and removes the state
 * and timers of every instance that ends. Action requests go to the main output, step events and dead
 * letters to side outputs. In event time, inputs are held until the watermark passes them and then
 * handled in timestamp order, so an unsorted replay gives the same result as a sorted one.
 */
public class JourneyProcessor extends KeyedProcessFunction<String, EngineInput, ActionRequest> {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** Inputs of one instant: profile updates first (they describe the profile as of that instant), then by position. */
    private static final Comparator<EngineInput> INSTANT_ORDER = Comparator
            .comparing((EngineInput input) -> input.getUpdate() == null)
            .thenComparingLong(EngineInput::getSequence);

    private final EngineSettings settings;

    private transient MapState<String, InstanceState> instances;
    private transient ValueState<ProfileState> profile;
    private transient MapState<String, EntryHistory> entries;
    private transient MapState<Long, PendingInputs> pending;
    private transient JourneyCatalog catalog;
    private transient InstanceRunner runner;

    public JourneyProcessor(EngineSettings settings) {
        this.settings = settings;
    }

    @Override
    public void open(OpenContext openContext) {
        instances = getRuntimeContext().getMapState(
                new MapStateDescriptor<>("instances", Types.STRING, new AvroTypeInfo<>(InstanceState.class)));
        profile = getRuntimeContext().getState(
                new ValueStateDescriptor<>("profile", new AvroTypeInfo<>(ProfileState.class)));
        entries = getRuntimeContext().getMapState(
                new MapStateDescriptor<>("entries", Types.STRING, new AvroTypeInfo<>(EntryHistory.class)));
        pending = getRuntimeContext().getMapState(
                new MapStateDescriptor<>("pending", Types.LONG, new AvroTypeInfo<>(PendingInputs.class)));
        catalog = JourneyCatalog.of(settings.journeys());
        runner = new InstanceRunner();
    }

    @Override
    public void processElement(EngineInput input, Context ctx, Collector<ActionRequest> out) throws Exception {
        Emitter emitter = emitter(ctx, out);
        if (settings.timeMode() == TimeMode.PROCESSING_TIME) {
            handle(input, Instant.ofEpochMilli(ctx.timerService().currentProcessingTime()), ctx.timerService(), emitter);
            return;
        }
        long timestamp = input.getTimestamp();
        if (timestamp <= ctx.timerService().currentWatermark()) {
            emitter.deadLetter(lateInput(input, ctx.timerService().currentWatermark()));
            return;
        }
        if (timestamp > settings.horizon()) {
            return; // beyond the simulated period
        }
        PendingInputs batch = pending.get(timestamp);
        if (batch == null) {
            batch = new PendingInputs(new ArrayList<>());
        }
        batch.getInputs().add(input);
        pending.put(timestamp, batch);
        ctx.timerService().registerEventTimeTimer(timestamp);
    }

    @Override
    public void onTimer(long timestamp, OnTimerContext ctx, Collector<ActionRequest> out) throws Exception {
        if (timestamp > settings.horizon()) {
            return;
        }
        Emitter emitter = emitter(ctx, out);
        Instant now = Instant.ofEpochMilli(timestamp);
        // Wake-ups due now fire before inputs of the same instant: a wait of d reached at t is over at t + d.
        fireDueInstances(ctx.getCurrentKey(), now, ctx.timerService(), emitter);
        forgetExpiredEntries(timestamp);
        if (settings.timeMode() == TimeMode.EVENT_TIME) {
            PendingInputs batch = pending.get(timestamp);
            if (batch != null) {
                pending.remove(timestamp);
                List<EngineInput> inputs = new ArrayList<>(batch.getInputs());
                inputs.sort(INSTANT_ORDER);
                for (EngineInput input : inputs) {
                    handle(input, now, ctx.timerService(), emitter);
                }
            }
        }
    }

    private void handle(EngineInput input, Instant now, TimerService timers, Emitter emitter) throws Exception {
        if (input.getUpdate() != null) {
            updateProfile(input.getUpdate());
            return;
        }
        ProfileEvent event = input.getEvent();
        Map<String, Object> payload = JsonValues.objectFromText(event.getData());
        ProfileView view = new ProfileView();
        exitInstances(event, payload, now, view, timers, emitter);
        enterJourneys(event, payload, now, view, timers, emitter);
    }

    // ---- entries ----

    private void enterJourneys(ProfileEvent event, Map<String, Object> payload, Instant now, ProfileView view,
            TimerService timers, Emitter emitter) throws Exception {
        for (String journeyId : catalog.journeysEnteredBy(event.getType())) {
            CompiledJourney journey = catalog.versionForEntry(journeyId, now);
            if (journey == null || instances.contains(journeyId) || !reentryAllows(journey, now)) {
                continue;
            }
            if (!entryFilterHolds(journey, event, payload, now, view, emitter)) {
                continue;
            }
            enter(journey, event, now, view, timers, emitter);
        }
    }

    private boolean reentryAllows(CompiledJourney journey, Instant now) throws Exception {
        EntryHistory history = entries.get(journey.id());
        if (history == null) {
            return true;
        }
        Journey.Reentry reentry = journey.journey().reentry();
        return reentry.allowed()
                && now.toEpochMilli() - history.getLastEntryAt() >= reentry.waitPeriod().toMillis();
    }

    private boolean entryFilterHolds(CompiledJourney journey, ProfileEvent event, Map<String, Object> payload,
            Instant now, ProfileView view, Emitter emitter) throws Exception {
        if (journey.entryWhen() == null) {
            return true;
        }
        Variables variables = Variables.inZone(journey.journey().timeZone())
                .event(event.getType(), Instant.ofEpochMilli(event.getTimestamp()), payload)
                .profile(view.attributes())
                .journey(Map.of("id", journey.id(), "version", (long) journey.version(), "results", Map.of()))
                .now(now);
        try {
            return journey.entryWhen().evaluateBoolean(variables);
        } catch (ExpressionException e) {
            emitter.deadLetter(DeadLetter.newBuilder()
                    .setId(Ids.of("entry", journey.id(), journey.version(), event.getEventId()))
                    .setErrorCode(ErrorCodes.EXPRESSION_FAILED)
                    .setMessage("entry filter of journey " + journey.id() + " v" + journey.version() + ": "
                            + e.getMessage())
                    .setSource("engine")
                    .setProfileId(event.getProfileId())
                    .setPayload(event.toString())
                    .setTimestamp(event.getTimestamp())
                    .build());
            return false;
        }
    }

    private void enter(CompiledJourney journey, ProfileEvent event, Instant now, ProfileView view,
            TimerService timers, Emitter emitter) throws Exception {
        Journey definition = journey.journey();
        long at = now.toEpochMilli();
        InstanceState instance = InstanceState.newBuilder()
                .setJourneyId(journey.id())
                .setJourneyVersion(journey.version())
                .setInstanceId(Ids.of(event.getProfileId(), journey.id(), journey.version(), at, event.getEventId()))
                .setStepId(definition.start())
                .setEnteredAt(at)
                .setStepEnteredAt(at)
                .setWakeAt(0L)
                .setDeadline(at + definition.timeout().toMillis())
                .setVisits(0)
                .setEntryEventId(event.getEventId())
                .setEntryEventType(event.getType())
                .setEntryEventTime(event.getTimestamp())
                .setEntryEventData(event.getData())
                .build();
        Journey.Reentry reentry = definition.reentry();
        entries.put(journey.id(), new EntryHistory(at,
                reentry.allowed() ? at + reentry.waitPeriod().toMillis() : Long.MAX_VALUE));
        StepContext context = new StepContext(event.getProfileId(), journey, instance, now, view::attributes, emitter);
        if (runner.enter(context) == InstanceRunner.Result.PARKED) {
            instances.put(journey.id(), instance);
            register(timers, instance.getWakeAt());
            register(timers, instance.getDeadline());
        } else {
            afterInstanceEnded(instance, now, timers);
        }
    }

    // ---- exits, wake-ups, timeouts ----

    private void exitInstances(ProfileEvent event, Map<String, Object> payload, Instant now, ProfileView view,
            TimerService timers, Emitter emitter) throws Exception {
        for (InstanceState instance : liveInstances()) {
            CompiledJourney journey = catalog.version(instance.getJourneyId(), instance.getJourneyVersion());
            if (journey == null) {
                continue;
            }
            List<Journey.ExitCriterion> exits = journey.journey().exits();
            for (int i = 0; i < exits.size(); i++) {
                if (!exits.get(i).event().equals(event.getType())) {
                    continue;
                }
                StepContext context = new StepContext(event.getProfileId(), journey, instance, now,
                        view::attributes, emitter);
                if (journey.exitWhen(i) != null) {
                    Variables variables = context.variables()
                            .event(event.getType(), Instant.ofEpochMilli(event.getTimestamp()), payload);
                    try {
                        if (!journey.exitWhen(i).evaluateBoolean(variables)) {
                            continue;
                        }
                    } catch (ExpressionException e) {
                        end(instance, context, StepStatus.ERROR, ErrorCodes.EXPRESSION_FAILED,
                                "exit " + i + ": " + e.getMessage(), timers);
                        break;
                    }
                }
                end(instance, context, StepStatus.EXITED, null, "exit criterion " + i + " (" + event.getType() + ")",
                        timers);
                break;
            }
        }
    }

    private void fireDueInstances(String profileId, Instant now, TimerService timers, Emitter emitter) throws Exception {
        long at = now.toEpochMilli();
        ProfileView view = new ProfileView();
        for (InstanceState instance : liveInstances()) {
            boolean timedOut = instance.getDeadline() <= at;
            boolean wakeUpDue = instance.getWakeAt() > 0 && instance.getWakeAt() <= at;
            if (!timedOut && !wakeUpDue) {
                continue;
            }
            CompiledJourney journey = catalog.version(instance.getJourneyId(), instance.getJourneyVersion());
            StepContext context = new StepContext(profileId, journey, instance, now, view::attributes, emitter);
            if (journey == null) {
                end(instance, context, StepStatus.ERROR, ErrorCodes.VERSION_GONE,
                        "Expected journey " + instance.getJourneyId() + " v" + instance.getJourneyVersion()
                                + " to be loaded, but it is not", timers);
            } else if (timedOut) {
                end(instance, context, StepStatus.TIMED_OUT, null, null, timers);
            } else if (runner.wakeUp(context) == InstanceRunner.Result.PARKED) {
                instances.put(instance.getJourneyId(), instance);
                register(timers, instance.getWakeAt());
            } else {
                instances.remove(instance.getJourneyId());
                afterInstanceEnded(instance, now, timers);
            }
        }
    }

    private void end(InstanceState instance, StepContext context, String status, String errorCode, String message,
            TimerService timers) throws Exception {
        if (context.journey() != null) {
            runner.stop(context, status, errorCode, message);
        } else {
            context.emitter().step(stoppedWithoutJourney(instance, context, status, errorCode, message));
        }
        instances.remove(instance.getJourneyId());
        afterInstanceEnded(instance, context.now(), timers);
    }

    /** Releases the timers of an ended instance and forgets its entry once re-entry no longer depends on it. */
    private void afterInstanceEnded(InstanceState instance, Instant now, TimerService timers) throws Exception {
        release(timers, instance.getWakeAt());
        release(timers, instance.getDeadline());
        EntryHistory history = entries.get(instance.getJourneyId());
        if (history == null) {
            return;
        }
        if (history.getForgetAt() <= now.toEpochMilli()) {
            entries.remove(instance.getJourneyId());
        } else {
            register(timers, history.getForgetAt());
        }
    }

    private void forgetExpiredEntries(long now) throws Exception {
        List<String> expired = new ArrayList<>();
        for (Map.Entry<String, EntryHistory> entry : entries.entries()) {
            if (entry.getValue().getForgetAt() <= now && !instances.contains(entry.getKey())) {
                expired.add(entry.getKey());
            }
        }
        for (String journeyId : expired) {
            entries.remove(journeyId);
        }
    }

    // ---- profile ----

    private void updateProfile(ProfileUpdate update) throws Exception {
        ProfileState current = profile.value();
        ObjectNode attributes = current == null ? JSON.createObjectNode() : (ObjectNode) JSON.readTree(current.getAttributes());
        JsonNode changes = JSON.readTree(update.getAttributes());
        changes.fields().forEachRemaining(field -> {
            if (field.getValue().isNull()) {
                attributes.remove(field.getKey());
            } else {
                attributes.set(field.getKey(), field.getValue());
            }
        });
        profile.update(new ProfileState(attributes.toString(), update.getTimestamp()));
    }

    /** The profile's attributes, read and parsed at most once per input. */
    private final class ProfileView {
        private Map<String, Object> attributes;

        Map<String, Object> attributes() {
            if (attributes == null) {
                try {
                    ProfileState state = profile.value();
                    attributes = state == null ? Map.of() : JsonValues.objectFromText(state.getAttributes());
                } catch (Exception e) {
                    throw new IllegalStateException("Expected to read the profile state, but could not", e);
                }
            }
            return attributes;
        }
    }

    // ---- timers: one Flink timer per profile and instant, deleted when nothing needs it any more ----

    private void register(TimerService timers, long at) {
        if (at <= 0 || at == Long.MAX_VALUE) {
            return;
        }
        if (settings.timeMode() == TimeMode.EVENT_TIME) {
            timers.registerEventTimeTimer(at);
        } else {
            timers.registerProcessingTimeTimer(at);
        }
    }

    private void release(TimerService timers, long at) throws Exception {
        if (at <= 0 || at == Long.MAX_VALUE || timerStillNeeded(at)) {
            return;
        }
        if (settings.timeMode() == TimeMode.EVENT_TIME) {
            timers.deleteEventTimeTimer(at);
        } else {
            timers.deleteProcessingTimeTimer(at);
        }
    }

    private boolean timerStillNeeded(long at) throws Exception {
        for (InstanceState instance : instances.values()) {
            if (instance.getWakeAt() == at || instance.getDeadline() == at) {
                return true;
            }
        }
        for (EntryHistory history : entries.values()) {
            if (history.getForgetAt() == at) {
                return true;
            }
        }
        return settings.timeMode() == TimeMode.EVENT_TIME && pending.contains(at);
    }

    // ---- helpers ----

    /** A snapshot of the live instances in journey id order, safe to modify state while iterating. */
    private List<InstanceState> liveInstances() throws Exception {
        Map<String, InstanceState> copy = new HashMap<>();
        for (Map.Entry<String, InstanceState> entry : instances.entries()) {
            copy.put(entry.getKey(), entry.getValue());
        }
        List<InstanceState> live = new ArrayList<>(copy.values());
        live.sort(Comparator.comparing(InstanceState::getJourneyId));
        return live;
    }

    private Emitter emitter(Context ctx, Collector<ActionRequest> out) {
        return new Emitter() {
            @Override
            public void action(ActionRequest request) {
                out.collect(request);
            }

            @Override
            public void step(StepEvent event) {
                ctx.output(OutputTags.STEP_EVENTS, event);
            }

            @Override
            public void deadLetter(DeadLetter letter) {
                ctx.output(OutputTags.DEAD_LETTERS, letter);
            }
        };
    }

    private static StepEvent stoppedWithoutJourney(InstanceState instance, StepContext context, String status,
            String errorCode, String message) {
        return StepEvent.newBuilder()
                .setEventId(Ids.of(instance.getInstanceId(), instance.getStepId(), instance.getVisits(), status))
                .setProfileId(context.profileId())
                .setJourneyId(instance.getJourneyId())
                .setJourneyVersion(instance.getJourneyVersion())
                .setInstanceId(instance.getInstanceId())
                .setStepId(instance.getStepId())
                .setStatus(status)
                .setTimestamp(context.now().toEpochMilli())
                .setErrorCode(errorCode)
                .setMessage(message)
                .build();
    }

    private static DeadLetter lateInput(EngineInput input, long watermark) {
        return DeadLetter.newBuilder()
                .setId(Ids.of("late", input.getProfileId(), input.getTimestamp(), input.getSequence()))
                .setErrorCode(ErrorCodes.LATE_INPUT)
                .setMessage("Expected an input after the watermark " + Instant.ofEpochMilli(watermark) + ", but it is at "
                        + Instant.ofEpochMilli(input.getTimestamp()))
                .setSource("engine")
                .setProfileId(input.getProfileId())
                .setPayload(input.toString())
                .setTimestamp(input.getTimestamp())
                .build();
    }
}
