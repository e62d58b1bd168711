package io.journeys.sendtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import org.junit.jupiter.api.Test;

/**
 * The population a profile's choice goes by: its zone's shrunk toward everyone's, zone_h + κ·everyone_h/everyone,
 * so a zone with many engagements keeps its own hours and one with few follows everyone.
 */
class ZonePopulationsTest {

    private static final double KAPPA = SendTimeChooser.Settings.DEFAULT.minimumPopulation();
    private static final Duration HALF_LIFE = SendTimeChooser.Settings.DEFAULT.halfLife();
    private static final ZoneId TOKYO = ZoneId.of("Asia/Tokyo");
    private static final ZoneId PARIS = ZoneId.of("Europe/Paris");
    private static final int MONDAY_8 = 8;
    private static final int TUESDAY_19 = 24 + 19;

    private static double[] at(int hour, double weight) {
        double[] weights = new double[HoursOfWeek.COUNT];
        weights[hour] = weight;
        return weights;
    }

    private static double[] plus(double[] a, double[] b) {
        double[] sum = new double[a.length];
        for (int h = 0; h < sum.length; h++) {
            sum[h] = a[h] + b[h];
        }
        return sum;
    }

    private static int best(double[] weights) {
        int best = 0;
        for (int h = 1; h < weights.length; h++) {
            best = weights[h] > weights[best] ? h : best;
        }
        return best;
    }

    @Test
    void shouldAddTheZonesOwnWeightsToEveryonesScaledToKappa() {
        double[] zone = at(MONDAY_8, 100);
        double[] everyone = plus(zone, at(TUESDAY_19, 300));
        double[] blended = ZonePopulations.blend(zone, everyone, KAPPA);
        assertThat(blended[MONDAY_8]).isCloseTo(100 + KAPPA * 100 / 400, within(1e-9));
        assertThat(blended[TUESDAY_19]).isCloseTo(KAPPA * 300 / 400, within(1e-9));
        assertThat(best(blended)).as("a zone with many engagements keeps its hour").isEqualTo(MONDAY_8);
        assertThat(best(everyone)).isEqualTo(TUESDAY_19);
    }

    @Test
    void shouldLetAZoneWithFewEngagementsFollowEveryone() {
        double[] zone = at(MONDAY_8, 5);
        double[] everyone = plus(zone, at(TUESDAY_19, 300));
        double[] blended = ZonePopulations.blend(zone, everyone, KAPPA);
        assertThat(blended[MONDAY_8]).isCloseTo(5 + KAPPA * 5 / 305, within(1e-9));
        assertThat(best(blended)).isEqualTo(TUESDAY_19);
    }

    @Test
    void shouldGiveAZoneWithoutDataEveryonesAndNeverTrustTooLittle() {
        double[] everyone = at(TUESDAY_19, 300);
        assertThat(ZonePopulations.blend(null, everyone, KAPPA)).isSameAs(everyone);
        assertThat(ZonePopulations.blend(new double[HoursOfWeek.COUNT], everyone, KAPPA)).isSameAs(everyone);
        // everyone's below κ is not trusted: blending would lift the total to κ and make it look trusted
        double[] little = at(TUESDAY_19, 30);
        assertThat(ZonePopulations.blend(at(MONDAY_8, 10), little, KAPPA)).isSameAs(little);
        assertThat(ZonePopulations.blend(null, null, KAPPA)).isNull();
    }

    @Test
    void shouldCountEachEngagementForEveryoneAndItsZoneAndBlendAtTheInstantItChooses() {
        ZonePopulations opens = new ZonePopulations();
        Instant monday8Tokyo = Instant.parse("2026-03-02T08:10:00+09:00");
        Instant tuesday19Paris = Instant.parse("2026-03-03T19:10:00+01:00");
        for (int i = 0; i < 100; i++) {
            opens.add(monday8Tokyo, TOKYO, HALF_LIFE);
        }
        for (int i = 0; i < 300; i++) {
            opens.add(tuesday19Paris, PARIS, HALF_LIFE);
        }
        Instant later = tuesday19Paris.plus(HALF_LIFE); // Paris's opens weigh half by then, Tokyo's a bit less
        double tokyoOpens = 100 * Engagement.decay(Duration.between(monday8Tokyo, later).toMillis(), HALF_LIFE);
        double everyone = tokyoOpens + 150;
        double[] tokyo = opens.weightsFor(TOKYO, later, HALF_LIFE, KAPPA);
        assertThat(tokyo[MONDAY_8]).isCloseTo(tokyoOpens + KAPPA * tokyoOpens / everyone, within(1e-6));
        assertThat(tokyo[TUESDAY_19]).as("Paris's opens count for everyone only")
                .isCloseTo(KAPPA * 150 / everyone, within(1e-6));
        assertThat(best(tokyo)).isEqualTo(MONDAY_8);
        assertThat(best(opens.weightsFor(PARIS, later, HALF_LIFE, KAPPA))).isEqualTo(TUESDAY_19);
        double[] elsewhere = opens.weightsFor(ZoneId.of("America/New_York"), later, HALF_LIFE, KAPPA);
        assertThat(elsewhere[MONDAY_8]).as("a zone without data: everyone's").isCloseTo(tokyoOpens, within(1e-6));
        assertThat(elsewhere[TUESDAY_19]).isCloseTo(150, within(1e-6));
    }

    @Test
    void shouldReplaceSnapshotsOfEveryoneAndOfAZone() {
        ZonePopulations opens = new ZonePopulations();
        Instant now = Instant.parse("2026-03-03T00:00:00Z");
        opens.replace(null, PopulationHours.of(at(TUESDAY_19, 300), now.toEpochMilli()));
        opens.replace("Asia/Tokyo", PopulationHours.of(at(MONDAY_8, 10), now.toEpochMilli()));
        opens.replace("Asia/Tokyo", PopulationHours.of(at(MONDAY_8, 100), now.toEpochMilli()));
        double[] tokyo = opens.weightsFor(TOKYO, now, HALF_LIFE, KAPPA);
        assertThat(tokyo[MONDAY_8]).as("the latest snapshot only").isCloseTo(100, within(1e-9));
        assertThat(tokyo[TUESDAY_19]).isCloseTo(KAPPA, within(1e-9));
    }
}
