package io.journeys.sendtime;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import org.junit.jupiter.api.Test;

/** The model: hours of the week in the profile's zone, decay and bounds, shrinkage towards the population. */
class SendTimeChooserTest {

    private static final ZoneId PARIS = ZoneId.of("Europe/Paris");
    private static final Duration HALF_LIFE = Duration.ofDays(28);
    /** Never explores: the hash's bucket is past every share. */
    private static final long NO_EXPLORING = 9_999;

    private static Instant paris(String local) {
        return LocalDateTime.parse(local).atZone(PARIS).toInstant();
    }

    /** A profile that opened at 19:xx Paris time on the Tuesdays of several weeks. */
    private static Engagement tuesdayEvenings(int weeks) {
        Engagement engagement = Engagement.none();
        for (int week = 0; week < weeks; week++) {
            engagement = engagement.plus(paris("2026-02-03T19:20:00").plus(Duration.ofDays(7L * week)), PARIS, HALF_LIFE);
        }
        return engagement;
    }

    private static double[] populationAtNoon(int engagements) {
        PopulationHours population = new PopulationHours();
        for (int i = 0; i < engagements; i++) {
            population.add(paris("2026-02-02T12:10:00").plus(Duration.ofDays(i % 7)), PARIS, HALF_LIFE);
        }
        return population.weightsAt(paris("2026-03-03T08:00:00"), HALF_LIFE);
    }

    @Test
    void shouldNumberTheHoursOfTheWeekInTheProfilesZone() {
        assertThat(HoursOfWeek.of(paris("2026-03-02T00:30:00"), PARIS)).isZero(); // a Monday
        assertThat(HoursOfWeek.of(paris("2026-03-03T19:59:00"), PARIS)).isEqualTo(24 + 19);
        assertThat(HoursOfWeek.of(Instant.parse("2026-03-03T18:30:00Z"), ZoneId.of("Asia/Tokyo")))
                .isEqualTo(2 * 24 + 3); // Wednesday 03:30 in Tokyo
        assertThat(HoursOfWeek.name(24 + 19)).isEqualTo("Tue 19:00");
    }

    @Test
    void shouldOfferTheTopOfEveryLocalHourAcrossADaylightSavingChange() {
        // Paris skips 02:00-03:00 on 2026-03-29: from 00:30 to 04:00 local the hours start at 01:00, 03:00
        var starts = HoursOfWeek.startsBetween(paris("2026-03-29T00:30:00"), paris("2026-03-29T04:00:00"), PARIS);
        assertThat(starts).containsExactly(paris("2026-03-29T00:30:00"), paris("2026-03-29T01:00:00"),
                paris("2026-03-29T03:00:00"));
    }

    @Test
    void shouldDecayOldEngagementsAndKeepAtMostTheHeaviestHours() {
        Engagement one = Engagement.none().plus(paris("2026-02-03T19:20:00"), PARIS, HALF_LIFE);
        assertThat(one.totalAt(paris("2026-02-03T19:20:00").plus(HALF_LIFE), HALF_LIFE)).isCloseTo(0.5, within());
        Engagement many = Engagement.none();
        for (int hour = 0; hour < 40; hour++) {
            many = many.plus(paris("2026-02-02T00:10:00").plus(Duration.ofHours(hour)), PARIS, HALF_LIFE);
        }
        assertThat(many.hours()).hasSize(Engagement.MOST_HOURS);
        assertThat(many.hours()).doesNotContain(0); // the oldest, lightest hours went first
    }

    @Test
    void shouldSendAWarmProfileAtItsOwnHourWithinTheWindow() {
        SendTimeChooser chooser = new SendTimeChooser(SendTimeChooser.Settings.DEFAULT);
        var choice = chooser.choose(paris("2026-03-03T08:00:00"), Duration.ofHours(24), PARIS, tuesdayEvenings(8),
                populationAtNoon(500), NO_EXPLORING);
        // an hour before its 19:xx habit: the message is at the top of the inbox when it looks
        assertThat(choice.at()).isEqualTo(paris("2026-03-03T18:00:00"));
        assertThat(choice.basis()).isEqualTo(SendTimeChooser.Basis.PROFILE);
    }

    @Test
    void shouldSendAColdProfileAtThePopulationsHourAndWithoutEitherAtOnce() {
        SendTimeChooser chooser = new SendTimeChooser(SendTimeChooser.Settings.DEFAULT);
        Instant now = paris("2026-03-03T08:00:00");
        var cold = chooser.choose(now, Duration.ofHours(24), PARIS, Engagement.none(), populationAtNoon(500), NO_EXPLORING);
        assertThat(cold.at()).isEqualTo(paris("2026-03-03T11:00:00"));
        assertThat(cold.basis()).isEqualTo(SendTimeChooser.Basis.POPULATION);
        // one engagement of its own does not outweigh the population: shrinkage
        var oneOwn = chooser.choose(now, Duration.ofHours(24), PARIS, tuesdayEvenings(1), populationAtNoon(500), NO_EXPLORING);
        assertThat(oneOwn.at()).isEqualTo(paris("2026-03-03T11:00:00"));
        var nothing = chooser.choose(now, Duration.ofHours(24), PARIS, Engagement.none(), populationAtNoon(10), NO_EXPLORING);
        assertThat(nothing).isEqualTo(new SendTimeChooser.Choice(now, HoursOfWeek.of(now, PARIS), SendTimeChooser.Basis.AT_ONCE));
    }

    @Test
    void shouldStayWithinTheWindowAndExploreTheSameHourForTheSameHash() {
        SendTimeChooser chooser = new SendTimeChooser(SendTimeChooser.Settings.DEFAULT);
        Instant now = paris("2026-03-03T08:00:00");
        var early = chooser.choose(now, Duration.ofHours(4), PARIS, tuesdayEvenings(8), populationAtNoon(500), NO_EXPLORING);
        assertThat(early.at()).isBetween(now, now.plus(Duration.ofHours(4)));
        long exploring = 123L * 10_000 + 42; // bucket 42 < 500: explores
        var first = chooser.choose(now, Duration.ofHours(24), PARIS, tuesdayEvenings(8), populationAtNoon(500), exploring);
        var again = chooser.choose(now, Duration.ofHours(24), PARIS, tuesdayEvenings(8), populationAtNoon(500), exploring);
        assertThat(first.basis()).isEqualTo(SendTimeChooser.Basis.EXPLORE);
        assertThat(again).isEqualTo(first);
    }

    private static org.assertj.core.data.Offset<Double> within() {
        return org.assertj.core.data.Offset.offset(1e-9);
    }
}
