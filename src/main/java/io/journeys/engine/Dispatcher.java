package io.journeys.engine;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.journeys.avro.DeferredEntry;
import io.journeys.avro.EngineInput;
import io.journeys.avro.ProfileEvent;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.apache.flink.api.common.state.MapState;

/**
 * Routes each input of a profile, and each reason its timer is due for, to the behaviour that handles it:
 * attribute updates, audience entries, duplicates, the event history, exits, reactions of parked instances,
 * entries, wake-ups and deferred entries.
 */
final class Dispatcher {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final JourneyCatalog catalog;
    private final InstanceLifecycle lifecycle;
    private final Entries entries;
    private final Exits exits;
    private final GoalWatches goalWatches;
    private final Goals goals;
    private final AudienceEntries audiences;
    private final DuplicateFilter duplicates;
    private final Duration duplicateTtl;
    private final RecentEventHistory history;

    Dispatcher(JourneyCatalog catalog, GuardRails guardRails, EntryRateLimiter rateLimiter,
            MapState<String, DeferredEntry> deferredEntries, RecentEventHistory history) {
        this.catalog = catalog;
        this.goalWatches = new GoalWatches(catalog);
        this.lifecycle = new InstanceLifecycle(catalog, goalWatches);
        this.goals = new Goals(catalog, lifecycle, goalWatches);
        this.entries = new Entries(catalog, lifecycle, guardRails.maxLiveInstancesPerProfile());
        this.exits = new Exits(catalog, lifecycle);
        this.audiences = new AudienceEntries(catalog, entries, exits, rateLimiter, deferredEntries);
        this.duplicates = new DuplicateFilter(guardRails.duplicateTtl());
        this.duplicateTtl = guardRails.duplicateTtl();
        this.history = history;
    }

    /** The entry behaviour, which {@code jump} steps enter through. */
    Entries entries() {
        return entries;
    }

    /** One input, at {@code now}. */
    void handle(EngineInput input, Instant now, ProfileUnit unit) throws Exception {
        if (input.getUpdate() != null) {
            unit.setAttributes((ObjectNode) JSON.readTree(input.getUpdate().getAttributes()));
            return;
        }
        if (input.getQualification() != null) {
            audiences.qualify(input.getQualification(), now, unit);
            return;
        }
        if (input.getMember() != null) {
            audiences.enterMember(input.getMember(), now, unit);
            return;
        }
        ProfileEvent event = input.getEvent();
        if (isDuplicate(event, now, unit)) {
            return;
        }
        if (catalog.counts(event.getType())) {
            unit.register(history.record(event), TimerReason.HISTORY);
        }
        ArrivingEvent arriving = ArrivingEvent.of(event, unit);
        if (catalog.optimisesSendTimes() && unit.sendTimes().isEngagement(event.getType())) {
            unit.sendTimes().learn(arriving, unit);
        }
        // a conversion counts before the same event exits or moves the instance
        goals.convertOn(arriving, now, unit);
        exits.exitOn(arriving, now, unit);
        lifecycle.react(arriving, now, unit);
        entries.enterOn(arriving, now, unit);
    }

    /**
     * The profile's timer fired at {@code timestamp}: what was due by then, then the inputs held for that
     * instant (event time). Wake-ups fire before inputs of the same instant: a wait of d reached at t is
     * over at t + d, and an event at exactly a timeout is too late.
     */
    void fire(long timestamp, ProfileUnit unit, EventTimeBuffer buffer) throws Exception {
        Instant now = Instant.ofEpochMilli(timestamp);
        List<TimerReason> due = unit.takeDue(timestamp);
        for (TimerReason reason : due) {
            if (reason instanceof TimerReason.Instance instance) {
                lifecycle.wake(instance.journeyId(), now, unit);
            }
        }
        boolean pending = false;
        for (TimerReason reason : due) {
            if (reason instanceof TimerReason.Deferred deferred) {
                audiences.enterDeferred(deferred.journeyId(), now, unit);
            } else if (reason instanceof TimerReason.GoalWindow window) {
                goalWatches.forget(window.instanceId(), unit);
            } else if (reason instanceof TimerReason.History) {
                history.dropIfExpired(timestamp);
            } else if (reason instanceof TimerReason.Pending) {
                pending = true;
            }
            // instances woke above; what a FORGET reason is for, the unit's flush does
        }
        if (pending) {
            for (EngineInput input : buffer.release(timestamp)) {
                handle(input, now, unit);
            }
        }
    }

    private boolean isDuplicate(ProfileEvent event, Instant now, ProfileUnit unit) {
        long at = now.toEpochMilli();
        if (duplicates.seenBefore(unit.record(), event.getEventId(), at)) {
            unit.emitter().deadLetter(DeadLetters.ofEvent(ErrorCodes.DUPLICATE_EVENT,
                    Ids.of("duplicate", event.getEventId(), event.getTimestamp(), at),
                    "Expected a new event id, but " + event.getEventId() + " was seen within the last "
                            + duplicateTtl + "; processed once only",
                    event));
            return true;
        }
        return false;
    }
}
