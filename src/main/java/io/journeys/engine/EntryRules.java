package io.journeys.engine;

import io.journeys.avro.InstanceState;
import io.journeys.avro.RuleLog;
import io.journeys.avro.StepEvent;
import io.journeys.dsl.RuleSet;
import java.time.Instant;
import java.time.ZoneId;

/**
 * The entry caps of a rule set: at most {@code max} entries per calendar window into its journeys, and at most
 * {@code maxConcurrent} live instances of them at once (held and parked ones count). A refused entry makes no
 * instance; its step event says {@code excluded}, with the rule's code, at the journey's start step.
 */
final class EntryRules {

    private final JourneyCatalog catalog;

    EntryRules(JourneyCatalog catalog) {
        this.catalog = catalog;
    }

    /** Whether the journey's rules let the profile in now; a refusal is emitted as an excluded step event. */
    boolean admit(CompiledJourney journey, String instanceId, Instant now, ProfileUnit unit) {
        String ruleSetId = journey.journey().rules();
        RuleSet rules = ruleSetId == null ? null : catalog.ruleSet(ruleSetId, now);
        if (rules == null || rules.entries() == null) {
            return true;
        }
        RuleSet.Entries caps = rules.entries();
        if (caps.max() > 0) {
            ZoneId zone = caps.timeZone().zoneFor(unit.attributes(), rules.fallbackTimeZone());
            long windowStart = caps.per().startOf(now, zone).toEpochMilli();
            int entered = enteredSince(unit.record().ruleLog(ruleSetId), windowStart);
            if (entered >= caps.max()) {
                exclude(journey, instanceId, now, unit, ErrorCodes.ENTRY_CAPPED, "entry cap of " + ruleSetId + ": "
                        + entered + " of at most " + caps.max() + " entries per " + caps.per().jsonName() + " ("
                        + zone.getId() + ") already");
                return false;
            }
        }
        if (caps.maxConcurrent() > 0) {
            int live = liveUnder(ruleSetId, unit);
            if (live >= caps.maxConcurrent()) {
                exclude(journey, instanceId, now, unit, ErrorCodes.CONCURRENCY_CAPPED, "concurrency cap of "
                        + ruleSetId + ": " + live + " of at most " + caps.maxConcurrent() + " live instances already");
                return false;
            }
        }
        if (caps.max() > 0) {
            unit.logEntry(ruleSetId, now);
        }
        return true;
    }

    private static int enteredSince(RuleLog log, long windowStart) {
        if (log == null) {
            return 0;
        }
        int entered = 0;
        for (long at : log.getEntries()) {
            if (at >= windowStart) {
                entered++;
            }
        }
        return entered;
    }

    /** The profile's live instances of journeys (in the versions they run) that follow the rule set. */
    private int liveUnder(String ruleSetId, ProfileUnit unit) {
        int live = 0;
        for (String journeyId : unit.liveJourneys()) {
            InstanceState instance = unit.instance(journeyId);
            CompiledJourney version = catalog.version(journeyId, instance.getJourneyVersion());
            if (version != null && ruleSetId.equals(version.journey().rules())) {
                live++;
            }
        }
        return live;
    }

    private static void exclude(CompiledJourney journey, String instanceId, Instant now, ProfileUnit unit,
            String errorCode, String message) {
        unit.emitter().step(new StepEvent(Ids.within(instanceId, journey.journey().start(), 0, StepStatus.EXCLUDED),
                unit.profileId(), journey.id(), journey.version(), instanceId, journey.journey().start(),
                StepStatus.EXCLUDED, now.toEpochMilli(), null, errorCode, message, null, null, null, null, null, null,
                null));
    }
}
