package io.journeys.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.journeys.avro.EngineInput;
import io.journeys.dsl.JourneyParser;
import io.journeys.engine.GuardRails;
import io.journeys.job.InputParser;
import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.Test;

class LatencyBenchmarkTest {

    @Test
    void shouldStampBothActionsOfEveryJourneyAndKeepThemValid() {
        for (String journey : EventBenchmark.journeys(true)) {
            assertThat(JourneyParser.parse(journey).problems()).isEmpty();
            assertThat(journey.split("\"event.sentAt\"", -1)).hasSize(3);
        }
        assertThat(EventBenchmark.journeys()).noneMatch(journey -> journey.contains("sentAt"))
                .allMatch(journey -> JourneyParser.parse(journey).isValid());
    }

    @Test
    void shouldStampEventsButNotProfileUpdates() {
        LatencyBenchmark.TimedInput inputs = new LatencyBenchmark.TimedInput(100);
        long before = System.nanoTime();
        EngineInput event = new InputParser(GuardRails.DEFAULTS.maxPayloadBytes()).parse(inputs.map(1L)).input();
        EngineInput update = new InputParser(GuardRails.DEFAULTS.maxPayloadBytes()).parse(inputs.map(0L)).input();

        assertThat(SentAt.read(event.getEvent().getData())).isBetween(before, System.nanoTime());
        assertThat(update.getUpdate().toString()).doesNotContain("sentAt");
    }

    @Test
    void shouldReadSentAtFromParamsAsTheEngineWritesThem() {
        assertThat(SentAt.read("{\"amount\":5,\"nested\":{\"sentAt\":1},\"sentAt\":123456789012345}"))
                .isEqualTo(123456789012345L);
        assertThatThrownBy(() -> SentAt.read("{\"amount\":5}")).hasMessageContaining("Expected a \"sentAt\" field");
    }

    @Test
    void shouldMergeTheLatenciesOfSubtasks() {
        LatencyHistogram one = new LatencyHistogram();
        LatencyHistogram two = new LatencyHistogram();
        one.record(2_000_000);
        two.record(300_000_000);
        one.merge(two);

        Histogram merged = one.getLocalValue();
        assertThat(merged.getTotalCount()).isEqualTo(2);
        assertThat(merged.getMaxValue()).isBetween(299_000L, 301_000L);
    }

    @Test
    void shouldKeepTheWorstLatencyOfEachSecondAndTheCheckpointsOfEverySubtask() {
        LatencyTimeline one = new LatencyTimeline();
        LatencyTimeline two = new LatencyTimeline();
        one.record(0, 5_000_000);
        one.checkpoint(1);
        two.record(0, 9_000_000);
        two.record(2, 1_000_000);
        one.merge(two);

        LatencyTimeline.Seconds seconds = one.getLocalValue();
        assertThat(seconds.maxMicros()).startsWith(9_000, 0, 1_000);
        assertThat(seconds.checkpoints()).startsWith(false, true, false);
    }
}
