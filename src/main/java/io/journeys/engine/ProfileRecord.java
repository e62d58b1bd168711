package io.journeys.engine;

import io.journeys.avro.EntryHistory;
import io.journeys.avro.GoalWatch;
import io.journeys.avro.InstanceState;
import io.journeys.avro.ProfileState;
import io.journeys.avro.Delivery;
import io.journeys.avro.EngagementHours;
import io.journeys.avro.RuleLog;
import io.journeys.dsl.CalendarWindow;
import io.journeys.avro.SeenEvent;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.apache.flink.api.common.state.ValueStateDescriptor;

/**
 * The working copy of one profile's state record ({@link ProfileState}): attributes, memberships, last
 * exports, live instances, the reasons of its timer, its entry history and the event ids it saw lately.
 * The engine reads it once per input or timer and writes it back once, and only when something changed:
 * one record instead of several state objects is what keeps an input to one state read and one write.
 */
final class ProfileRecord {

    static final String NO_ATTRIBUTES = "{}";

    private String attributes;
    private final List<String> memberships;
    private final Map<String, String> lastExports;
    private final Map<String, InstanceState> instances;
    /** Reasons by instant, earliest first: the profile's one Flink timer is at the first instant. */
    private final TreeMap<Long, List<String>> timers;
    private final Map<String, EntryHistory> entries;
    private final List<SeenEvent> seenEvents;
    private final Map<String, GoalWatch> goalWatches;
    private final Map<String, RuleLog> ruleLogs;
    private final Map<String, EngagementHours> engagement;
    private boolean changed;

    private ProfileRecord(String attributes, List<String> memberships, Map<String, String> lastExports,
            Map<String, InstanceState> instances, TreeMap<Long, List<String>> timers,
            Map<String, EntryHistory> entries, List<SeenEvent> seenEvents, Map<String, GoalWatch> goalWatches,
            Map<String, RuleLog> ruleLogs, Map<String, EngagementHours> engagement) {
        this.attributes = attributes;
        this.ruleLogs = ruleLogs;
        this.engagement = engagement;
        this.goalWatches = goalWatches;
        this.memberships = memberships;
        this.lastExports = lastExports;
        this.instances = instances;
        this.timers = timers;
        this.entries = entries;
        this.seenEvents = seenEvents;
    }

    /** The record as stored, or an empty one when nothing is stored. */
    static ProfileRecord of(ProfileState stored) {
        if (stored == null) {
            return new ProfileRecord(NO_ATTRIBUTES, new ArrayList<>(), new HashMap<>(), new HashMap<>(4),
                    new TreeMap<>(), new HashMap<>(), new ArrayList<>(), new HashMap<>(), new HashMap<>(), new HashMap<>());
        }
        // Avro's arrays cannot remove elements: work on plain Java collections
        TreeMap<Long, List<String>> timers = new TreeMap<>();
        stored.getTimers().forEach((at, reasons) -> timers.put(Long.parseLong(at), new ArrayList<>(reasons)));
        return new ProfileRecord(stored.getAttributes(), new ArrayList<>(stored.getMemberships()),
                new HashMap<>(stored.getLastExports()), new HashMap<>(stored.getInstances()), timers,
                new HashMap<>(stored.getEntries()), new ArrayList<>(stored.getSeenEvents()),
                new HashMap<>(stored.getGoalWatches()), mutableLogs(stored.getRuleLogs()),
                new HashMap<>(stored.getEngagement()));
    }

    private static Map<String, RuleLog> mutableLogs(Map<String, RuleLog> stored) {
        Map<String, RuleLog> logs = new HashMap<>(stored.size() * 2);
        stored.forEach((ruleSetId, log) -> logs.put(ruleSetId,
                new RuleLog(new ArrayList<>(log.getDeliveries()), new ArrayList<>(log.getEntries()))));
        return logs;
    }

    ProfileState toState() {
        Map<String, List<String>> timersByText = new HashMap<>(timers.size() * 2);
        timers.forEach((at, reasons) -> timersByText.put(String.valueOf(at), reasons));
        return new ProfileState(attributes, memberships, lastExports, instances, timersByText, entries, seenEvents,
                goalWatches, ruleLogs, engagement);
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
                && instances.isEmpty() && timers.isEmpty() && entries.isEmpty() && seenEvents.isEmpty()
                && goalWatches.isEmpty() && ruleLogs.isEmpty() && engagement.isEmpty();
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

    // ---- live instances ----

    /** The journeys the profile has a live instance of, in no particular order. */
    Set<String> liveJourneys() {
        return instances.keySet();
    }

    boolean isLive(String journeyId) {
        return instances.containsKey(journeyId);
    }

    InstanceState instance(String journeyId) {
        return instances.get(journeyId);
    }

    /** Keeps the instance (new or changed) as its journey's live one. */
    void putInstance(InstanceState instance) {
        instances.put(instance.getJourneyId(), instance);
        changed = true;
    }

    void removeInstance(String journeyId) {
        changed |= instances.remove(journeyId) != null;
    }

    /** The keyed state that holds each profile's record (one entry per profile). */
    static ValueStateDescriptor<ProfileState> stateDescriptor() {
        return new ValueStateDescriptor<>("profile", AvroRecords.typeInfo(ProfileState.class));
    }

    // ---- timers: the reasons of each instant the profile is due at; Flink has a timer at the first ----

    /** The first instant some reason is due at, where the profile's Flink timer is; Long.MAX_VALUE for none. */
    long firstTimer() {
        return timers.isEmpty() ? Long.MAX_VALUE : timers.firstKey();
    }

    /** Adds a reason to the instant {@code at}. */
    void addTimerReason(long at, String reason) {
        List<String> reasons = timers.computeIfAbsent(at, instant -> new ArrayList<>(1));
        if (!reasons.contains(reason)) {
            reasons.add(reason);
            changed = true;
        }
    }

    /** Removes a reason of the instant {@code at}, if it is there. */
    void removeTimerReason(long at, String reason) {
        List<String> reasons = timers.get(at);
        if (reasons != null && reasons.remove(reason)) {
            changed = true;
            if (reasons.isEmpty()) {
                timers.remove(at);
            }
        }
    }

    /** Removes a reason from every instant it is at: no need to know where it was registered. */
    void removeTimerReasonEverywhere(String reason) {
        Iterator<List<String>> instants = timers.values().iterator();
        while (instants.hasNext()) {
            List<String> reasons = instants.next();
            if (reasons.remove(reason)) {
                changed = true;
                if (reasons.isEmpty()) {
                    instants.remove();
                }
            }
        }
    }

    /** Whether any reason is kept: most records have none, and callers then need not name one. */
    boolean hasTimers() {
        return !timers.isEmpty();
    }

    boolean hasTimerFor(String reason) {
        for (List<String> reasons : timers.values()) {
            if (reasons.contains(reason)) {
                return true;
            }
        }
        return false;
    }

    /** Whether every reason of the profile's timers is {@code reason}. */
    boolean hasTimersOnlyFor(String reason) {
        for (List<String> reasons : timers.values()) {
            if (reasons.size() != 1 || !reasons.get(0).equals(reason)) {
                return false;
            }
        }
        return true;
    }

    /**
     * The reasons due at or before {@code at}, earliest instant first and sorted within an instant; they
     * are no longer pending.
     */
    List<String> takeTimerReasons(long at) {
        List<String> due = new ArrayList<>();
        while (!timers.isEmpty() && timers.firstKey() <= at) {
            List<String> reasons = timers.pollFirstEntry().getValue();
            reasons.sort(String::compareTo);
            due.addAll(reasons);
            changed = true;
        }
        return due;
    }

    // ---- event ids seen lately (duplicates) ----

    /** Whether an event id of this hash is remembered at {@code now}; if not, it is remembered until forgetAt. */
    boolean seenBefore(long idHash, long now, long forgetAt) {
        for (SeenEvent seen : seenEvents) {
            if (seen.getIdHash() == idHash && seen.getForgetAt() > now) {
                return true;
            }
        }
        seenEvents.add(new SeenEvent(idHash, forgetAt));
        changed = true;
        return false;
    }

    // ---- ended instances whose goals may still convert ----

    /** The watches of ended instances, by instance id (the map itself: callers change it through the methods below). */
    Map<String, GoalWatch> goalWatches() {
        return goalWatches;
    }

    void putGoalWatch(String instanceId, GoalWatch watch) {
        goalWatches.put(instanceId, watch);
        changed = true;
    }

    void removeGoalWatch(String instanceId) {
        changed |= goalWatches.remove(instanceId) != null;
    }

    // ---- what delivery rules count ----

    /** What the caps of a rule set count for this profile, or null when nothing is counted yet. */
    RuleLog ruleLog(String ruleSetId) {
        return ruleLogs.get(ruleSetId);
    }

    /** An action request on {@code channel} was sent at {@code at} under the rule set. */
    void logDelivery(String ruleSetId, long at, String channel) {
        log(ruleSetId).getDeliveries().add(new Delivery(at, channel));
        changed = true;
    }

    /** The profile entered a journey of the rule set at {@code at}. */
    void logEntry(String ruleSetId, long at) {
        log(ruleSetId).getEntries().add(at);
        changed = true;
    }

    private RuleLog log(String ruleSetId) {
        return ruleLogs.computeIfAbsent(ruleSetId, id -> new RuleLog(new ArrayList<>(), new ArrayList<>()));
    }

    /** When a rule log's oldest count falls outside every calendar window, or Long.MAX_VALUE for no log. */
    private long firstLogExpiry() {
        long oldest = Long.MAX_VALUE;
        for (RuleLog log : ruleLogs.values()) {
            if (!log.getDeliveries().isEmpty()) {
                oldest = Math.min(oldest, log.getDeliveries().get(0).getAt());
            }
            if (!log.getEntries().isEmpty()) {
                oldest = Math.min(oldest, log.getEntries().get(0));
            }
        }
        return oldest == Long.MAX_VALUE ? oldest : oldest + CalendarWindow.LONGEST.toMillis();
    }

    private boolean forgetOldCounts(long now) {
        long before = now - CalendarWindow.LONGEST.toMillis();
        boolean forgot = false;
        for (Iterator<RuleLog> logs = ruleLogs.values().iterator(); logs.hasNext(); ) {
            RuleLog log = logs.next();
            forgot |= log.getDeliveries().removeIf(delivery -> delivery.getAt() <= before);
            forgot |= log.getEntries().removeIf(at -> at <= before);
            if (log.getDeliveries().isEmpty() && log.getEntries().isEmpty()) {
                logs.remove();
                forgot = true;
            }
        }
        return forgot;
    }

    // ---- when the profile engages, for send-time optimisation ----

    /** How long a profile's engagement is kept after its last one: as long as a model learns from (16 weeks). */
    static final long ENGAGEMENT_KEPT_MS = java.time.Duration.ofDays(16 * 7).toMillis();

    EngagementHours engagement(String kind) {
        return engagement.get(kind);
    }

    void putEngagement(String kind, EngagementHours hours) {
        engagement.put(kind, hours);
        changed = true;
    }

    // ---- entry history ----

    EntryHistory entry(String journeyId) {
        return entries.get(journeyId);
    }

    void putEntry(String journeyId, EntryHistory entry) {
        entries.put(journeyId, entry);
        changed = true;
    }

    /**
     * Forgets what has had its time: entries re-entry no longer depends on (not live, forget time passed)
     * and event ids past the duplicate TTL.
     */
    void forgetExpired(long now) {
        changed |= entries.entrySet().removeIf(
                e -> e.getValue().getForgetAt() <= now && !instances.containsKey(e.getKey()));
        changed |= seenEvents.removeIf(seen -> seen.getForgetAt() <= now);
        changed |= goalWatches.values().removeIf(watch -> watch.getClosesAt() <= now);
        if (!ruleLogs.isEmpty()) {
            changed |= forgetOldCounts(now);
        }
        if (!engagement.isEmpty()) {
            changed |= engagement.values().removeIf(hours -> hours.getAsOf() + ENGAGEMENT_KEPT_MS <= now);
        }
    }

    /**
     * When a timer must wake the profile to forget: only when entries, seen event ids and the counts of delivery
     * rules are all the record keeps, so that forgetting them removes it, at the earliest instant one of them may be
     * forgotten. Else
     * {@code Long.MAX_VALUE}: a record that keeps anything else, or an entry for ever (no re-entry), stays,
     * and forgets them when it is next written, with no timer of its own.
     */
    long forgetAt(String forgetReason) {
        if (!attributes.equals(NO_ATTRIBUTES) || !memberships.isEmpty() || !lastExports.isEmpty()
                || !instances.isEmpty() || !goalWatches.isEmpty() || !hasTimersOnlyFor(forgetReason)) {
            return Long.MAX_VALUE;
        }
        long earliest = Long.MAX_VALUE;
        for (EntryHistory entry : entries.values()) {
            if (entry.getForgetAt() == Long.MAX_VALUE) {
                return Long.MAX_VALUE;
            }
            earliest = Math.min(earliest, entry.getForgetAt());
        }
        for (SeenEvent seen : seenEvents) {
            earliest = Math.min(earliest, seen.getForgetAt());
        }
        for (EngagementHours hours : engagement.values()) {
            earliest = Math.min(earliest, hours.getAsOf() + ENGAGEMENT_KEPT_MS);
        }
        return Math.min(earliest, firstLogExpiry());
    }
}
