package io.journeys.engine;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.journeys.avro.EntryHistory;
import io.journeys.avro.GoalWatch;
import io.journeys.avro.InstanceState;
import io.journeys.avro.ProfileState;
import io.journeys.avro.RuleLog;
import io.journeys.dsl.ActionDefinition;
import io.journeys.dsl.Channel;
import io.journeys.dsl.RuleSet;
import io.journeys.expr.EventCounter;
import io.journeys.expr.JsonValues;
import io.journeys.http.InlineCalls;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.streaming.api.TimerService;

/**
 * The unit of work of one input or one timer of a profile: its record (read at most once, written at most
 * once, in {@link #flush}), the reasons of its one Flink timer, its attributes and memberships as expression
 * values, and where its outputs go. Steps see it as a {@link ProfileSession}.
 */
final class ProfileUnit implements ProfileSession {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final String profileId;
    private final Shared services;
    private final ProfileTimer timer;
    private final Emitter emitter;
    private Map<String, Object> attributes;
    private Set<String> memberships;
    private ProfileRecord record;
    private String parsedText;
    private Map<String, Object> parsedPayload;

    ProfileUnit(String profileId, Shared services, TimerService timers, Emitter emitter) {
        this.profileId = profileId;
        this.services = services;
        this.timer = new ProfileTimer(timers, services.timeMode());
        this.emitter = emitter;
    }

    @Override
    public String profileId() {
        return profileId;
    }

    Emitter emitter() {
        return emitter;
    }

    /** The profile's record: read at most once per input or timer, written once in flush(). */
    ProfileRecord record() {
        if (record == null) {
            try {
                record = ProfileRecord.of(services.state().value());
                timer.armedAt(record.firstTimer());
            } catch (Exception e) {
                throw new IllegalStateException("Expected to read the profile state, but could not", e);
            }
        }
        return record;
    }

    // ---- what steps see ----

    @Override
    public Map<String, Object> attributes() {
        if (attributes == null) {
            attributes = JsonValues.objectFromText(record().attributes());
        }
        return attributes;
    }

    @Override
    public EventCounter eventCounter() {
        return services.history().counter();
    }

    @Override
    public ActionDefinition action(String actionId) {
        return services.catalog().action(actionId);
    }

    @Override
    public RuleSet ruleSet(String ruleSetId, Instant now) {
        return services.catalog().ruleSet(ruleSetId, now);
    }

    @Override
    public RuleLog ruleLog(String ruleSetId) {
        return record().ruleLog(ruleSetId);
    }

    @Override
    public void logDelivery(String ruleSetId, Instant at, Channel channel) {
        record().logDelivery(ruleSetId, at.toEpochMilli(), channel.jsonName());
    }

    /** Counts an entry into a journey of the rule set, for its entry cap. */
    void logEntry(String ruleSetId, Instant at) {
        record().logEntry(ruleSetId, at.toEpochMilli());
    }

    @Override
    public InlineCalls inlineCalls() {
        return services.inlineCalls();
    }

    @Override
    public InlineCaps inlineCaps() {
        return services.inlineCaps();
    }

    @Override
    public InlineExperiments inlineExperiments() {
        return services.inlineExperiments();
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
    public Set<String> memberships() {
        if (memberships == null) {
            memberships = Set.copyOf(record().memberships()); // one copy per input, not per expression
        }
        return memberships;
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
        return services.entries().enterFrom(journeyId, from, now, this);
    }

    // ---- audiences ----

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

    // ---- entry history ----

    EntryHistory entry(String journeyId) {
        return record().entry(journeyId);
    }

    void putEntry(String journeyId, EntryHistory entry) {
        record().putEntry(journeyId, entry);
    }

    // ---- live instances ----

    Set<String> liveJourneys() {
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

    /** Ended instances whose goals may still convert, by instance id. */
    Map<String, GoalWatch> goalWatches() {
        return record().goalWatches();
    }

    void putGoalWatch(String instanceId, GoalWatch watch) {
        record().putGoalWatch(instanceId, watch);
    }

    void removeGoalWatch(String instanceId) {
        record().removeGoalWatch(instanceId);
    }

    /** The live instances in journey id order (a snapshot: state may change while iterating). */
    List<InstanceState> liveInstances() {
        return liveInstancesReactingTo(null);
    }

    /**
     * The live instances, in journey id order, of the journeys an event of this type can mean something to
     * (all when the type is null).
     */
    List<InstanceState> liveInstancesReactingTo(String eventType) {
        List<String> ids = new ArrayList<>(liveJourneys());
        if (eventType != null) {
            ids.removeIf(journeyId -> !services.catalog().mayReactTo(journeyId, eventType));
        }
        ids.sort(String::compareTo);
        List<InstanceState> live = new ArrayList<>(ids.size());
        for (String journeyId : ids) {
            live.add(instance(journeyId));
        }
        return live;
    }

    // ---- the reasons of the profile's timer ----

    /** Adds a reason for the profile to be woken at {@code at}; its Flink timer is set in flush(). */
    void register(long at, TimerReason reason) {
        if (at > 0 && at != Long.MAX_VALUE) {
            record().addTimerReason(at, reason.encode());
        }
    }

    /** Removes a reason of one instant; its Flink timer moves, if it must, in flush(). */
    void release(long at, TimerReason reason) {
        if (at > 0 && at != Long.MAX_VALUE && record().hasTimers()) {
            record().removeTimerReason(at, reason.encode());
        }
    }

    /** Removes a reason from every instant it is registered at. */
    void releaseEverywhere(TimerReason reason) {
        // most profiles have no timer: no reason text is built for them (once per ended instance)
        if (record().hasTimers()) {
            record().removeTimerReasonEverywhere(reason.encode());
        }
    }

    /** Whether some timer of the profile exists for {@code reason} (the record is in memory: no state read). */
    boolean hasTimerFor(TimerReason reason) {
        return record().hasTimers() && record().hasTimerFor(reason.encode());
    }

    /**
     * The reasons due by {@code at}, the instant of the timer firing, earliest first; they are no longer
     * pending; flush() sets the profile's timer at its next due instant.
     */
    List<TimerReason> takeDue(long at) {
        List<TimerReason> due = new ArrayList<>();
        for (String reason : record().takeTimerReasons(at)) {
            due.add(TimerReason.decode(reason));
        }
        timer.fired(at);
        return due;
    }

    /**
     * Writes the record back if it changed (removes it when it keeps nothing), and moves the profile's
     * timer to its first due instant. Expired entries and event ids are dropped first; a profile that keeps
     * nothing but those gets a timer to drop them, so that it leaves no state behind.
     */
    void flush(long now) throws Exception {
        if (record == null) {
            return;
        }
        record.forgetExpired(now);
        long forgetAt = record.forgetAt(TimerReason.FORGET.encode());
        if (forgetAt != Long.MAX_VALUE && !record.hasTimerFor(TimerReason.FORGET.encode())) {
            register(forgetAt, TimerReason.FORGET);
        }
        timer.moveTo(record.firstTimer());
        if (!record.changed()) {
            return;
        }
        if (record.isEmpty()) {
            services.state().clear();
        } else {
            services.state().update(record.toState());
        }
        record.markWritten();
    }

    /** The profile state and the parts of the engine that every unit of a subtask shares. */
    record Shared(ValueState<ProfileState> state, JourneyCatalog catalog, RecentEventHistory history,
            InlineCalls inlineCalls, InlineCaps inlineCaps, InlineExperiments inlineExperiments, TimeMode timeMode,
            Entries entries, SendTimes sendTimes, ExperimentWinners winners) {}

    @Override
    public SendTimes sendTimes() {
        return services.sendTimes();
    }

    @Override
    public ExperimentWinners experimentWinners() {
        return services.winners();
    }

    @Override
    public io.journeys.avro.EngagementHours engagement(String kind) {
        return record().engagement(kind);
    }
}
