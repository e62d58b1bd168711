package io.journeys.engine;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.journeys.avro.ActionRequest;
import io.journeys.avro.AudienceMember;
import io.journeys.avro.AudienceQualification;
import io.journeys.avro.DeadLetter;
import io.journeys.avro.DeferredEntry;
import io.journeys.avro.EngineInput;
import io.journeys.avro.EntryHistory;
import io.journeys.avro.EventHistory;
import io.journeys.avro.InstanceState;
import io.journeys.avro.PendingInputs;
import io.journeys.avro.ProfileEvent;
import io.journeys.avro.ProfileState;
import io.journeys.dsl.Journey;
import io.journeys.dsl.JourneyParser;
import io.journeys.expr.EventCounter;
import io.journeys.expr.ExpressionException;
import io.journeys.expr.JsonValues;
import io.journeys.expr.Variables;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.TimerService;
import org.apache.flink.streaming.api.functions.co.KeyedBroadcastProcessFunction;
import org.apache.flink.util.Collector;

/**
 * The one keyed operator that owns all per-profile journey state (keyed by profile id).
 *
 * <p>It enters profiles into journeys on their events, audience exports and qualifications, runs their
 * steps, parks them in waits and awaits, ends them on exit criteria, journey timeouts and stopped
 * journeys, and removes the state and timer reasons of every instance that ends. A profile's state is one
 * record, its live instances included, and it has one Flink timer, at the first instant something of it
 * is due (the reasons are kept in the record). Action requests go to the main
 * output; step events, profile writes and dead letters to side outputs. In event time, inputs are held
 * until the watermark passes them and are then handled in timestamp order, so an unsorted replay gives
 * the same result as a sorted one.
 */
public class JourneyProcessor extends KeyedBroadcastProcessFunction<String, EngineInput, String, ActionRequest> {

    /**
     * Journey documents published while the job runs, by "id@version": broadcast to every subtask, kept in
     * checkpoints, so definitions survive restarts.
     */
    public static final MapStateDescriptor<String, String> DEFINITIONS =
            new MapStateDescriptor<>("journey-definitions", Types.STRING, Types.STRING);

    private static final ObjectMapper JSON = new ObjectMapper();

    /** Inputs of one instant: profile updates first (they describe the profile as of that instant), then by position. */
    private static final Comparator<EngineInput> INSTANT_ORDER = Comparator
            .comparing((EngineInput input) -> input.getUpdate() == null)
            .thenComparingLong(EngineInput::getSequence);

    private final EngineSettings settings;

    private transient ValueState<ProfileState> profile;
    private transient MapState<Long, PendingInputs> pending;
    private transient MapState<String, DeferredEntry> deferredEntries;
    private transient EntryRateLimiter rateLimiter;
    private transient DuplicateFilter duplicates;
    private transient RecentEventHistory history;
    private transient JourneyCatalog catalog;
    private transient boolean definitionsRestored;
    private transient InstanceRunner runner;
    private transient EngineMetrics metrics;
    private transient InlineCaps inlineCaps;

    public JourneyProcessor(EngineSettings settings) {
        this.settings = settings;
    }

    @Override
    public void open(OpenContext openContext) {
        profile = getRuntimeContext().getState(profileDescriptor());
        pending = getRuntimeContext().getMapState(
                new MapStateDescriptor<>("pending", Types.LONG, AvroRecords.typeInfo(PendingInputs.class)));
        deferredEntries = getRuntimeContext().getMapState(
                new MapStateDescriptor<>("deferred-entries", Types.STRING, AvroRecords.typeInfo(DeferredEntry.class)));
        rateLimiter = new EntryRateLimiter(getRuntimeContext().getTaskInfo().getNumberOfParallelSubtasks());
        duplicates = new DuplicateFilter(settings.guardRails().duplicateTtl());
        history = new RecentEventHistory(getRuntimeContext().getState(
                new ValueStateDescriptor<>("event-history", AvroRecords.typeInfo(EventHistory.class))),
                settings.guardRails().maxEventHistory());
        catalog = JourneyCatalog.of(settings.journeys(), settings.guardRails().maxStepsPerJourney());
        definitionsRestored = false;
        runner = new InstanceRunner();
        metrics = new EngineMetrics(getRuntimeContext().getMetricGroup(), settings.inlineCalls() != null);
        if (settings.inlineCalls() != null) {
            settings.inlineCalls().open();
            inlineCaps = new InlineCaps();
        }
    }

    /** After a restore, the broadcast state holds the definitions published before: compile them once. */
    private void restoreDefinitions(Iterable<Map.Entry<String, String>> published) {
        if (definitionsRestored) {
            return;
        }
        for (Map.Entry<String, String> definition : published) {
            catalog.tryAdd(definition.getValue(), Integer.MAX_VALUE);
        }
        definitionsRestored = true;
    }

    @Override
    public void processBroadcastElement(String document, Context ctx, Collector<ActionRequest> out) throws Exception {
        restoreDefinitions(ctx.getBroadcastState(DEFINITIONS).entries());
        Emitter emitter = emitter(ctx::output, out);
        List<io.journeys.dsl.Problem> problems = catalog.tryAdd(document, settings.guardRails().maxStepsPerJourney());
        if (!problems.isEmpty()) {
            emitter.deadLetter(DeadLetter.newBuilder()
                    .setId(Ids.of("definition", document))
                    .setErrorCode(problems.get(0).code().code())
                    .setMessage("Expected a valid journey, but: " + problems)
                    .setSource("definitions")
                    .setPayload(document)
                    .build());
            return;
        }
        if (io.journeys.dsl.DefinitionKind.of(document) == io.journeys.dsl.DefinitionKind.ACTION) {
            io.journeys.dsl.ActionDefinition action = io.journeys.dsl.ActionParser.parse(document).action();
            ctx.getBroadcastState(DEFINITIONS).put("action:" + action.id() + "@" + action.version(), document);
            return;
        }
        Journey journey = io.journeys.dsl.JourneyParser.parse(document).journey();
        ctx.getBroadcastState(DEFINITIONS).put(journey.id() + "@" + journey.version(), document);
        if (settings.timeMode() == TimeMode.PROCESSING_TIME && journey.publishedAt() == null
                && catalog.isStoppedAt(journey.id(), Instant.ofEpochMilli(ctx.currentProcessingTime()))) {
            exitEveryInstanceOf(journey.id(), Instant.ofEpochMilli(ctx.currentProcessingTime()), ctx, emitter);
        }
    }

    /**
     * A stopped journey: every profile inside exits now. Their timers cannot be moved from here, so the
     * reasons stay: when one is due, it finds no instance and there is nothing to do.
     */
    private void exitEveryInstanceOf(String journeyId, Instant now, Context ctx, Emitter emitter) throws Exception {
        ctx.applyToKeyedState(profileDescriptor(), (profileId, state) -> {
            ProfileState stored = state.value();
            InstanceState instance = stored == null ? null : stored.getInstances().get(journeyId);
            if (instance != null) {
                emitter.step(StepEvents.of(instance, profileId, now, StepStatus.EXITED, null, null, "journey stopped"));
                ProfileRecord record = ProfileRecord.of(stored);
                record.removeInstance(journeyId);
                state.update(record.toState());
            }
        });
    }

    private static ValueStateDescriptor<ProfileState> profileDescriptor() {
        return new ValueStateDescriptor<>("profile", AvroRecords.typeInfo(ProfileState.class));
    }

    @Override
    public void processElement(EngineInput input, ReadOnlyContext ctx, Collector<ActionRequest> out)
            throws Exception {
        restoreDefinitions(ctx.getBroadcastState(DEFINITIONS).immutableEntries());
        Session session = new Session(ctx.getCurrentKey(), ctx.timerService(), emitter(ctx::output, out));
        if (settings.timeMode() == TimeMode.PROCESSING_TIME) {
            long now = ctx.timerService().currentProcessingTime();
            handle(input, Instant.ofEpochMilli(now), session);
            session.flush(now);
            return;
        }
        long timestamp = input.getTimestamp();
        if (timestamp <= ctx.timerService().currentWatermark()) {
            session.emitter.deadLetter(lateInput(input, ctx.timerService().currentWatermark()));
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
        session.register(timestamp, Reasons.PENDING);
        session.flush(ctx.timerService().currentWatermark());
    }

    @Override
    public void onTimer(long timestamp, OnTimerContext ctx, Collector<ActionRequest> out) throws Exception {
        if (timestamp > settings.horizon()) {
            return;
        }
        restoreDefinitions(ctx.getBroadcastState(DEFINITIONS).immutableEntries());
        Session session = new Session(ctx.getCurrentKey(), ctx.timerService(), emitter(ctx::output, out));
        Instant now = Instant.ofEpochMilli(timestamp);
        List<String> due = session.takeDue(timestamp);
        // Wake-ups due now fire before inputs of the same instant: a wait of d reached at t is over at t + d.
        for (String reason : due) {
            if (reason.startsWith(Reasons.INSTANCE)) {
                fireDueInstance(reason.substring(Reasons.INSTANCE.length()), now, session);
            }
        }
        for (String reason : due) {
            if (reason.startsWith(Reasons.DEFERRED)) {
                enterDeferred(reason.substring(Reasons.DEFERRED.length()), now, session);
            } else if (reason.equals(Reasons.HISTORY)) {
                history.dropIfExpired(timestamp);
            }
        }
        if (due.contains(Reasons.PENDING)) {
            PendingInputs batch = pending.get(timestamp);
            if (batch != null) {
                pending.remove(timestamp);
                List<EngineInput> inputs = new ArrayList<>(batch.getInputs());
                inputs.sort(INSTANT_ORDER);
                for (EngineInput input : inputs) {
                    handle(input, now, session);
                }
            }
        }
        session.flush(timestamp); // a FORGET timer needs nothing more: flush forgets what expired
    }

    /** Why a timer exists, as kept in the profile's record. */
    private static final class Reasons {
        static final String INSTANCE = "instance:";
        static final String DEFERRED = "deferred:";
        /** Entries and event ids to forget, when they are all the record keeps. */
        static final String FORGET = "forget";
        static final String HISTORY = "history";
        static final String PENDING = "pending";
    }

    private void handle(EngineInput input, Instant now, Session session) throws Exception {
        if (input.getUpdate() != null) {
            session.setAttributes((ObjectNode) JSON.readTree(input.getUpdate().getAttributes()));
            return;
        }
        if (input.getQualification() != null) {
            qualify(input.getQualification(), now, session);
            return;
        }
        if (input.getMember() != null) {
            enterExportMember(input.getMember(), now, session);
            return;
        }
        ProfileEvent event = input.getEvent();
        if (isDuplicate(event, now, session)) {
            return;
        }
        if (catalog.counts(event.getType())) {
            session.register(history.record(event), Reasons.HISTORY);
        }
        ArrivingEvent arriving = ArrivingEvent.of(event, session);
        exitInstances(arriving, now, session);
        reactInstances(arriving, now, session);
        enterJourneys(arriving, now, session);
    }

    // ---- audiences ----

    /**
     * A profile entered or left an audience: its memberships change (for {@code inAudience}), instances of
     * journeys that exit on leaving it exit, and journeys that enter on it enter.
     */
    private void qualify(AudienceQualification qualification, Instant now, Session session) throws Exception {
        String audienceId = qualification.getAudienceId();
        boolean entering = qualification.getStatus().equals("enter");
        session.setMembership(audienceId, entering);
        ProfileEvent cause = new ProfileEvent(
                Ids.of("qualification", qualification.getProfileId(), audienceId, qualification.getStatus(),
                        qualification.getTimestamp()),
                qualification.getProfileId(), "audience." + qualification.getStatus(), qualification.getTimestamp(),
                JSON.createObjectNode().put("audienceId", audienceId).toString(), null);
        if (!entering) {
            for (InstanceState instance : liveInstances(session)) {
                CompiledJourney journey = catalog.version(instance.getJourneyId(), instance.getJourneyVersion());
                if (journey != null && journey.journey().exits().stream()
                        .anyMatch(exit -> audienceId.equals(exit.audienceExit()))) {
                    end(instance, new StepContext(journey, instance, now, session, session.emitter), StepStatus.EXITED,
                            null, "left audience " + audienceId, session);
                }
            }
        }
        ArrivingEvent arriving = ArrivingEvent.of(cause, session);
        for (String journeyId : catalog.journeysEnteredByQualification(audienceId, qualification.getStatus())) {
            CompiledJourney journey = catalog.versionForEntry(journeyId, now);
            if (journey != null && mayEnter(journey, now, cause, session)
                    && entryFilterHolds(journey, arriving, now, session)) {
                enter(journey, cause, now, session);
            }
        }
    }

    /**
     * A member of an audience export: it enters every journey reading that audience, unless the journey is
     * incremental and the profile was in the previous export, or enters once only and it entered before.
     */
    private void enterExportMember(AudienceMember member, Instant now, Session session) throws Exception {
        String lastExport = session.lastExport(member.getAudienceId());
        session.recordExport(member.getAudienceId(), member.getExportId());
        ProfileEvent cause = exportCause(member);
        ArrivingEvent arriving = ArrivingEvent.of(cause, session);
        for (String journeyId : catalog.journeysEnteredByExportsOf(member.getAudienceId())) {
            CompiledJourney journey = catalog.versionForEntry(journeyId, now);
            if (journey == null) {
                continue;
            }
            Journey.Entry entry = journey.journey().entry();
            boolean inPreviousExport = member.getPreviousExportId() != null
                    && member.getPreviousExportId().equals(lastExport);
            if ((entry.incremental() && inPreviousExport) || (entry.once() && session.entry(journeyId) != null)) {
                continue;
            }
            if (session.hasTimerFor(Reasons.DEFERRED + journeyId) || !mayEnter(journey, now, cause, session)
                    || !entryFilterHolds(journey, arriving, now, session)) {
                continue;
            }
            long slot = rateLimiter.nextSlot(journeyId, entry.rate(), now.toEpochMilli());
            if (slot <= now.toEpochMilli()) {
                enter(journey, cause, now, session);
            } else {
                // the journey's rate holds this entry back until its slot
                deferredEntries.put(journeyId, new DeferredEntry(member, slot));
                session.register(slot, Reasons.DEFERRED + journeyId);
            }
        }
    }

    /** An entry the rate held back: its slot has come. */
    private void enterDeferred(String journeyId, Instant now, Session session) throws Exception {
        DeferredEntry deferred = deferredEntries.get(journeyId);
        if (deferred == null || deferred.getEnterAt() > now.toEpochMilli()) {
            return;
        }
        deferredEntries.remove(journeyId);
        ProfileEvent cause = exportCause(deferred.getMember());
        CompiledJourney journey = catalog.versionForEntry(journeyId, now);
        if (journey != null && mayEnter(journey, now, cause, session)) {
            enter(journey, cause, now, session);
        }
    }

    private static ProfileEvent exportCause(AudienceMember member) {
        // the member's place names it: a profile is once in an export of an audience
        String eventId = "export:" + member.getAudienceId() + ":" + member.getExportId() + ":" + member.getProfileId();
        return new ProfileEvent(eventId, member.getProfileId(),
                "audience.export", member.getExportedAt(), member.getAttributes(), null);
    }

    // ---- entries ----

    private void enterJourneys(ArrivingEvent event, Instant now, Session session) throws Exception {
        for (String journeyId : catalog.journeysEnteredBy(event.type())) {
            CompiledJourney journey = catalog.versionForEntry(journeyId, now);
            if (journey == null || !mayEnter(journey, now, event.event(), session)) {
                continue;
            }
            if (entryFilterHolds(journey, event, now, session)) {
                enter(journey, event.event(), now, session);
            }
        }
    }

    /** Not inside already, re-entry allows it, and the profile is under the guard rail of live instances. */
    private boolean mayEnter(CompiledJourney journey, Instant now, ProfileEvent cause, Session session)
            throws Exception {
        if (session.isLive(journey.id()) || !reentryAllows(journey, now, session)) {
            return false;
        }
        if (catalog.journeyCount() <= settings.guardRails().maxLiveInstancesPerProfile()) {
            return true; // a profile is in each journey at most once: the guard rail cannot be reached
        }
        int live = session.liveJourneys().size();
        if (live >= settings.guardRails().maxLiveInstancesPerProfile()) {
            session.emitter.deadLetter(engineLetter(ErrorCodes.TOO_MANY_INSTANCES,
                    Ids.of("guard", journey.id(), cause.getEventId()), "Expected at most "
                            + settings.guardRails().maxLiveInstancesPerProfile() + " live instances per profile, but "
                            + cause.getProfileId() + " already has " + live + "; not entered into " + journey.id(),
                    cause));
            return false;
        }
        return true;
    }

    private boolean reentryAllows(CompiledJourney journey, Instant now, Session session) {
        EntryHistory previous = session.entry(journey.id());
        if (previous == null) {
            return true;
        }
        Journey.Reentry reentry = journey.journey().reentry();
        return reentry.allowed()
                && now.toEpochMilli() - previous.getLastEntryAt() >= reentry.waitPeriod().toMillis();
    }

    private boolean entryFilterHolds(CompiledJourney journey, ArrivingEvent event, Instant now, Session session) {
        if (journey.entryWhen() == null) {
            return true;
        }
        Variables variables = Variables.inZone(journey.journey().timeZone())
                .event(event.type(), event.time(), event.payload())
                .profile(session.attributes())
                .journey(journey.entryJourneyValues())
                .eventCounter(session.eventCounter())
                .memberships(session.memberships())
                .now(now);
        if (journey.journey().entry().type() == io.journeys.dsl.EntryType.AUDIENCE) {
            variables.audience(event.payload());
        }
        try {
            return journey.entryWhen().evaluateBoolean(variables);
        } catch (ExpressionException e) {
            session.emitter.deadLetter(engineLetter(ErrorCodes.of(e),
                    Ids.of("entry", journey.id(), journey.version(), event.event().getEventId()),
                    "entry filter of journey " + journey.id() + " v" + journey.version() + ": " + e.getMessage(),
                    event.event()));
            return false;
        }
    }

    private void enter(CompiledJourney journey, ProfileEvent cause, Instant now, Session session) throws Exception {
        Journey definition = journey.journey();
        long at = now.toEpochMilli();
        InstanceState instance = InstanceState.newBuilder()
                .setJourneyId(journey.id())
                .setJourneyVersion(journey.version())
                .setInstanceId(Ids.of(cause.getProfileId(), journey.id(), journey.version(), at, cause.getEventId()))
                .setStepId(definition.start())
                .setEnteredAt(at)
                .setStepEnteredAt(at)
                .setWakeAt(0L)
                .setDeadline(at + definition.timeout().toMillis())
                .setVisits(0)
                .setEntryEventId(cause.getEventId())
                .setEntryEventType(cause.getType())
                .setEntryEventTime(cause.getTimestamp())
                .setEntryEventData(cause.getData())
                .setRequestVisits(new HashMap<>())
                .setCaptured(new HashMap<>())
                .setResults(new HashMap<>())
                .build();
        Journey.Reentry reentry = definition.reentry();
        boolean onceEver = !reentry.allowed() || definition.entry().once();
        EntryHistory entry = new EntryHistory(at, onceEver ? Long.MAX_VALUE : at + reentry.waitPeriod().toMillis());
        session.putEntry(journey.id(), entry);
        StepContext context = new StepContext(journey, instance, now, session, session.emitter);
        if (runner.enter(context) == InstanceRunner.Result.PARKED) {
            session.putInstance(instance);
            String reason = Reasons.INSTANCE + journey.id();
            session.register(instance.getWakeAt(), reason);
            session.register(instance.getDeadline(), reason);
            Instant stop = catalog.nextStopAfter(journey.id(), now);
            if (stop != null) {
                session.register(stop.toEpochMilli(), reason);
            }
        }
    }

    // ---- exits, reactions, wake-ups, timeouts, stops ----

    private void exitInstances(ArrivingEvent event, Instant now, Session session) throws Exception {
        for (InstanceState instance : liveInstancesReactingTo(event.type(), session)) {
            CompiledJourney journey = catalog.version(instance.getJourneyId(), instance.getJourneyVersion());
            if (journey == null) {
                continue;
            }
            List<Journey.ExitCriterion> exits = journey.journey().exits();
            for (int i = 0; i < exits.size(); i++) {
                if (!event.type().equals(exits.get(i).event())) {
                    continue;
                }
                StepContext context = new StepContext(journey, instance, now, session, session.emitter);
                if (journey.exitWhen(i) != null) {
                    Variables variables = context.variables().event(event.type(), event.time(), event.payload());
                    try {
                        if (!journey.exitWhen(i).evaluateBoolean(variables)) {
                            continue;
                        }
                    } catch (ExpressionException e) {
                        end(instance, context, StepStatus.ERROR, ErrorCodes.of(e),
                                "exit/" + i + "/when: " + e.getMessage(), session);
                        break;
                    }
                }
                end(instance, context, StepStatus.EXITED, null, "exit criterion " + i + " (" + event.type() + ")",
                        session);
                break;
            }
        }
    }

    private void reactInstances(ArrivingEvent event, Instant now, Session session) throws Exception {
        for (InstanceState instance : liveInstancesReactingTo(event.type(), session)) {
            CompiledJourney journey = catalog.version(instance.getJourneyId(), instance.getJourneyVersion());
            if (journey == null || instance.getWakeAt() == 0) {
                continue;
            }
            long parkedUntil = instance.getWakeAt();
            StepContext context = new StepContext(journey, instance, now, session, session.emitter);
            Optional<InstanceRunner.Result> reacted = runner.react(context, event);
            if (reacted.isEmpty()) {
                continue;
            }
            String reason = Reasons.INSTANCE + instance.getJourneyId();
            session.release(parkedUntil, reason);
            if (reacted.get() == InstanceRunner.Result.PARKED) {
                session.putInstance(instance);
                session.register(instance.getWakeAt(), reason);
            } else {
                session.removeInstance(instance.getJourneyId());
                afterInstanceEnded(instance, session);
            }
        }
    }

    /** The instance of a journey has a timer due now: a stop, its journey timeout, or its wake-up. */
    private void fireDueInstance(String journeyId, Instant now, Session session) throws Exception {
        InstanceState instance = session.instance(journeyId);
        if (instance == null) {
            return; // ended already
        }
        long at = now.toEpochMilli();
        CompiledJourney journey = catalog.version(instance.getJourneyId(), instance.getJourneyVersion());
        StepContext context = new StepContext(journey, instance, now, session, session.emitter);
        if (journey == null) {
            end(instance, context, StepStatus.ERROR, ErrorCodes.VERSION_GONE, "Expected journey "
                    + instance.getJourneyId() + " v" + instance.getJourneyVersion() + " to be loaded, but it is not",
                    session);
        } else if (catalog.isStoppedAt(instance.getJourneyId(), now)) {
            end(instance, context, StepStatus.EXITED, null, "journey stopped", session);
        } else if (instance.getDeadline() <= at) {
            end(instance, context, StepStatus.TIMED_OUT, null, null, session);
        } else if (instance.getWakeAt() > 0 && instance.getWakeAt() <= at) {
            if (runner.wakeUp(context) == InstanceRunner.Result.PARKED) {
                session.putInstance(instance);
                session.register(instance.getWakeAt(), Reasons.INSTANCE + journeyId);
            } else {
                session.removeInstance(journeyId);
                afterInstanceEnded(instance, session);
            }
        }
    }

    private void end(InstanceState instance, StepContext context, String status, String errorCode, String message,
            Session session) throws Exception {
        if (context.journey() != null) {
            runner.stop(context, status, errorCode, message);
        } else {
            session.emitter.step(StepEvents.of(instance, context.profileId(), context.now(), status, null, errorCode,
                    message));
        }
        session.removeInstance(instance.getJourneyId());
        afterInstanceEnded(instance, session);
    }

    /** Releases the timers of an ended instance (its entry is forgotten when the record is flushed). */
    private void afterInstanceEnded(InstanceState instance, Session session) throws Exception {
        String reason = Reasons.INSTANCE + instance.getJourneyId();
        session.release(instance.getWakeAt(), reason);
        session.release(instance.getDeadline(), reason);
        Instant stop = catalog.nextStopAfter(instance.getJourneyId(), Instant.ofEpochMilli(instance.getEnteredAt()));
        if (stop != null) {
            session.release(stop.toEpochMilli(), reason);
        }
    }

    // ---- duplicates ----

    private boolean isDuplicate(ProfileEvent event, Instant now, Session session) throws Exception {
        long at = now.toEpochMilli();
        if (duplicates.seenBefore(session.record(), event.getEventId(), at)) {
            session.emitter.deadLetter(engineLetter(ErrorCodes.DUPLICATE_EVENT,
                    Ids.of("duplicate", event.getEventId(), event.getTimestamp(), at),
                    "Expected a new event id, but " + event.getEventId() + " was seen within the last "
                            + settings.guardRails().duplicateTtl() + "; processed once only",
                    event));
            return true;
        }
        return false;
    }

    /** The profile being handled: its attributes, history, timers and outputs, for one input or timer. */
    private final class Session implements ProfileSession {
        private final String profileId;
        private final TimerService timers;
        private final Emitter emitter;
        private Map<String, Object> attributes;
        private java.util.Set<String> memberships;
        private ProfileRecord record;
        /** The instant of the profile's Flink timer: its first due instant when the record was read. */
        private long armedAt;
        private String parsedText;
        private Map<String, Object> parsedPayload;

        Session(String profileId, TimerService timers, Emitter emitter) {
            this.profileId = profileId;
            this.timers = timers;
            this.emitter = emitter;
        }

        @Override
        public String profileId() {
            return profileId;
        }

        /** The profile's record: read at most once per input or timer, written once in flush(). */
        ProfileRecord record() {
            if (record == null) {
                try {
                    record = ProfileRecord.of(profile.value());
                    armedAt = record.firstTimer();
                } catch (Exception e) {
                    throw new IllegalStateException("Expected to read the profile state, but could not", e);
                }
            }
            return record;
        }

        @Override
        public Map<String, Object> attributes() {
            if (attributes == null) {
                attributes = JsonValues.objectFromText(record().attributes());
            }
            return attributes;
        }

        @Override
        public EventCounter eventCounter() {
            return history.counter();
        }

        @Override
        public io.journeys.dsl.ActionDefinition action(String actionId) {
            return catalog.action(actionId);
        }

        @Override
        public InlineCalls inlineCalls() {
            return settings.inlineCalls();
        }

        @Override
        public InlineCaps inlineCaps() {
            return inlineCaps;
        }

        @Override
        public Map<String, Object> payload(String json) {
            // identity, not equality: the entry event's text is the same object in every step of this input
            if (json != parsedText) {
                parsedPayload = JsonValues.objectFromText(json);
                parsedText = json;
            }
            return parsedPayload;
        }

        @Override
        public java.util.Set<String> memberships() {
            if (memberships == null) {
                memberships = java.util.Set.copyOf(record().memberships()); // one copy per input, not per expression
            }
            return memberships;
        }

        void setMembership(String audienceId, boolean member) {
            record().setMembership(audienceId, member);
            memberships = null;
        }

        String lastExport(String audienceId) {
            return record().lastExport(audienceId);
        }

        void recordExport(String audienceId, String exportId) {
            record().recordExport(audienceId, exportId);
        }

        @Override
        public void setAttributes(ObjectNode changes) throws Exception {
            ObjectNode merged = (ObjectNode) JSON.readTree(record().attributes());
            changes.fields().forEachRemaining(field -> {
                JsonNode value = field.getValue();
                if (value.isNull()) {
                    merged.remove(field.getKey());
                } else {
                    merged.set(field.getKey(), value);
                }
            });
            record().setAttributes(merged.toString());
            attributes = null;
        }

        @Override
        public boolean enter(String journeyId, InstanceState from, Instant now) throws Exception {
            CompiledJourney target = catalog.versionForEntry(journeyId, now);
            ProfileEvent cause = new ProfileEvent(from.getEntryEventId(), profileId, from.getEntryEventType(),
                    from.getEntryEventTime(), from.getEntryEventData(), null);
            if (target == null || !mayEnter(target, now, cause, this)) {
                return false;
            }
            JourneyProcessor.this.enter(target, cause, now, this);
            return true;
        }

        // ---- entry history ----

        EntryHistory entry(String journeyId) {
            return record().entry(journeyId);
        }

        void putEntry(String journeyId, EntryHistory entry) {
            record().putEntry(journeyId, entry);
        }

        // ---- live instances and the reasons of the profile's timer ----

        java.util.Set<String> liveJourneys() {
            return record().liveJourneys();
        }

        boolean isLive(String journeyId) {
            return record().isLive(journeyId);
        }

        /** A live instance, or null; the record holds them, so this reads no state. */
        InstanceState instance(String journeyId) {
            return record().instance(journeyId);
        }

        void putInstance(InstanceState instance) {
            record().putInstance(instance);
        }

        void removeInstance(String journeyId) {
            record().removeInstance(journeyId);
        }

        /** Adds a reason for the profile to be woken at {@code at}; its Flink timer is set in flush(). */
        void register(long at, String reason) {
            if (at > 0 && at != Long.MAX_VALUE) {
                record().addTimerReason(at, reason);
            }
        }

        /** Removes a reason; its Flink timer moves, if it must, in flush(). */
        void release(long at, String reason) {
            if (at > 0 && at != Long.MAX_VALUE) {
                record().removeTimerReason(at, reason);
            }
        }

        /**
         * Keeps one Flink timer per profile, at its first due instant: many reasons to wake, added and
         * removed while handling one input, cost at most one timer deletion and one registration.
         */
        private void moveTimer() {
            long first = record.firstTimer();
            if (first == armedAt) {
                return;
            }
            if (armedAt != Long.MAX_VALUE) {
                deleteTimer(armedAt);
            }
            setTimer(first);
            armedAt = first;
        }

        private void setTimer(long at) {
            if (at == Long.MAX_VALUE) {
                return;
            }
            if (settings.timeMode() == TimeMode.EVENT_TIME) {
                timers.registerEventTimeTimer(at);
            } else {
                timers.registerProcessingTimeTimer(at);
            }
        }

        private void deleteTimer(long at) {
            if (settings.timeMode() == TimeMode.EVENT_TIME) {
                timers.deleteEventTimeTimer(at);
            } else {
                timers.deleteProcessingTimeTimer(at);
            }
        }

        /** Whether some timer of the profile exists for {@code reason} (the record is in memory: no state read). */
        boolean hasTimerFor(String reason) {
            return record().hasTimerFor(reason);
        }

        /**
         * The reasons due by {@code at}, the instant of the timer firing, earliest first; they are no longer
         * pending; flush() sets the profile's timer at its next due instant.
         */
        List<String> takeDue(long at) {
            List<String> due = record().takeTimerReasons(at);
            if (armedAt <= at) {
                armedAt = Long.MAX_VALUE; // the timer firing now (Flink fires them in order) is used up
            }
            return due;
        }

        /**
         * Writes the record back if it changed (removes it when it keeps nothing), and moves the profile's
         * timer to its first due instant. Expired entries and event ids are dropped first; a profile that
         * keeps nothing but those gets a timer to drop them, so that it leaves no state behind.
         */
        void flush(long now) throws Exception {
            if (record == null) {
                return;
            }
            record.forgetExpired(now);
            long forgetAt = record.forgetAt(Reasons.FORGET);
            if (forgetAt != Long.MAX_VALUE && !record.hasTimerFor(Reasons.FORGET)) {
                register(forgetAt, Reasons.FORGET);
            }
            moveTimer();
            if (!record.changed()) {
                return;
            }
            if (record.isEmpty()) {
                profile.clear();
            } else {
                profile.update(record.toState());
            }
            record.markWritten();
        }
    }

    // ---- helpers ----

    /** The live instances in journey id order (a snapshot: state may change while iterating). */
    private List<InstanceState> liveInstances(Session session) throws Exception {
        return liveInstancesReactingTo(null, session);
    }

    /**
     * The live instances, in journey id order, of the journeys an event of this type can mean something to
     * (all when the type is null); the others are not read from state.
     */
    private List<InstanceState> liveInstancesReactingTo(String eventType, Session session) throws Exception {
        List<String> ids = new ArrayList<>(session.liveJourneys());
        if (eventType != null) {
            ids.removeIf(journeyId -> !catalog.mayReactTo(journeyId, eventType));
        }
        ids.sort(String::compareTo);
        List<InstanceState> live = new ArrayList<>(ids.size());
        for (String journeyId : ids) {
            live.add(session.instance(journeyId));
        }
        return live;
    }

    /** A side output of whichever function context is at hand. */
    @FunctionalInterface
    private interface SideOutput {
        void output(org.apache.flink.util.OutputTag<Object> tag, Object value);
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    private Emitter emitter(SideOutput sideOutput, Collector<ActionRequest> out) {
        Emitter emitter = new ContextEmitter(out) {
            @Override
            <X> void output(org.apache.flink.util.OutputTag<X> tag, X value) {
                sideOutput.output((org.apache.flink.util.OutputTag) tag, value);
            }
        };
        return metrics.counting(emitter, (event, stepId) -> {
            CompiledJourney journey = catalog.version(event.getJourneyId(), event.getJourneyVersion());
            return journey == null ? null : journey.journey().steps().get(stepId);
        });
    }

    private static DeadLetter engineLetter(String code, String id, String message, ProfileEvent event) {
        return DeadLetter.newBuilder()
                .setId(id)
                .setErrorCode(code)
                .setMessage(message)
                .setSource("engine")
                .setProfileId(event.getProfileId())
                .setPayload(event.toString())
                .setTimestamp(event.getTimestamp())
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
