package io.journeys.engine;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * What a test expects one profile to keep once its instances have ended (or while some of them wait): the
 * harness's leftovers check ({@link ProcessorHarness#assertLeftBehind}) fails on anything else in its state
 * and timers, and on anything named here that is missing.
 *
 * <pre>{@code
 * h.untilTheEnd().assertLeftBehind(Kept.profile("p1").attributes("{\"loginCount\": 0}").onceEverEntry("welcome"));
 * }</pre>
 *
 * <p>By default a profile keeps nothing: no attributes, memberships, exports, instances, timer reasons, deferred
 * entries, pending inputs or event history, no entry history and no event id past its time. Event ids and
 * re-entry histories still within their time are not leftovers (the engine must remember them); when they
 * are all the record keeps, a "forget" timer must be there to drop them.
 */
final class Kept {

    final String profileId;
    String attributes = ProfileRecord.NO_ATTRIBUTES;
    boolean someAttributes;
    final Set<String> memberships = new TreeSet<>();
    final Map<String, String> lastExports = new TreeMap<>();
    final Set<String> onceEverEntries = new TreeSet<>();
    final Map<String, Long> entriesUntil = new TreeMap<>();
    final Set<String> parked = new TreeSet<>();
    final Map<String, Set<Long>> stops = new HashMap<>();
    final Map<Long, List<String>> orphanReasons = new TreeMap<>();
    boolean eventHistory;
    int expiredIds;
    final Set<String> expiredEntries = new TreeSet<>();
    boolean anyExpired;

    private Kept(String profileId) {
        this.profileId = profileId;
    }

    /** A profile that is expected to keep nothing, unless more is named. */
    static Kept profile(String profileId) {
        return new Kept(profileId);
    }

    /** Its attributes, as a JSON object (compared as JSON, not as text). */
    Kept attributes(String json) {
        attributes = json;
        return this;
    }

    /** Some attributes, whatever they are (a generated scenario's, which the property does not compute). */
    Kept someAttributes() {
        someAttributes = true;
        return this;
    }

    /** The audiences it is a member of (qualifications). */
    Kept memberships(String... audienceIds) {
        memberships.addAll(List.of(audienceIds));
        return this;
    }

    /** The last export of an audience it was a member of. */
    Kept lastExport(String audienceId, String exportId) {
        lastExports.put(audienceId, exportId);
        return this;
    }

    /** The fact that it entered a journey it may never enter again (re-entry not allowed, or an audience once). */
    Kept onceEverEntry(String... journeyIds) {
        onceEverEntries.addAll(List.of(journeyIds));
        return this;
    }

    /** Its last entry into a journey, kept for the re-entry wait period, until {@code forgetAt} (not yet past). */
    Kept entryUntil(String journeyId, Instant forgetAt) {
        entriesUntil.put(journeyId, forgetAt.toEpochMilli());
        return this;
    }

    /**
     * A live instance of the journey, parked: its timer reasons are expected exactly at its wake-up (if it has
     * one), its journey timeout, and the stops named with {@link #stopAt}.
     */
    Kept parked(String... journeyIds) {
        parked.addAll(List.of(journeyIds));
        return this;
    }

    /** A stop of the journey its parked instance has a timer reason for. */
    Kept stopAt(String journeyId, Instant at) {
        stops.computeIfAbsent(journeyId, id -> new HashSet<>()).add(at.toEpochMilli());
        return this;
    }

    /**
     * A timer reason the engine leaves behind on purpose with no instance to serve (a journey stopped in
     * processing time cannot move its profiles' timers): it finds nothing to do when it is due.
     */
    Kept orphanReason(Instant at, String reason) {
        orphanReasons.computeIfAbsent(at.toEpochMilli(), instant -> new ArrayList<>()).add(reason);
        return this;
    }

    /** Its recent events of counted types (countEvents), with the timer that drops them. */
    Kept eventHistory() {
        eventHistory = true;
        return this;
    }

    /**
     * Exactly this many event ids past their time, which a record that keeps something else (attributes,
     * memberships, a once-ever entry...) drops only when it is next written: it has no timer of its own.
     */
    Kept expiredIds(int count) {
        expiredIds = count;
        return this;
    }

    /** Re-entry histories past their time, kept like {@link #expiredIds} until the record is next written. */
    Kept expiredEntries(String... journeyIds) {
        expiredEntries.addAll(List.of(journeyIds));
        return this;
    }

    /**
     * Any event ids and re-entry histories past their time, as long as the record keeps something else (it drops
     * them when next written); for generated scenarios, where counting them means redoing the engine's work.
     */
    Kept anyExpiredUntilNextWrite() {
        anyExpired = true;
        return this;
    }

    @Override
    public String toString() {
        return "Kept[" + profileId + ": attributes " + (someAttributes ? "some" : attributes) + ", memberships " + memberships + ", exports "
                + lastExports + ", once-ever entries " + onceEverEntries + ", entries until " + entriesUntil
                + ", parked " + parked + ", stops " + stops + ", orphan reasons " + orphanReasons + ", history "
                + eventHistory + ", expired ids " + (anyExpired ? "any" : expiredIds) + ", expired entries "
                + (anyExpired ? "any" : expiredEntries) + "]";
    }
}
