package io.journeys.job;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.journeys.avro.EngagementCount;
import io.journeys.avro.PopulationSnapshot;
import io.journeys.sendtime.PopulationDocument;
import java.time.Duration;
import java.util.List;
import org.apache.flink.api.common.serialization.SerializerConfigImpl;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.contrib.streaming.state.EmbeddedRocksDBStateBackend;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.streaming.api.operators.KeyedProcessOperator;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.Test;

/**
 * The Kafka job's population model of send times: counts engagements per kind and hour, everyone's and per zone,
 * publishes at most one snapshot per period (of everyone's and of each zone) and only when something changed,
 * and keeps its counts and its pending timer across a restore.
 */
class PopulationCounterTest {

    private static final long MINUTE = 60_000L;
    private static final Duration EVERY = Duration.ofMinutes(5);

    private static KeyedOneInputStreamOperatorTestHarness<String, EngagementCount, PopulationSnapshot> harness(
            OperatorSubtaskState restoreFrom) throws Exception {
        KeyedOneInputStreamOperatorTestHarness<String, EngagementCount, PopulationSnapshot> harness =
                new KeyedOneInputStreamOperatorTestHarness<>(new KeyedProcessOperator<>(new PopulationCounter(EVERY)),
                        EngagementCount::getKind, Types.STRING, 128, 1, 0);
        harness.setStateBackend(new EmbeddedRocksDBStateBackend());
        ((SerializerConfigImpl) harness.getExecutionConfig().getSerializerConfig()).setGenericTypes(false); // no Kryo
        if (restoreFrom != null) {
            harness.initializeState(restoreFrom);
        }
        harness.open();
        return harness;
    }

    private static EngagementCount opened(int hour, long at) {
        return new EngagementCount("email/opens", hour, at, "");
    }

    @Test
    void shouldPublishOneSnapshotPerPeriodPerKindOnlyWhenItChanged() throws Exception {
        try (var h = harness(null)) {
            h.setProcessingTime(0);
            for (int i = 0; i < 10; i++) {
                h.processElement(opened(43, 1_000L), 0);
            }
            h.processElement(opened(44, 1_000L), 0);
            h.processElement(new EngagementCount("push/opens", 20, 1_000L, ""), 0);
            h.setProcessingTime(EVERY.toMillis() - 1);
            assertThat(h.extractOutputValues()).as("nothing before the period is over").isEmpty();

            h.setProcessingTime(EVERY.toMillis());
            List<PopulationSnapshot> first = h.extractOutputValues();
            assertThat(first).extracting(PopulationSnapshot::getKind).containsExactlyInAnyOrder("email/opens", "push/opens");
            PopulationSnapshot opens = first.stream().filter(s -> s.getKind().equals("email/opens")).findFirst().orElseThrow();
            assertThat(opens.getWeights()).hasSize(168);
            assertThat(opens.getWeights().get(43)).isCloseTo(10.0, within(1e-9));
            assertThat(opens.getWeights().get(44)).isCloseTo(1.0, within(1e-9));
            assertThat(opens.getAsOf()).isEqualTo(1_000L);
            // the JSON the job writes reads back as the same population
            PopulationDocument.Population read = PopulationDocument.read(OutputJson.population(opens));
            assertThat(read.engagement()).isEqualTo("email/opens");
            assertThat(read.weights()[43]).isCloseTo(10.0, within(1e-9));

            h.setProcessingTime(3 * EVERY.toMillis());
            assertThat(h.extractOutputValues()).as("nothing new: no snapshot").hasSize(2);
        }
    }

    @Test
    void shouldDecayOlderEngagementsAndKeepCountsAndTheTimerAcrossARestore() throws Exception {
        OperatorSubtaskState snapshot;
        long halfLife = Duration.ofDays(28).toMillis();
        try (var h = harness(null)) {
            h.setProcessingTime(0);
            h.processElement(opened(10, 0L), 0);
            h.processElement(opened(11, halfLife), 0); // the first is half as heavy by then
            snapshot = h.snapshot(1L, 1L);
        }
        try (var h = harness(snapshot)) {
            h.processElement(opened(11, halfLife), MINUTE);
            h.setProcessingTime(EVERY.toMillis());
            List<PopulationSnapshot> published = h.extractOutputValues();
            assertThat(published).hasSize(1);
            assertThat(published.get(0).getWeights().get(10)).isCloseTo(0.5, within(1e-9));
            assertThat(published.get(0).getWeights().get(11)).isCloseTo(2.0, within(1e-9));
            assertThat(published.get(0).getAsOf()).isEqualTo(halfLife);
        }
    }

    private static EngagementCount openedIn(String zone, int hour, long at) {
        return new EngagementCount("email/opens", hour, at, zone);
    }

    private static PopulationSnapshot ofZone(List<PopulationSnapshot> snapshots, String zone) {
        return snapshots.stream().filter(s -> s.getZone().equals(zone)).findFirst().orElseThrow();
    }

    @Test
    void shouldCountEachZoneBesideEveryoneAndPublishOnlyTheZonesThatChanged() throws Exception {
        OperatorSubtaskState snapshot;
        try (var h = harness(null)) {
            h.setProcessingTime(0);
            for (int i = 0; i < 6; i++) {
                h.processElement(openedIn("Asia/Tokyo", 8, 1_000L), 0);
            }
            for (int i = 0; i < 4; i++) {
                h.processElement(openedIn("Europe/Paris", 43, 1_000L), 0);
            }
            h.setProcessingTime(EVERY.toMillis());
            List<PopulationSnapshot> first = h.extractOutputValues();
            assertThat(first).extracting(PopulationSnapshot::getZone)
                    .containsExactlyInAnyOrder("", "Asia/Tokyo", "Europe/Paris");
            PopulationSnapshot everyone = ofZone(first, "");
            assertThat(everyone.getWeights().get(8)).isCloseTo(6.0, within(1e-9));
            assertThat(everyone.getWeights().get(43)).isCloseTo(4.0, within(1e-9));
            PopulationSnapshot tokyo = ofZone(first, "Asia/Tokyo");
            assertThat(tokyo.getWeights().get(8)).isCloseTo(6.0, within(1e-9));
            assertThat(tokyo.getWeights().get(43)).isZero();
            assertThat(ofZone(first, "Europe/Paris").getWeights().get(43)).isCloseTo(4.0, within(1e-9));
            // on the compacted topic each zone has its own key, so compaction keeps every zone's latest
            assertThat(first).extracting(PopulationCounter::keyOf)
                    .containsExactlyInAnyOrder("email/opens", "email/opens@Asia/Tokyo", "email/opens@Europe/Paris");
            // the JSON the job writes reads back as the same zone's population
            PopulationDocument.Population read = PopulationDocument.read(OutputJson.population(tokyo));
            assertThat(read.zone()).isEqualTo("Asia/Tokyo");
            assertThat(read.weights()[8]).isCloseTo(6.0, within(1e-9));
            assertThat(PopulationDocument.read(OutputJson.population(everyone)).zone()).isNull();

            h.processElement(openedIn("Asia/Tokyo", 9, 2_000L), 0);
            snapshot = h.snapshot(1L, 1L);
        }
        try (var h = harness(snapshot)) {
            h.setProcessingTime(2 * EVERY.toMillis());
            List<PopulationSnapshot> second = h.extractOutputValues();
            assertThat(second).as("Paris counted nothing since: not published again")
                    .extracting(PopulationSnapshot::getZone).containsExactlyInAnyOrder("", "Asia/Tokyo");
            assertThat(ofZone(second, "Asia/Tokyo").getWeights().get(8)).as("kept across the restore (a second older)")
                    .isCloseTo(6.0, within(1e-5));
            assertThat(ofZone(second, "Asia/Tokyo").getWeights().get(9)).isCloseTo(1.0, within(1e-9));
            assertThat(ofZone(second, "").getWeights().get(43)).isCloseTo(4.0, within(1e-5));
        }
    }
}
