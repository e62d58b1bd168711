package io.journeys.engine;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.journeys.avro.ActionRequest;
import io.journeys.avro.AudienceMember;
import io.journeys.avro.AudienceQualification;
import io.journeys.avro.DeadLetter;
import io.journeys.avro.DeferredEntry;
import io.journeys.avro.EngineInput;
import io.journeys.avro.EventHistory;
import io.journeys.avro.InstanceState;
import io.journeys.avro.PendingInputs;
import io.journeys.avro.ProfileEvent;
import io.journeys.avro.ProfileState;
import io.journeys.avro.ProfileUpdate;
import io.journeys.avro.ProfileWrite;
import io.journeys.avro.StepEvent;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;
import org.apache.flink.api.common.serialization.SerializerConfigImpl;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.state.State;
import org.apache.flink.api.common.state.StateDescriptor;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.runtime.state.KeyedStateBackend;
import org.apache.flink.runtime.state.VoidNamespace;
import org.apache.flink.runtime.state.VoidNamespaceSerializer;
import org.apache.flink.state.rocksdb.EmbeddedRocksDBStateBackend;
import org.apache.flink.streaming.api.operators.AbstractStreamOperator;
import org.apache.flink.streaming.api.operators.InternalTimerService;
import org.apache.flink.streaming.api.operators.Triggerable;
import org.apache.flink.streaming.api.operators.co.CoBroadcastWithKeyedOperator;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedBroadcastOperatorTestHarness;
import org.apache.flink.util.OutputTag;
import org.apache.flink.util.function.BiConsumerWithException;

/** The journey processor on Flink's keyed test harness with RocksDB and Kryo disabled, with small fixtures. */
final class ProcessorHarness implements AutoCloseable {

    /** The timer service of a keyed broadcast operator, as CoBroadcastWithKeyedOperator names it. */
    private static final String USER_TIMERS = "user-timers";
    private static final String INSTANCE_REASON = "instance:";
    private static final String FORGET_REASON = "forget";
    private static final String HISTORY_REASON = "history";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final KeyedBroadcastOperatorTestHarness<String, EngineInput, String, ActionRequest> harness;
    private final EngineSettings settings;
    private final AtomicLong sequence = new AtomicLong();

    // the engine's keyed state, by the names and types JourneyProcessor gives it (descriptors are set up by the
    // backend they are used with: one set per harness)
    private final ValueStateDescriptor<ProfileState> profileState =
            new ValueStateDescriptor<>("profile", AvroRecords.typeInfo(ProfileState.class));
    private final MapStateDescriptor<Long, PendingInputs> pendingState =
            new MapStateDescriptor<>("pending", Types.LONG, AvroRecords.typeInfo(PendingInputs.class));
    private final MapStateDescriptor<String, DeferredEntry> deferredState =
            new MapStateDescriptor<>("deferred-entries", Types.STRING, AvroRecords.typeInfo(DeferredEntry.class));
    private final ValueStateDescriptor<EventHistory> historyState =
            new ValueStateDescriptor<>("event-history", AvroRecords.typeInfo(EventHistory.class));

    private ProcessorHarness(EngineSettings settings) throws Exception {
        this(settings, null);
    }

    private ProcessorHarness(EngineSettings settings, OperatorSubtaskState restoreFrom) throws Exception {
        this.settings = settings;
        harness = new KeyedBroadcastOperatorTestHarness<>(
                new CoBroadcastWithKeyedOperator<>(new JourneyProcessor(settings), List.of(JourneyProcessor.DEFINITIONS)),
                EngineInput::getProfileId, Types.STRING, 128, 1, 0);
        harness.setStateBackend(new EmbeddedRocksDBStateBackend());
        ((SerializerConfigImpl) harness.getExecutionConfig().getSerializerConfig()).setGenericTypes(false);
        if (restoreFrom != null) {
            harness.initializeState(restoreFrom);
        }
        harness.open();
    }

    static ProcessorHarness eventTime(String... journeys) throws Exception {
        return new ProcessorHarness(EngineSettings.eventTime(List.of(journeys)));
    }

    static ProcessorHarness with(EngineSettings settings) throws Exception {
        return new ProcessorHarness(settings);
    }

    /** A harness restored from a snapshot of another, as after a failure or an upgrade from a savepoint. */
    static ProcessorHarness restored(EngineSettings settings, OperatorSubtaskState snapshot) throws Exception {
        return new ProcessorHarness(settings, snapshot);
    }

    KeyedBroadcastOperatorTestHarness<String, EngineInput, String, ActionRequest> flink() {
        return harness;
    }

    /** Publishes a journey document on the broadcast input, as the definitions topic would. */
    ProcessorHarness publish(String document) throws Exception {
        harness.processBroadcastElement(document, 0L);
        return this;
    }

    ProcessorHarness event(String profileId, String type, Instant at, String data) throws Exception {
        return event(profileId, type, at, data, null);
    }

    ProcessorHarness event(String profileId, String type, Instant at, String data, String requestId) throws Exception {
        long position = sequence.incrementAndGet();
        return eventWithId("e-" + position, profileId, type, at, data, requestId);
    }

    ProcessorHarness eventWithId(String eventId, String profileId, String type, Instant at, String data,
            String requestId) throws Exception {
        return eventAt(sequence.incrementAndGet(), eventId, profileId, type, at, data, requestId);
    }

    /** An event at a given position of its source: equal timestamps are handled in position order. */
    ProcessorHarness eventAt(long position, String eventId, String profileId, String type, Instant at, String data,
            String requestId) throws Exception {
        ProfileEvent event = new ProfileEvent(eventId, profileId, type, at.toEpochMilli(), data, requestId);
        harness.processElement(EngineInput.newBuilder().setProfileId(profileId).setTimestamp(at.toEpochMilli())
                .setSequence(position).setEvent(event).build(), at.toEpochMilli());
        return this;
    }

    ProcessorHarness profile(String profileId, Instant at, String attributes) throws Exception {
        return profileAt(sequence.incrementAndGet(), profileId, at, attributes);
    }

    ProcessorHarness profileAt(long position, String profileId, Instant at, String attributes) throws Exception {
        EngineInput input = EngineInput.newBuilder().setProfileId(profileId).setTimestamp(at.toEpochMilli())
                .setSequence(position).setUpdate(new ProfileUpdate(profileId, at.toEpochMilli(), attributes)).build();
        harness.processElement(input, at.toEpochMilli());
        return this;
    }

    /** A profile entering ("enter") or leaving ("exit") an audience. */
    ProcessorHarness qualification(String profileId, String audienceId, String status, Instant at) throws Exception {
        harness.processElement(EngineInput.newBuilder().setProfileId(profileId).setTimestamp(at.toEpochMilli())
                .setSequence(sequence.incrementAndGet())
                .setQualification(new AudienceQualification(profileId, audienceId, status, at.toEpochMilli())).build(),
                at.toEpochMilli());
        return this;
    }

    /** A member of an audience export. */
    ProcessorHarness member(String profileId, String audienceId, String exportId, String previousExportId,
            Instant exportedAt, String attributes) throws Exception {
        return memberAt(sequence.incrementAndGet(), profileId, audienceId, exportId, previousExportId, exportedAt,
                attributes);
    }

    /** A member of an audience export at a given position of its source (see {@link #eventAt}). */
    ProcessorHarness memberAt(long position, String profileId, String audienceId, String exportId,
            String previousExportId, Instant exportedAt, String attributes) throws Exception {
        harness.processElement(EngineInput.newBuilder().setProfileId(profileId).setTimestamp(exportedAt.toEpochMilli())
                .setSequence(position)
                .setMember(new AudienceMember(profileId, audienceId, exportId, previousExportId,
                        exportedAt.toEpochMilli(), attributes)).build(),
                exportedAt.toEpochMilli());
        return this;
    }

    ProcessorHarness watermark(Instant at) throws Exception {
        harness.watermark(at.toEpochMilli());
        return this;
    }

    ProcessorHarness untilTheEnd() throws Exception {
        harness.watermark(Long.MAX_VALUE);
        return this;
    }

    List<ActionRequest> actions() {
        return harness.extractOutputValues();
    }

    List<StepEvent> steps() {
        return side(OutputTags.STEP_EVENTS);
    }

    List<io.journeys.avro.CapRequest> capRequests() {
        return side(OutputTags.CAP_REQUESTS);
    }

    List<io.journeys.avro.ExperimentRequest> experimentRequests() {
        return side(OutputTags.EXPERIMENT_REQUESTS);
    }

    List<io.journeys.avro.EngagementCount> engagements() {
        return side(OutputTags.ENGAGEMENTS);
    }

    List<DeadLetter> deadLetters() {
        return side(OutputTags.DEAD_LETTERS);
    }

    List<ProfileWrite> profileWrites() {
        return side(OutputTags.PROFILE_WRITES);
    }

    /** step:status of every step event, in emission order. */
    List<String> statuses() {
        return steps().stream().map(s -> s.getStepId() + ":" + s.getStatus()).toList();
    }

    /** profileId:step:status of every step event, in emission order. */
    List<String> statusesByProfile() {
        return steps().stream().map(s -> s.getProfileId() + ":" + s.getStepId() + ":" + s.getStatus()).toList();
    }

    StepEvent lastStep() {
        List<StepEvent> steps = steps();
        return steps.get(steps.size() - 1);
    }

    /**
     * Keyed state entries left in RocksDB (each map entry counts once): the engine's own state, not its timers.
     * RocksDB keeps timers in column families of the same backend, which {@code numKeyValueStateEntries()}
     * counts too once their write batch is flushed (listing them flushes it), but not a deletion still in the
     * batch; {@link #timers()} counts them.
     */
    int stateEntries() {
        try {
            int entries = 0;
            for (StateDescriptor<?, ?> descriptor : List.of(profileState, pendingState, deferredState, historyState)) {
                for (String profileId : keysOf(descriptor)) {
                    State state = keyedState(profileId, descriptor);
                    if (state instanceof MapState<?, ?> map) {
                        for (Object entry : map.keys()) {
                            entries++;
                        }
                    } else {
                        entries++;
                    }
                }
            }
            return entries;
        } catch (Exception e) {
            throw new IllegalStateException("Expected to count the keyed state, but could not", e);
        }
    }

    int timers() {
        return harness.numEventTimeTimers() + harness.numProcessingTimeTimers();
    }

    // ---- what the engine keeps of a profile, and the check that nothing else is left behind ----

    /**
     * Everything the engine keeps of one profile: its record (attributes, memberships, exports, live instances,
     * timer reasons, entry history, event ids seen), its other keyed state, and its Flink timers.
     */
    record Leftovers(String profileId, ProfileState record, Map<Long, PendingInputs> pending,
            Map<String, DeferredEntry> deferred, EventHistory history, List<Long> eventTimeTimers,
            List<Long> processingTimeTimers) {

        boolean isEmpty() {
            return record == null && pending.isEmpty() && deferred.isEmpty() && history == null
                    && eventTimeTimers.isEmpty() && processingTimeTimers.isEmpty();
        }

        @Override
        public String toString() {
            if (isEmpty()) {
                return profileId + ": nothing";
            }
            StringBuilder text = new StringBuilder(profileId).append(":");
            if (record != null) {
                text.append(" attributes ").append(record.getAttributes());
                appendIfAny(text, "memberships", record.getMemberships());
                appendIfAny(text, "last exports", record.getLastExports());
                appendIfAny(text, "instances", record.getInstances().values().stream().map(i -> i.getJourneyId()
                        + "@" + i.getStepId() + " (wake " + instant(i.getWakeAt()) + ", deadline "
                        + instant(i.getDeadline()) + ")").toList());
                Map<String, List<String>> reasons = new TreeMap<>();
                record.getTimers().forEach((at, why) -> reasons.put(instant(Long.parseLong(at)), why));
                appendIfAny(text, "timer reasons", reasons);
                Map<String, String> entries = new TreeMap<>();
                record.getEntries().forEach((journeyId, entry) -> entries.put(journeyId, "entered "
                        + instant(entry.getLastEntryAt()) + ", forget " + instant(entry.getForgetAt())));
                appendIfAny(text, "entries", entries);
                appendIfAny(text, "goal watches", record.getGoalWatches().entrySet().stream().map(w -> w.getKey()
                        + " " + w.getValue().getPending() + " until " + instant(w.getValue().getClosesAt())).toList());
                appendIfAny(text, "event ids to forget at",
                        record.getSeenEvents().stream().map(seen -> instant(seen.getForgetAt())).toList());
            }
            appendIfAny(text, "pending inputs at", pending.keySet().stream().map(ProcessorHarness::instant).toList());
            appendIfAny(text, "deferred entries", deferred);
            if (history != null) {
                text.append(", event history ").append(history.getTypes());
            }
            appendIfAny(text, "event-time timers", eventTimeTimers.stream().map(ProcessorHarness::instant).toList());
            appendIfAny(text, "processing-time timers",
                    processingTimeTimers.stream().map(ProcessorHarness::instant).toList());
            return text.toString();
        }

        private static void appendIfAny(StringBuilder text, String what, Object values) {
            boolean empty = values instanceof Map<?, ?> map ? map.isEmpty() : ((Collection<?>) values).isEmpty();
            if (!empty) {
                text.append(", ").append(what).append(" ").append(values);
            }
        }
    }

    private static String instant(long at) {
        return at == Long.MAX_VALUE ? "never" : at == 0 ? "-" : Instant.ofEpochMilli(at).toString();
    }

    /** The instant the engine is at: the watermark in event time, the processing time otherwise. */
    long now() {
        InternalTimerService<VoidNamespace> timers = timerService();
        return settings.timeMode() == TimeMode.EVENT_TIME ? timers.currentWatermark() : timers.currentProcessingTime();
    }

    /** {@link #now()} as text: an instant, or "the end" once the watermark has gone past every instant. */
    String nowText() {
        long now = now();
        return now == Long.MAX_VALUE ? "the end" : Instant.ofEpochMilli(now).toString();
    }

    /** The profile's state record as stored, or null when none is stored (RocksDB reads a copy: changing it changes nothing). */
    ProfileState profileRecord(String profileId) throws Exception {
        ValueState<ProfileState> profile = keyedState(profileId, profileState);
        return profile.value();
    }

    /** Everything the engine keeps of the profile. */
    Leftovers leftBehind(String profileId) throws Exception {
        return leftBehind(profileId, timersByProfile(true), timersByProfile(false));
    }

    private Leftovers leftBehind(String profileId, Map<String, List<Long>> eventTimeTimers,
            Map<String, List<Long>> processingTimeTimers) throws Exception {
        ProfileState record = profileRecord(profileId);
        Map<Long, PendingInputs> pending = new TreeMap<>();
        for (Map.Entry<Long, PendingInputs> entry : keyedState(profileId, pendingState).entries()) {
            pending.put(entry.getKey(), entry.getValue());
        }
        Map<String, DeferredEntry> deferred = new TreeMap<>();
        for (Map.Entry<String, DeferredEntry> entry : keyedState(profileId, deferredState).entries()) {
            deferred.put(entry.getKey(), entry.getValue());
        }
        EventHistory history = keyedState(profileId, historyState).value();
        return new Leftovers(profileId, record, pending, deferred, history,
                eventTimeTimers.getOrDefault(profileId, List.of()), processingTimeTimers.getOrDefault(profileId, List.of()));
    }

    /** The profiles that have any keyed state or timer left, in id order. */
    Set<String> profilesWithAnythingLeft() throws Exception {
        Set<String> profiles = new TreeSet<>();
        for (StateDescriptor<?, ?> descriptor : List.of(profileState, pendingState, deferredState, historyState)) {
            profiles.addAll(keysOf(descriptor));
        }
        profiles.addAll(timersByProfile(true).keySet());
        profiles.addAll(timersByProfile(false).keySet());
        return profiles;
    }

    /** Asserts that no profile keeps anything: every instance ended and whatever had a time has had it. */
    ProcessorHarness assertNothingLeftBehind() throws Exception {
        return assertLeftBehind();
    }

    /** Asserts that these profiles keep nothing (the others are not looked at). */
    ProcessorHarness assertNothingLeftBehind(String... profileIds) throws Exception {
        List<String> failures = new ArrayList<>();
        for (String profileId : profileIds) {
            failures.addAll(failures(Kept.profile(profileId), leftBehind(profileId)));
        }
        assertThat(failures).as("what is left behind at %s", nowText()).isEmpty();
        return this;
    }

    /**
     * Asserts that the profiles named keep exactly what is expected of them, and every other profile nothing:
     * no live instance but those named parked, no timer reason but theirs, no deferred entry, pending input or
     * event history, no event id or entry history past its time (see {@link Kept}), and one Flink timer per
     * profile, at its first reason, or none.
     */
    ProcessorHarness assertLeftBehind(Kept... expected) throws Exception {
        Map<String, Kept> byProfile = new TreeMap<>();
        Arrays.stream(expected).forEach(kept -> byProfile.put(kept.profileId, kept));
        Set<String> profiles = new TreeSet<>(profilesWithAnythingLeft());
        profiles.addAll(byProfile.keySet());
        Map<String, List<Long>> eventTimeTimers = timersByProfile(true);
        Map<String, List<Long>> processingTimeTimers = timersByProfile(false);
        List<String> failures = new ArrayList<>();
        for (String profileId : profiles) {
            Leftovers left = leftBehind(profileId, eventTimeTimers, processingTimeTimers);
            failures.addAll(failures(byProfile.getOrDefault(profileId, Kept.profile(profileId)), left));
        }
        assertThat(failures).as("what is left behind at %s", nowText()).isEmpty();
        return this;
    }

    /** What is wrong with what the profile keeps, given what it should keep; empty when nothing is. */
    List<String> failures(Kept kept, Leftovers left) throws Exception {
        List<String> problems = problems(kept, left, now());
        return problems.isEmpty() ? List.of()
                : List.of("Expected " + kept + ", but " + String.join("; ", problems) + "\n  it keeps " + left);
    }

    private List<String> problems(Kept kept, Leftovers left, long now) throws Exception {
        List<String> problems = new ArrayList<>();
        ProfileState record = left.record() != null ? left.record() : ProfileRecord.of(null).toState();
        if (kept.someAttributes ? record.getAttributes().equals(ProfileRecord.NO_ATTRIBUTES)
                : !JSON.readTree(record.getAttributes()).equals(JSON.readTree(kept.attributes))) {
            problems.add("attributes " + record.getAttributes());
        }
        if (!new TreeSet<>(record.getMemberships()).equals(kept.memberships)) {
            problems.add("memberships " + record.getMemberships());
        }
        if (!new TreeMap<>(record.getLastExports()).equals(kept.lastExports)) {
            problems.add("last exports " + record.getLastExports());
        }
        Map<String, InstanceState> instances = record.getInstances();
        if (!new TreeSet<>(instances.keySet()).equals(kept.parked)) {
            problems.add("live instances " + new TreeSet<>(instances.keySet()));
        }
        // a watch of an ended instance's goals lives only while a window is open
        record.getGoalWatches().forEach((instanceId, watch) -> {
            if (watch.getClosesAt() <= now) {
                problems.add("goal watch of " + instanceId + " past its window " + instant(watch.getClosesAt()));
            }
        });

        // entry history: once-ever entries and those still in their wait period are named; those past their
        // time are kept only until the record is next written, and only by a record that keeps something else
        Set<String> onceEver = new TreeSet<>();
        Map<String, Long> until = new TreeMap<>();
        Set<String> expiredEntries = new TreeSet<>();
        record.getEntries().forEach((journeyId, entry) -> {
            if (instances.containsKey(journeyId)) {
                return; // the entry of a live instance is kept while it lives
            }
            if (entry.getForgetAt() == Long.MAX_VALUE) {
                onceEver.add(journeyId);
            } else if (entry.getForgetAt() > now) {
                until.put(journeyId, entry.getForgetAt());
            } else {
                expiredEntries.add(journeyId);
            }
        });
        if (!onceEver.equals(kept.onceEverEntries)) {
            problems.add("once-ever entries " + onceEver);
        }
        if (!until.equals(kept.entriesUntil)) {
            problems.add("entries in their re-entry period " + until);
        }
        long expiredIds = record.getSeenEvents().stream().filter(seen -> seen.getForgetAt() <= now).count();
        if (!kept.anyExpired && !expiredEntries.equals(kept.expiredEntries)) {
            problems.add("entries past their time " + expiredEntries);
        }
        if (!kept.anyExpired && expiredIds != kept.expiredIds) {
            problems.add(expiredIds + " event ids past their time");
        }

        // timer reasons: a parked instance's at its wake-up, its timeout and the stops named; "forget" while
        // the record keeps event ids or entries with a time; "history" while there is an event history
        Map<Long, Set<String>> expectedReasons = new TreeMap<>();
        for (InstanceState instance : instances.values()) {
            String reason = INSTANCE_REASON + instance.getJourneyId();
            if (instance.getWakeAt() > 0) {
                expectedReasons.computeIfAbsent(instance.getWakeAt(), at -> new TreeSet<>()).add(reason);
            }
            expectedReasons.computeIfAbsent(instance.getDeadline(), at -> new TreeSet<>()).add(reason);
            kept.stops.getOrDefault(instance.getJourneyId(), Set.of())
                    .forEach(stop -> expectedReasons.computeIfAbsent(stop, at -> new TreeSet<>()).add(reason));
        }
        // a goal watch's at the close of its last window
        record.getGoalWatches().forEach((instanceId, watch) -> expectedReasons
                .computeIfAbsent(watch.getClosesAt(), at -> new TreeSet<>()).add("goals:" + instanceId));
        kept.orphanReasons.forEach((at, reasons) -> expectedReasons.computeIfAbsent(at, i -> new TreeSet<>()).addAll(reasons));
        // what delivery rules count is kept for the longest calendar window, then forgotten like event ids
        long countsFrom = now - io.journeys.dsl.CalendarWindow.LONGEST.toMillis();
        long expiredCounts = record.getRuleLogs().values().stream().mapToLong(log ->
                log.getDeliveries().stream().filter(d -> d.getAt() <= countsFrom).count()
                        + log.getEntries().stream().filter(at -> at <= countsFrom).count()).sum();
        boolean forgettables = record.getSeenEvents().size() > 0 || !record.getRuleLogs().isEmpty()
                || record.getEntries().values().stream().anyMatch(entry -> entry.getForgetAt() != Long.MAX_VALUE);
        boolean forgetPending = false;
        boolean historyPending = false;
        Map<Long, Set<String>> actualReasons = new TreeMap<>();
        record.getTimers().forEach((at, reasons) -> actualReasons.put(Long.parseLong(at), new TreeSet<>(reasons)));
        for (Map.Entry<Long, Set<String>> instant : actualReasons.entrySet()) {
            long at = instant.getKey();
            for (String reason : instant.getValue()) {
                if (expectedReasons.getOrDefault(at, Set.of()).contains(reason)) {
                    continue;
                }
                if (reason.equals(FORGET_REASON) && at > now && forgettables) {
                    forgetPending = true;
                } else if (reason.equals(HISTORY_REASON) && at > now && left.history() != null && kept.eventHistory) {
                    historyPending = true;
                } else if (reason.startsWith(INSTANCE_REASON)
                        && !instances.containsKey(reason.substring(INSTANCE_REASON.length()))) {
                    problems.add("timer reason " + reason + " at " + instant(at) + " with no live instance");
                } else {
                    problems.add("timer reason " + reason + " at " + instant(at));
                }
            }
        }
        expectedReasons.forEach((at, reasons) -> reasons.forEach(reason -> {
            if (!actualReasons.getOrDefault(at, Set.of()).contains(reason)) {
                problems.add("no timer reason " + reason + " at " + instant(at));
            }
        }));
        if (forgettables && keepsOnlyForgettables(record) && !forgetPending) {
            problems.add("no timer to forget the event ids and entries it keeps, and nothing else to keep it");
        }
        if (!expiredEntries.isEmpty() || expiredIds > 0 || expiredCounts > 0) {
            if (keepsOnlyForgettables(record) && !forgetPending) {
                problems.add("event ids, entries or rule counts past their time, in a record nothing will write again");
            }
        }

        // the profile's other keyed state
        if (!left.pending().isEmpty()) {
            problems.add("pending inputs at " + left.pending().keySet().stream().map(ProcessorHarness::instant).toList());
        }
        if (!left.deferred().isEmpty()) {
            problems.add("deferred entries into " + left.deferred().keySet());
        }
        if (left.history() != null && !kept.eventHistory) {
            problems.add("an event history " + left.history().getTypes());
        }
        if (kept.eventHistory && (left.history() == null || !historyPending)) {
            problems.add(left.history() == null ? "no event history" : "no timer to drop the event history");
        }

        // one Flink timer, in the engine's clock, at the first reason
        List<Long> expectedTimers = actualReasons.isEmpty() ? List.of() : List.of(actualReasons.keySet().iterator().next());
        boolean eventTime = settings.timeMode() == TimeMode.EVENT_TIME;
        List<Long> timers = eventTime ? left.eventTimeTimers() : left.processingTimeTimers();
        List<Long> otherClock = eventTime ? left.processingTimeTimers() : left.eventTimeTimers();
        if (!timers.equals(expectedTimers) || !otherClock.isEmpty()) {
            problems.add("Flink timers " + timers.stream().map(ProcessorHarness::instant).toList() + " and "
                    + otherClock.stream().map(ProcessorHarness::instant).toList() + " in the other clock, where its "
                    + "first timer reason is at " + expectedTimers.stream().map(ProcessorHarness::instant).toList());
        }
        return problems;
    }

    /** Whether the record keeps nothing but event ids and entries with a time: then only a timer drops them. */
    private static boolean keepsOnlyForgettables(ProfileState record) {
        boolean timersOnlyToForget = record.getTimers().values().stream()
                .allMatch(reasons -> reasons.stream().allMatch(FORGET_REASON::equals));
        return record.getAttributes().equals(ProfileRecord.NO_ATTRIBUTES) && record.getMemberships().isEmpty()
                && record.getLastExports().isEmpty() && record.getInstances().isEmpty() && timersOnlyToForget
                && record.getGoalWatches().isEmpty()
                && record.getEntries().values().stream().allMatch(entry -> entry.getForgetAt() != Long.MAX_VALUE);
    }

    /** The profiles that have this state, in id order. */
    private List<String> keysOf(StateDescriptor<?, ?> descriptor) throws Exception {
        try (Stream<String> keys = backend().getKeys(descriptor.getName(), VoidNamespace.INSTANCE)) {
            return keys.sorted().toList();
        }
    }

    private KeyedStateBackend<String> backend() {
        return harness.getOperator().getKeyedStateBackend();
    }

    /** A keyed state of the engine (JourneyProcessor.open() made it), for the profile. */
    private <S extends State> S keyedState(String profileId,
            StateDescriptor<S, ?> descriptor) throws Exception {
        backend().setCurrentKey(profileId);
        descriptor.initializeSerializerUnlessSet(harness.getExecutionConfig());
        return backend().getPartitionedState(VoidNamespace.INSTANCE, VoidNamespaceSerializer.INSTANCE, descriptor);
    }

    @SuppressWarnings("unchecked")
    private InternalTimerService<VoidNamespace> timerService() {
        AbstractStreamOperator<ActionRequest> operator = harness.getOperator();
        // the operator's own timer service: asked again by its name, the manager hands out the same one
        return operator.getInternalTimerService(USER_TIMERS, VoidNamespaceSerializer.INSTANCE,
                (Triggerable<String, VoidNamespace>) operator);
    }

    /** Every Flink timer by the profile it is for, in one clock, earliest first. */
    private Map<String, List<Long>> timersByProfile(boolean eventTime) throws Exception {
        Map<String, List<Long>> timers = new HashMap<>();
        AbstractStreamOperator<ActionRequest> operator = harness.getOperator();
        BiConsumerWithException<VoidNamespace, Long, Exception> collect =
                (namespace, at) -> timers.computeIfAbsent((String) operator.getCurrentKey(), k -> new ArrayList<>()).add(at);
        if (eventTime) {
            timerService().forEachEventTimeTimer(collect);
        } else {
            timerService().forEachProcessingTimeTimer(collect);
        }
        timers.values().forEach(list -> list.sort(null));
        return timers;
    }

    /** The side output's records since the last call, taken out (for long runs that look at each input's output). */
    <T> List<T> take(OutputTag<T> tag) {
        Queue<StreamRecord<T>> records = harness.getSideOutput(tag);
        List<T> taken = new ArrayList<>();
        for (StreamRecord<T> record = records == null ? null : records.poll(); record != null; record = records.poll()) {
            taken.add(record.getValue());
        }
        return taken;
    }

    private <T> List<T> side(OutputTag<T> tag) {
        Queue<StreamRecord<T>> records = harness.getSideOutput(tag);
        return records == null ? List.of() : records.stream().map(StreamRecord::getValue).toList();
    }

    @Override
    public void close() throws Exception {
        harness.close();
    }
}
