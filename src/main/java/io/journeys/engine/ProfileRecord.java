package io.journeys.engine;

import io.journeys.avro.EntryHistory;
import io.journeys.avro.ProfileState;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The working copy of one profile's state record ({@link ProfileState}): attributes, memberships, last
 * exports, live journeys, the reasons of its timers and its entry history. The engine reads it once per
 * input or timer and writes it back once, and only when something changed: one record instead of several
 * state objects is what keeps an input to one state read and one write.
 */
final class ProfileRecord {

    static final String NO_ATTRIBUTES = "{}";

    private String attributes;
    private final List<String> memberships;
    private final Map<String, String> lastExports;
    private final List<String> liveJourneys;
    private final Map<String, List<String>> timers;
    private final Map<String, EntryHistory> entries;
    private boolean changed;

    private ProfileRecord(String attributes, List<String> memberships, Map<String, String> lastExports,
            List<String> liveJourneys, Map<String, List<String>> timers, Map<String, EntryHistory> entries) {
        this.attributes = attributes;
        this.memberships = memberships;
        this.lastExports = lastExports;
        this.liveJourneys = liveJourneys;
        this.timers = timers;
        this.entries = entries;
    }

    /** The record as stored, or an empty one when nothing is stored. */
    static ProfileRecord of(ProfileState stored) {
        if (stored == null) {
            return new ProfileRecord(NO_ATTRIBUTES, new ArrayList<>(), new HashMap<>(), new ArrayList<>(),
                    new HashMap<>(), new HashMap<>());
        }
        // Avro's arrays cannot remove elements: work on plain Java collections
        Map<String, List<String>> timers = new HashMap<>();
        stored.getTimers().forEach((at, reasons) -> timers.put(at, new ArrayList<>(reasons)));
        return new ProfileRecord(stored.getAttributes(), new ArrayList<>(stored.getMemberships()),
                new HashMap<>(stored.getLastExports()), new ArrayList<>(stored.getLiveJourneys()), timers,
                new HashMap<>(stored.getEntries()));
    }

    ProfileState toState() {
        return new ProfileState(attributes, memberships, lastExports, liveJourneys, timers, entries);
    }

    boolean changed() {
        return changed;
    }

    void markWritten() {
        changed = false;
    }

    /** Nothing worth keeping: the record can be removed from state. */
    boolean isEmpty() {
        return attributes.equals(NO_ATTRIBUTES) && memberships.isEmpty() && lastExports.isEmpty()
                && liveJourneys.isEmpty() && timers.isEmpty() && entries.isEmpty();
    }

    // ---- attributes and audiences ----

    String attributes() {
        return attributes;
    }

    void setAttributes(String json) {
        attributes = json;
        changed = true;
    }

    List<String> memberships() {
        return memberships;
    }

    void setMembership(String audienceId, boolean member) {
        boolean was = memberships.remove(audienceId);
        if (member) {
            memberships.add(audienceId);
        }
        changed |= was != member;
    }

    String lastExport(String audienceId) {
        return lastExports.get(audienceId);
    }

    void recordExport(String audienceId, String exportId) {
        if (!exportId.equals(lastExports.put(audienceId, exportId))) {
            changed = true;
        }
    }

    // ---- live journeys ----

    List<String> liveJourneys() {
        return liveJourneys;
    }

    boolean isLive(String journeyId) {
        return liveJourneys.contains(journeyId);
    }

    void addLive(String journeyId) {
        if (!liveJourneys.contains(journeyId)) {
            liveJourneys.add(journeyId);
            changed = true;
        }
    }

    void removeLive(String journeyId) {
        changed |= liveJourneys.remove(journeyId);
    }

    // ---- timers: the reasons of each instant the profile has a Flink timer at ----

    /** Adds a reason to the timer at {@code at}; whether the instant had no reason before (a new Flink timer). */
    boolean addTimerReason(long at, String reason) {
        List<String> reasons = timers.get(String.valueOf(at));
        if (reasons == null) {
            reasons = new ArrayList<>(1);
            timers.put(String.valueOf(at), reasons);
        }
        if (reasons.contains(reason)) {
            return false;
        }
        reasons.add(reason);
        changed = true;
        return reasons.size() == 1;
    }

    /** Removes a reason of the timer at {@code at}; whether the instant has no reason left (delete the timer). */
    boolean removeTimerReason(long at, String reason) {
        List<String> reasons = timers.get(String.valueOf(at));
        if (reasons == null || !reasons.remove(reason)) {
            return false;
        }
        changed = true;
        if (reasons.isEmpty()) {
            timers.remove(String.valueOf(at));
            return true;
        }
        return false;
    }

    boolean hasTimerFor(String reason) {
        for (List<String> reasons : timers.values()) {
            if (reasons.contains(reason)) {
                return true;
            }
        }
        return false;
    }

    /** Whether every timer of the profile exists only for {@code reason}. */
    boolean hasTimersOnlyFor(String reason) {
        for (List<String> reasons : timers.values()) {
            if (reasons.size() != 1 || !reasons.get(0).equals(reason)) {
                return false;
            }
        }
        return true;
    }

    /** The reasons of the timer at {@code at}, sorted; they are no longer pending. */
    List<String> takeTimerReasons(long at) {
        List<String> reasons = timers.remove(String.valueOf(at));
        if (reasons == null) {
            return List.of();
        }
        changed = true;
        reasons.sort(String::compareTo);
        return reasons;
    }

    // ---- entry history ----

    EntryHistory entry(String journeyId) {
        return entries.get(journeyId);
    }

    void putEntry(String journeyId, EntryHistory entry) {
        entries.put(journeyId, entry);
        changed = true;
    }

    /** Forgets entries that re-entry no longer depends on (not live, forget time passed). */
    void forgetExpiredEntries(long now) {
        changed |= entries.entrySet().removeIf(
                e -> e.getValue().getForgetAt() <= now && !liveJourneys.contains(e.getKey()));
    }

    /**
     * The earliest instant an entry may be forgotten, when the entries are all the record keeps (so that
     * forgetting them removes the record); else {@code Long.MAX_VALUE}. Entries of profiles that keep
     * anything else are forgotten at the profile's next input, without a timer of their own.
     */
    long forgetEntriesAt(String forgetReason) {
        if (!attributes.equals(NO_ATTRIBUTES) || !memberships.isEmpty() || !lastExports.isEmpty()
                || !liveJourneys.isEmpty() || !hasTimersOnlyFor(forgetReason)) {
            return Long.MAX_VALUE;
        }
        long earliest = Long.MAX_VALUE;
        for (EntryHistory entry : entries.values()) {
            earliest = Math.min(earliest, entry.getForgetAt());
        }
        return earliest;
    }
}
