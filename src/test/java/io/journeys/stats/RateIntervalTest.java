package io.journeys.stats;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

/** The 95% Wilson score interval against values worked out from its formula by hand. */
class RateIntervalTest {

    @Test
    void shouldGiveTheWilsonInterval() {
        // p = 0.1, z² = 3.841459, centre (0.1 + 0.0192073) / 1.0384146 = 0.1147974,
        // half 1.959964 / 1.0384146 · √(0.0009 + 0.0000960) = 0.0595683
        RateInterval interval = RateInterval.wilson95(100, 10);

        assertThat(interval.low()).isCloseTo(0.0552291, within(1e-7));
        assertThat(interval.high()).isCloseTo(0.1743657, within(1e-7));
    }

    @Test
    void shouldReachZeroWithNoConversionsAndOneWithOnlyConversions() {
        // with c = 0 the interval is [0, z² / (n + z²)]; with c = n, [n / (n + z²), 1]
        double z2 = 1.959963984540054 * 1.959963984540054;

        assertThat(RateInterval.wilson95(100, 0).low()).isZero();
        assertThat(RateInterval.wilson95(100, 0).high()).isCloseTo(z2 / (100 + z2), within(1e-15));
        assertThat(RateInterval.wilson95(100, 100).low()).isCloseTo(100 / (100 + z2), within(1e-15));
        assertThat(RateInterval.wilson95(100, 100).high()).isEqualTo(1);
    }

    @Test
    void shouldKnowNothingWithoutProfiles() {
        assertThat(RateInterval.wilson95(0, 0)).isEqualTo(new RateInterval(0, 1));
    }

    @Test
    void shouldNarrowAroundTheRateAsProfilesGrow() {
        RateInterval interval = RateInterval.wilson95(100_000_000L, 10_000_000L);

        assertThat(interval.low()).isCloseTo(0.1 - 1.96 * 3e-5, within(1e-6));
        assertThat(interval.high()).isCloseTo(0.1 + 1.96 * 3e-5, within(1e-6));
    }

    @Test
    void shouldRejectBadCountsAndBounds() {
        assertThatThrownBy(() -> RateInterval.wilson95(-1, 0)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("found -1");
        assertThatThrownBy(() -> RateInterval.wilson95(10, 11)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("profiles = 10, but found 11");
        assertThatThrownBy(() -> RateInterval.wilson95(10, -2)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("found -2");
        assertThatThrownBy(() -> new RateInterval(0.6, 0.5)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("low = 0.6 and high = 0.5");
        assertThatThrownBy(() -> new RateInterval(Double.NaN, 0.5)).isInstanceOf(IllegalArgumentException.class);
    }
}
