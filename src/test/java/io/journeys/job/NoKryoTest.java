package io.journeys.job;

import static org.assertj.core.api.Assertions.assertThat;

import io.journeys.avro.ActionRequest;
import io.journeys.avro.DeadLetter;
import io.journeys.avro.EngineInput;
import io.journeys.avro.EntryHistory;
import io.journeys.avro.InputSource;
import io.journeys.avro.InstanceState;
import io.journeys.avro.PendingInputs;
import io.journeys.avro.ProfileEvent;
import io.journeys.avro.ProfileState;
import io.journeys.avro.ProfileUpdate;
import io.journeys.avro.RawRecord;
import io.journeys.avro.StepEvent;
import io.journeys.engine.AvroRecords;
import io.journeys.engine.EngineSettings;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.apache.avro.specific.SpecificRecordBase;
import org.apache.flink.api.common.serialization.SerializerConfigImpl;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.api.dag.Transformation;
import org.apache.flink.api.java.typeutils.GenericTypeInfo;
import org.apache.flink.core.memory.DataInputDeserializer;
import org.apache.flink.core.memory.DataOutputSerializer;
import org.apache.flink.formats.avro.typeutils.AvroSerializer;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Proves that no state or stream type of the job falls back to Kryo. */
class NoKryoTest {

    @BeforeAll
    static void trustAvro() {
    }

    @Test
    void shouldSerializeEveryStateAndWireRecordWithAvroWhenGenericTypesAreDisabled() throws Exception {
        SerializerConfigImpl config = new SerializerConfigImpl();
        config.setGenericTypes(false);
        for (SpecificRecordBase sample : samples()) {
            assertThat(roundTrip(sample, config)).as(sample.getClass().getSimpleName()).isEqualTo(sample);
        }
    }

    @Test
    void shouldGiveEveryStreamOfTheJobExplicitTypeInformation() {
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(
                JobEnvironment.baseConfiguration());
        JourneyJob.Outputs outputs = JourneyJob.build(
                env.fromData(List.of(new RawRecord(InputSource.EVENTS, 1L, "{}", io.journeys.avro.InputFormat.JSON, null, null, null)), AvroRecords.typeInfo(RawRecord.class)),
                env.fromData(List.of("{}"), org.apache.flink.api.common.typeinfo.Types.STRING),
                EngineSettings.eventTime(List.of()), new InputParser(1024));

        Set<Transformation<?>> all = new HashSet<>();
        for (Transformation<?> sink : List.of(outputs.actions().getTransformation(),
                outputs.stepEvents().getTransformation(), outputs.deadLetters().getTransformation())) {
            all.addAll(sink.getTransitivePredecessors());
        }
        assertThat(all).isNotEmpty().allSatisfy(t -> assertThat(t.getOutputType())
                .as(t.getName()).isNotInstanceOf(GenericTypeInfo.class));
    }

    /** One record of every state and wire type, fields filled. */
    static List<SpecificRecordBase> samples() {
    ProfileEvent event = new ProfileEvent("e-1", "p-1", "signup", 1L, "{\"plan\":\"pro\"}", null);
    EngineInput input = EngineInput.newBuilder().setProfileId("p-1").setTimestamp(1L).setSequence(3L).setEvent(event).build();
    return List.of(
            event,
            new ProfileUpdate("p-1", 1L, "{}"),
            input,
            new PendingInputs(new ArrayList<>(List.of(input))),
            new InstanceState("welcome", 1, "i-1", "wait", 1L, 1L, 2L, 3L, 4, "e-1", "signup", 1L, "{}",
                    new java.util.HashMap<>(java.util.Map.of("send", 4)), new java.util.HashMap<>(),
                    new java.util.HashMap<>(java.util.Map.of("lookup", "{\"status\":\"http_200\"}")),
                    new java.util.HashMap<>(java.util.Map.of("test", "a")), new ArrayList<>(List.of("purchase"))),
            new io.journeys.avro.EventHistory(List.of("signup"), List.of(1L)),
            new io.journeys.avro.ProfileWrite("w-1", "p-1", "welcome", 1, "i-1", "set", "{}", 1L),
            new ProfileState("{\"firstName\":\"Ana\"}", List.of("vip"), new java.util.HashMap<>(java.util.Map.of("a", "x")),
                    new java.util.HashMap<>(java.util.Map.of("welcome", new InstanceState("welcome", 1, "i-1", "wait",
                            1L, 1L, 2L, 3L, 4, "e-1", "signup", 1L, "{}", new java.util.HashMap<>(),
                            new java.util.HashMap<>(), new java.util.HashMap<>(), new java.util.HashMap<>(),
                            new ArrayList<>()))),
                    new java.util.HashMap<>(java.util.Map.of("86400000", List.of("instance:welcome"))),
                    new java.util.HashMap<>(java.util.Map.of("welcome", new EntryHistory(1L, Long.MAX_VALUE))),
                    List.of(new io.journeys.avro.SeenEvent(42L, 86400000L)),
                    new java.util.HashMap<>(java.util.Map.of("i-0", new io.journeys.avro.GoalWatch("welcome", 1, 1L,
                            List.of("purchase"), new java.util.HashMap<>(), 2L, null, 0L, null))),
                    new java.util.HashMap<>(java.util.Map.of("marketing", new io.journeys.avro.RuleLog(
                            List.of(new io.journeys.avro.Delivery(1L, "email")), List.of(1L)))),
                    new java.util.HashMap<>(java.util.Map.of("email/opens", new io.journeys.avro.EngagementHours(
                            List.of(43), List.of(1.0), 1L)))),
            new EntryHistory(1L, Long.MAX_VALUE),
            new ActionRequest("r-1", "welcome", 1, "i-1", "send", "p-1", "email", "t", "{}", 1L, null),
            new StepEvent("s-1", "p-1", "welcome", 1, "i-1", "send", "executed", 1L, "next", null, null, "next", "a",
                    true, null, 2L, 19, "profile"),
            new io.journeys.avro.ExperimentRequest("r-2", "p-1", "welcome", 1, "test", false, "a", 1L, List.of("a", "b"),
                    "b", 60_000L, 0.95, 20L, true),
            new io.journeys.avro.ExperimentCounts(1L, new java.util.HashMap<>(java.util.Map.of("a", 3L)),
                    new java.util.HashMap<>(), "a", 120L),
            new io.journeys.avro.ExperimentWinner("welcome", 1, "test", "a", 5L),
            new io.journeys.avro.EngagementCount("email/opens", 43, 1L, "Europe/Paris"),
            new io.journeys.avro.PopulationCounts(new ArrayList<>(java.util.Collections.nCopies(168, 0.5)), 1L, true, 2L),
            new io.journeys.avro.PopulationSnapshot("email/opens", 1L,
                    new ArrayList<>(java.util.Collections.nCopies(168, 0.5)), "Europe/Paris"),
            new io.journeys.avro.ZonePopulationCounts(new ArrayList<>(java.util.Collections.nCopies(168, 0.5)), 1L, true),
            new DeadLetter("d-1", "INP-001", "bad", "events", "line 1", null, "x", null),
            new RawRecord(InputSource.EVENTS, 1L, "{}", io.journeys.avro.InputFormat.JSON, null, null, null));
    }

    @SuppressWarnings("unchecked")
    private static <T extends SpecificRecordBase> T roundTrip(T record, SerializerConfigImpl config) throws Exception {
        TypeSerializer<T> serializer = AvroRecords.typeInfo((Class<T>) record.getClass()).createSerializer(config);
        assertThat(serializer).isInstanceOf(AvroSerializer.class);
        DataOutputSerializer out = new DataOutputSerializer(256);
        serializer.serialize(record, out);
        return serializer.deserialize(new DataInputDeserializer(out.getCopyOfBuffer()));
    }
}
