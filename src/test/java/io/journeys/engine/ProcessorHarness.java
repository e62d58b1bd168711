package io.journeys.engine;

import io.journeys.avro.ActionRequest;
import io.journeys.avro.AudienceMember;
import io.journeys.avro.AudienceQualification;
import io.journeys.avro.DeadLetter;
import io.journeys.avro.EngineInput;
import io.journeys.avro.ProfileEvent;
import io.journeys.avro.ProfileUpdate;
import io.journeys.avro.ProfileWrite;
import io.journeys.avro.StepEvent;
import java.time.Instant;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.flink.api.common.serialization.SerializerConfigImpl;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.state.rocksdb.EmbeddedRocksDBStateBackend;
import org.apache.flink.state.rocksdb.RocksDBKeyedStateBackend;
import org.apache.flink.streaming.api.operators.AbstractStreamOperator;
import org.apache.flink.streaming.api.operators.co.CoBroadcastWithKeyedOperator;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedBroadcastOperatorTestHarness;
import org.apache.flink.util.OutputTag;

/** The journey processor on Flink's keyed test harness with RocksDB and Kryo disabled, with small fixtures. */
final class ProcessorHarness implements AutoCloseable {

    private final KeyedBroadcastOperatorTestHarness<String, EngineInput, String, ActionRequest> harness;
    private final AtomicLong sequence = new AtomicLong();

    private ProcessorHarness(EngineSettings settings) throws Exception {
        this(settings, null);
    }

    private ProcessorHarness(EngineSettings settings, OperatorSubtaskState restoreFrom) throws Exception {
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
        harness.processElement(EngineInput.newBuilder().setProfileId(profileId).setTimestamp(exportedAt.toEpochMilli())
                .setSequence(sequence.incrementAndGet())
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

    /** Keyed state entries left in RocksDB (each map entry counts once). */
    int stateEntries() {
        return ((RocksDBKeyedStateBackend<?>) ((AbstractStreamOperator<?>) harness.getOperator()).getKeyedStateBackend())
                .numKeyValueStateEntries();
    }

    int timers() {
        return harness.numEventTimeTimers() + harness.numProcessingTimeTimers();
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
