package io.journeys.engine;

import io.journeys.avro.EntryHistory;
import io.journeys.avro.InstanceState;
import io.journeys.avro.ProfileEvent;
import io.journeys.dsl.EntryType;
import io.journeys.dsl.Journey;
import io.journeys.expr.Evaluation;
import io.journeys.expr.Variables;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;

/**
 * Whether and how a profile enters a journey, whatever brings it there: an event, an audience (export or
 * qualification) or a {@code jump} from another journey. A profile enters when it is not inside already,
 * re-entry allows it, it is under the guard rail of live instances, the entry filter holds, and the entry caps
 * of the journey's rule set leave room. When one input enters several journeys, the higher {@code priority} ones
 * go first, so they take the room the caps leave.
 */
final class Entries {

    private final JourneyCatalog catalog;
    private final InstanceLifecycle lifecycle;
    private final int maxLiveInstancesPerProfile;
    private final EntryRules rules;

    Entries(JourneyCatalog catalog, InstanceLifecycle lifecycle, int maxLiveInstancesPerProfile) {
        this.catalog = catalog;
        this.rules = new EntryRules(catalog);
        this.lifecycle = lifecycle;
        this.maxLiveInstancesPerProfile = maxLiveInstancesPerProfile;
    }

    /** Enters every journey this event type starts, whose entry allows it. */
    void enterOn(ArrivingEvent event, Instant now, ProfileUnit unit) {
        for (CompiledJourney journey : catalog.versionsForEntry(catalog.journeysEnteredBy(event.type()), now)) {
            if (mayEnter(journey, now, event.event(), unit) && filterHolds(journey, event, now, unit)) {
                enter(journey, event.event(), now, unit);
            }
        }
    }

    /**
     * A {@code jump}: enters the highest live version of a journey at its start, with the entry event of the
     * instance it jumps from (no entry filter: the journey that jumps decided). Whether it entered.
     */
    boolean enterFrom(String journeyId, InstanceState from, Instant now, ProfileUnit unit) {
        CompiledJourney target = catalog.versionForEntry(journeyId, now);
        ProfileEvent cause = new ProfileEvent(from.getEntryEventId(), unit.profileId(), from.getEntryEventType(),
                from.getEntryEventTime(), from.getEntryEventData(), null);
        return target != null && mayEnter(target, now, cause, unit) && enter(target, cause, now, unit);
    }

    /** Not inside already, re-entry allows it, and the profile is under the guard rail of live instances. */
    boolean mayEnter(CompiledJourney journey, Instant now, ProfileEvent cause, ProfileUnit unit) {
        if (unit.isLive(journey.id()) || !reentryAllows(journey, now, unit)) {
            return false;
        }
        if (catalog.journeyCount() <= maxLiveInstancesPerProfile) {
            return true; // a profile is in each journey at most once: the guard rail cannot be reached
        }
        int live = unit.liveJourneys().size();
        if (live >= maxLiveInstancesPerProfile) {
            unit.emitter().deadLetter(DeadLetters.ofEvent(ErrorCodes.TOO_MANY_INSTANCES,
                    Ids.of("guard", journey.id(), cause.getEventId()), "Expected at most "
                            + maxLiveInstancesPerProfile + " live instances per profile, but "
                            + cause.getProfileId() + " already has " + live + "; not entered into " + journey.id(),
                    cause));
            return false;
        }
        return true;
    }

    private static boolean reentryAllows(CompiledJourney journey, Instant now, ProfileUnit unit) {
        EntryHistory previous = unit.entry(journey.id());
        if (previous == null) {
            return true;
        }
        Journey.Reentry reentry = journey.journey().reentry();
        return reentry.allowed() && now.toEpochMilli() - previous.getLastEntryAt() >= reentry.waitPeriod().toMillis();
    }

    /** The journey's entry {@code when}; a failure is a dead letter (EXP-00x) and the profile does not enter. */
    boolean filterHolds(CompiledJourney journey, ArrivingEvent event, Instant now, ProfileUnit unit) {
        if (journey.entryWhen() == null) {
            return true;
        }
        Variables variables = Variables.inZone(journey.journey().timeZone())
                .event(event.type(), event.time(), event.payload())
                .profile(unit.attributes())
                .journey(journey.entryJourneyValues())
                .eventCounter(unit.eventCounter())
                .memberships(unit.memberships())
                .now(now);
        if (journey.journey().entry().type() == EntryType.AUDIENCE) {
            variables.audience(event.payload());
        }
        Evaluation<Boolean> holds = journey.entryWhen().evaluateBoolean(variables);
        if (holds.failed()) {
            unit.emitter().deadLetter(DeadLetters.ofEvent(ErrorCodes.of(holds.failure()),
                    Ids.of("entry", journey.id(), journey.version(), event.event().getEventId()),
                    "journey " + journey.id() + " v" + journey.version() + " "
                            + ExpressionFailures.message("/entry/when", holds.failure()),
                    event.event()));
            return false;
        }
        return holds.value();
    }

    /**
     * Enters now, unless the rule set's entry caps refuse it (an excluded step event): the entry is remembered for
     * re-entry, and the new instance starts its life. Whether it entered.
     */
    boolean enter(CompiledJourney journey, ProfileEvent cause, Instant now, ProfileUnit unit) {
        Journey definition = journey.journey();
        long at = now.toEpochMilli();
        String instanceId = Ids.of(cause.getProfileId(), journey.id(), journey.version(), at, cause.getEventId());
        if (!rules.admit(journey, instanceId, now, unit)) {
            return false;
        }
        // the all-fields constructor, every field given: a builder copies the schema's fields and checks each
        // value on every entry
        InstanceState instance = new InstanceState(journey.id(), journey.version(), instanceId, definition.start(),
                at, at, 0L, at + definition.timeout().toMillis(), 0, cause.getEventId(), cause.getType(),
                cause.getTimestamp(), cause.getData(), new HashMap<>(), new HashMap<>(), new HashMap<>(),
                new HashMap<>(), new ArrayList<>());
        Journey.Reentry reentry = definition.reentry();
        boolean onceEver = !reentry.allowed() || definition.entry().once();
        unit.putEntry(journey.id(), new EntryHistory(at, onceEver ? Long.MAX_VALUE : at + reentry.waitPeriod().toMillis()));
        lifecycle.start(journey, instance, now, unit);
        return true;
    }
}
