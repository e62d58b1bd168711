package io.journeys.engine;

import static org.assertj.core.api.Assertions.assertThat;

import io.journeys.avro.ExperimentCounts;
import io.journeys.avro.ExperimentRequest;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The winner rule's schedule: every assignment while the experiment is small, then every 1% more profiles. */
class ExperimentTallyTest {

    private static ExperimentRequest request(String arm, long at) {
        return new ExperimentRequest("r", "p", "j", 1, "s", false, arm, at, List.of("a", "b"), null, 0L, 0.95, 10L, false);
    }

    /** Counts where arm b has converted far better than a, with {@code each} profiles per arm. */
    private static ExperimentCounts separated(long each) {
        ExperimentCounts counts = ExperimentTally.empty(0L);
        counts.getProfiles().put("a", each);
        counts.getProfiles().put("b", each);
        counts.getConversions().put("a", each / 20);
        counts.getConversions().put("b", each / 2);
        return counts;
    }

    @Test
    void decidesAtTheFirstLookOnceTheArmsHaveSeparated() {
        ExperimentCounts counts = separated(40);
        ExperimentTally.Assignment assignment = ExperimentTally.assign(counts, request("a", 1L));
        assertThat(assignment).isEqualTo(new ExperimentTally.Assignment("b", true));
        assertThat(counts.getWinner()).isEqualTo("b");
    }

    @Test
    void looksAtEveryAssignmentBelowAHundredProfiles() {
        ExperimentCounts counts = ExperimentTally.empty(0L);
        counts.getProfiles().put("a", 30L);
        counts.getProfiles().put("b", 30L);
        ExperimentTally.assign(counts, request("a", 1L));
        assertThat(counts.getWinner()).isNull();
        assertThat(counts.getNextLookAt()).isEqualTo(61L);
    }

    @Test
    void afterALookWaitsForTheCountsToGrowByOnePercent() {
        // 10,000 profiles and 1,000 conversions alike: no winner, the next look once 110 more are counted
        ExperimentCounts counts = ExperimentTally.empty(0L);
        counts.getProfiles().put("a", 5_000L);
        counts.getProfiles().put("b", 5_000L);
        counts.getConversions().put("a", 500L);
        counts.getConversions().put("b", 500L);
        ExperimentTally.assign(counts, request("a", 1L));
        assertThat(counts.getWinner()).isNull();
        assertThat(counts.getNextLookAt()).isEqualTo(11_110L);

        // b now converts far better (the same total), but the rule is not computed again before 11,110 counts
        counts.getConversions().put("a", 100L);
        counts.getConversions().put("b", 900L);
        for (int i = 0; i < 109; i++) {
            assertThat(ExperimentTally.assign(counts, request("a", 2L)).byWinner()).isFalse();
        }
        assertThat(counts.getWinner()).isNull();
        assertThat(ExperimentTally.assign(counts, request("a", 3L))).isEqualTo(new ExperimentTally.Assignment("b", true));
    }

    @Test
    void aConversionIsCountedAndLooksAtTheRule() {
        ExperimentCounts counts = separated(40);
        counts.getConversions().put("b", 1L);
        assertThat(ExperimentTally.count(counts, request("a", 1L))).as("an assignment that changes little").isNull();
        assertThat(counts.getProfiles()).containsEntry("a", 41L);
        for (int i = 0; i < 30 && counts.getWinner() == null; i++) {
            ExperimentRequest conversion = request("b", 2L);
            conversion.setConversion(true);
            ExperimentTally.convert(counts, conversion);
        }
        assertThat(counts.getWinner()).as("decided by the conversions, before the next assignment").isEqualTo("b");
        assertThat(ExperimentTally.count(counts, request("a", 3L))).as("decided once").isNull();
    }

    @Test
    void armsBelowTheirMinimumDoNotUseALook() {
        ExperimentCounts counts = separated(5);
        ExperimentTally.assign(counts, request("a", 1L));
        assertThat(counts.getWinner()).isNull();
        assertThat(counts.getNextLookAt()).isZero();
    }
}
