package io.journeys.engine;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.journeys.avro.AudienceMember;
import io.journeys.avro.AudienceQualification;
import io.journeys.avro.DeferredEntry;
import io.journeys.avro.ProfileEvent;
import io.journeys.dsl.Journey;
import java.time.Instant;
import org.apache.flink.api.common.state.MapState;

/**
 * Entries from audiences: members of exports (incremental, once, at the journey's rate: an entry the rate
 * holds back waits in state for its slot) and qualifications (entering or leaving an audience, which also
 * changes the profile's memberships for {@code inAudience} and may exit instances).
 */
final class AudienceEntries {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final JourneyCatalog catalog;
    private final Entries entries;
    private final Exits exits;
    private final EntryRateLimiter rateLimiter;
    private final MapState<String, DeferredEntry> deferredEntries;

    AudienceEntries(JourneyCatalog catalog, Entries entries, Exits exits, EntryRateLimiter rateLimiter,
            MapState<String, DeferredEntry> deferredEntries) {
        this.catalog = catalog;
        this.entries = entries;
        this.exits = exits;
        this.rateLimiter = rateLimiter;
        this.deferredEntries = deferredEntries;
    }

    /**
     * A profile entered or left an audience: its memberships change, instances of journeys that exit on
     * leaving it exit, and journeys that enter on it enter.
     */
    void qualify(AudienceQualification qualification, Instant now, ProfileUnit unit) {
        String audienceId = qualification.getAudienceId();
        boolean entering = qualification.getStatus().equals("enter");
        unit.setMembership(audienceId, entering);
        ProfileEvent cause = new ProfileEvent(
                Ids.of("qualification", qualification.getProfileId(), audienceId, qualification.getStatus(),
                        qualification.getTimestamp()),
                qualification.getProfileId(), "audience." + qualification.getStatus(), qualification.getTimestamp(),
                JSON.createObjectNode().put("audienceId", audienceId).toString(), null);
        if (!entering) {
            exits.exitOnLeaving(audienceId, now, unit);
        }
        ArrivingEvent arriving = ArrivingEvent.of(cause, unit);
        for (CompiledJourney journey : catalog.versionsForEntry(
                catalog.journeysEnteredByQualification(audienceId, qualification.getStatus()), now)) {
            if (entries.mayEnter(journey, now, cause, unit)
                    && entries.filterHolds(journey, arriving, now, unit)) {
                entries.enter(journey, cause, now, unit);
            }
        }
    }

    /**
     * A member of an audience export: it enters every journey reading that audience, unless the journey is
     * incremental and the profile was in the previous export, or enters once only and it entered before.
     */
    void enterMember(AudienceMember member, Instant now, ProfileUnit unit) throws Exception {
        String lastExport = unit.lastExport(member.getAudienceId());
        unit.recordExport(member.getAudienceId(), member.getExportId());
        ProfileEvent cause = exportCause(member);
        ArrivingEvent arriving = ArrivingEvent.of(cause, unit);
        for (CompiledJourney journey : catalog.versionsForEntry(catalog.journeysEnteredByExportsOf(member.getAudienceId()),
                now)) {
            String journeyId = journey.id();
            Journey.Entry entry = journey.journey().entry();
            boolean inPreviousExport = member.getPreviousExportId() != null
                    && member.getPreviousExportId().equals(lastExport);
            if ((entry.incremental() && inPreviousExport) || (entry.once() && unit.entry(journeyId) != null)) {
                continue;
            }
            TimerReason deferred = new TimerReason.Deferred(journeyId);
            if (unit.hasTimerFor(deferred) || !entries.mayEnter(journey, now, cause, unit)
                    || !entries.filterHolds(journey, arriving, now, unit)) {
                continue;
            }
            long slot = rateLimiter.nextSlot(journeyId, entry.rate(), now.toEpochMilli());
            if (slot <= now.toEpochMilli()) {
                entries.enter(journey, cause, now, unit);
            } else {
                // the journey's rate holds this entry back until its slot
                deferredEntries.put(journeyId, new DeferredEntry(member, slot));
                unit.register(slot, deferred);
            }
        }
    }

    /** An entry the rate held back: its slot has come. */
    void enterDeferred(String journeyId, Instant now, ProfileUnit unit) throws Exception {
        DeferredEntry deferred = deferredEntries.get(journeyId);
        if (deferred == null || deferred.getEnterAt() > now.toEpochMilli()) {
            return;
        }
        deferredEntries.remove(journeyId);
        ProfileEvent cause = exportCause(deferred.getMember());
        CompiledJourney journey = catalog.versionForEntry(journeyId, now);
        if (journey != null && entries.mayEnter(journey, now, cause, unit)) {
            entries.enter(journey, cause, now, unit);
        }
    }

    private static ProfileEvent exportCause(AudienceMember member) {
        // the member's place names it: a profile is once in an export of an audience
        String eventId = "export:" + member.getAudienceId() + ":" + member.getExportId() + ":" + member.getProfileId();
        return new ProfileEvent(eventId, member.getProfileId(),
                "audience.export", member.getExportedAt(), member.getAttributes(), null);
    }
}
