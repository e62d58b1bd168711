package io.journeys.engine;

import static org.assertj.core.api.Assertions.assertThat;

import io.journeys.avro.ActionRequest;
import io.journeys.avro.EngagementCount;
import io.journeys.avro.StepEvent;
import io.journeys.dsl.DefinitionParser;
import io.journeys.sendtime.HoursOfWeek;
import io.journeys.sendtime.PopulationDocument;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.util.List;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.junit.jupiter.api.Test;

/**
 * The Kafka job's side of send times in the engine (processing time): engagements go out on a side output for
 * the job's population counter, with the profile's zone, and the population's snapshots (everyone's and each
 * zone's), coming back on the broadcast, decide a cold profile's send time, survive a restore from the broadcast
 * state, and are dead letters when they are invalid.
 */
class SendTimePopulationTest {

    private static final ZoneId PARIS = ZoneId.of("Europe/Paris");
    private static final Instant TUESDAY_8 = LocalDateTime.parse("2026-03-03T08:00:00").atZone(PARIS).toInstant();
    private static final int TUESDAY_NOON = 24 + 12;

    private static EngineSettings production() {
        return EngineSettings.processingTime(List.of(SendTimeTest.CAMPAIGN));
    }

    /** The population opens emails on Tuesdays at 12:xx local, counted until an hour ago. */
    private static String noonPopulation() {
        double[] weights = new double[HoursOfWeek.COUNT];
        weights[TUESDAY_NOON] = 200;
        weights[TUESDAY_NOON + 6] = 20;
        return PopulationDocument.write("email/opens", TUESDAY_8.minus(Duration.ofHours(1)).toEpochMilli(), weights);
    }

    private static ProcessorHarness started(OperatorSubtaskState snapshot) throws Exception {
        ProcessorHarness h = snapshot == null ? ProcessorHarness.with(production())
                : ProcessorHarness.restored(production(), snapshot);
        h.flink().setProcessingTime(TUESDAY_8.toEpochMilli());
        return h;
    }

    private static StepEvent mailWaiting(ProcessorHarness h, String profile) {
        return h.steps().stream().filter(s -> s.getProfileId().equals(profile) && s.getStepId().equals("mail")
                && s.getStatus().equals("waiting")).findFirst().orElseThrow();
    }

    @Test
    void shouldSendAColdProfileAtThePopulationsHourOnceASnapshotArrives() throws Exception {
        try (ProcessorHarness h = started(null)) {
            h.profile("before", TUESDAY_8, "{\"timeZone\": \"Europe/Paris\"}")
                    .event("before", "campaign.started", TUESDAY_8, "{}");
            // no population yet, no habit of its own: at once
            assertThat(h.actions()).filteredOn(a -> a.getTemplate().equals("spring"))
                    .extracting(ActionRequest::getTimestamp).containsExactly(TUESDAY_8.toEpochMilli());

            h.publish(noonPopulation());
            h.profile("cold", TUESDAY_8, "{\"timeZone\": \"Europe/Paris\"}")
                    .event("cold", "campaign.started", TUESDAY_8, "{}");
            assertThat(mailWaiting(h, "cold").getMessage()).contains("Tue 11:00 local", "by population");
            Instant beforeNoon = TUESDAY_8.plus(Duration.ofHours(3)); // an hour before the population's 12:xx
            h.flink().setProcessingTime(beforeNoon.toEpochMilli());
            assertThat(h.actions()).filteredOn(a -> a.getProfileId().equals("cold") && a.getTemplate().equals("spring"))
                    .extracting(ActionRequest::getTimestamp).containsExactly(beforeNoon.toEpochMilli());
            assertThat(h.deadLetters()).isEmpty();
        }
    }

    @Test
    void shouldKeepTheLatestPopulationInTheBroadcastStateAcrossARestore() throws Exception {
        OperatorSubtaskState snapshot;
        try (ProcessorHarness h = started(null)) {
            h.publish(noonPopulation());
            snapshot = h.flink().snapshot(1L, 1L);
        }
        try (ProcessorHarness h = started(snapshot)) {
            h.profile("cold", TUESDAY_8, "{\"timeZone\": \"Europe/Paris\"}")
                    .event("cold", "campaign.started", TUESDAY_8, "{}");
            assertThat(mailWaiting(h, "cold").getMessage()).contains("Tue 11:00 local", "by population");
        }
    }

    @Test
    void shouldEmitEveryEngagementForTheJobsPopulationCounter() throws Exception {
        try (ProcessorHarness h = started(null)) {
            Instant tuesday19 = TUESDAY_8.plus(Duration.ofHours(11)).plus(Duration.ofMinutes(20));
            h.profile("warm", TUESDAY_8, "{\"timeZone\": \"Europe/Paris\"}")
                    .event("warm", "email.clicked", tuesday19, "{}") // a click is also an open
                    .event("warm", "push.opened", tuesday19, "{}");
            h.profile("unzoned", TUESDAY_8, "{}").event("unzoned", "email.opened", tuesday19, "{}");
            assertThat(h.engagements()).extracting(EngagementCount::getKind, EngagementCount::getHourOfWeek,
                            EngagementCount::getZone)
                    .containsExactlyInAnyOrder(
                            org.assertj.core.groups.Tuple.tuple("email/clicks", 24 + 19, "Europe/Paris"),
                            org.assertj.core.groups.Tuple.tuple("email/opens", 24 + 19, "Europe/Paris"),
                            org.assertj.core.groups.Tuple.tuple("push/opens", 24 + 19, "Europe/Paris"),
                            org.assertj.core.groups.Tuple.tuple("email/opens", 24 + 18, "UTC")); // 18:20 UTC
        }
    }

    @Test
    void shouldMakeAnInvalidPopulationADeadLetterAndKeepTheOneBefore() throws Exception {
        try (ProcessorHarness h = started(null)) {
            h.publish(noonPopulation());
            h.publish("{\"kind\": \"population\", \"engagement\": \"email/opens\", \"asOf\": 1, \"weights\": [1, 2]}");
            h.publish("{\"kind\": \"population\", \"engagement\": \"sms/opens\", \"asOf\": 1, \"weights\": []}");
            assertThat(h.deadLetters()).extracting(d -> d.getErrorCode()).containsExactly("ENG-006", "ENG-006");

            h.profile("cold", TUESDAY_8, "{\"timeZone\": \"Europe/Paris\"}")
                    .event("cold", "campaign.started", TUESDAY_8, "{}");
            assertThat(mailWaiting(h, "cold").getMessage()).contains("Tue 11:00 local", "by population");
        }
    }

    /**
     * Everyone's: Tuesdays at 12:xx (400), 18:xx (100) and Wednesdays at 09:xx (60); Tokyo's: the 60 Wednesday
     * 09:xx opens are all theirs.
     */
    private static void zonedPopulation(ProcessorHarness h) throws Exception {
        long asOf = TUESDAY_8.minus(Duration.ofHours(1)).toEpochMilli();
        double[] everyone = new double[HoursOfWeek.COUNT];
        everyone[TUESDAY_NOON] = 400;
        everyone[TUESDAY_NOON + 6] = 100;
        everyone[WEDNESDAY_9] = 60;
        double[] tokyo = new double[HoursOfWeek.COUNT];
        tokyo[WEDNESDAY_9] = 60;
        h.publish(PopulationDocument.write("email/opens", asOf, everyone))
                .publish(PopulationDocument.write("email/opens", "Asia/Tokyo", asOf, tokyo));
    }

    private static final int WEDNESDAY_9 = 48 + 9;

    @Test
    void shouldSendAColdProfileAtItsZonesHourShrunkTowardEveryonesAndKeepZonesAcrossARestore() throws Exception {
        OperatorSubtaskState snapshot;
        try (ProcessorHarness h = started(null)) {
            zonedPopulation(h);
            // in Tokyo it is Tuesday 16:00: by everyone's, Tuesday 17:00 (before 18:xx) would win (100 against 60);
            // each message goes in the hour before the hour chosen by (the model's attention)
            h.profile("cold", TUESDAY_8, "{\"timeZone\": \"Asia/Tokyo\"}")
                    .event("cold", "campaign.started", TUESDAY_8, "{}");
            assertThat(mailWaiting(h, "cold").getMessage()).contains("Wed 08:00 local", "by population");
            // Paris has no zone's population: everyone's
            h.profile("parisian", TUESDAY_8, "{\"timeZone\": \"Europe/Paris\"}")
                    .event("parisian", "campaign.started", TUESDAY_8, "{}");
            assertThat(mailWaiting(h, "parisian").getMessage()).contains("Tue 11:00 local", "by population");
            assertThat(h.deadLetters()).isEmpty();
            snapshot = h.flink().snapshot(1L, 1L);
        }
        try (ProcessorHarness h = started(snapshot)) {
            h.profile("cold-again", TUESDAY_8, "{\"timeZone\": \"Asia/Tokyo\"}")
                    .event("cold-again", "campaign.started", TUESDAY_8, "{}");
            assertThat(mailWaiting(h, "cold-again").getMessage()).as("both snapshots kept in the broadcast state")
                    .contains("Wed 08:00 local", "by population");
        }
    }

    @Test
    void shouldLoadASnapshotWithoutAZoneAsEveryonesAndRefuseAZoneThatIsNone() throws Exception {
        try (ProcessorHarness h = started(null)) {
            // as every release before zones wrote it: everyone's, which a Tokyo profile follows
            h.publish(noonPopulation());
            h.publish("{\"kind\": \"population\", \"engagement\": \"email/opens\", \"zone\": \"Mars/Olympus\", "
                    + "\"asOf\": 1, \"weights\": " + java.util.Collections.nCopies(HoursOfWeek.COUNT, 1) + "}");
            assertThat(h.deadLetters()).singleElement().satisfies(d -> {
                assertThat(d.getErrorCode()).isEqualTo("ENG-006");
                assertThat(d.getMessage()).contains("zone must be a time zone id");
            });
            h.profile("cold", TUESDAY_8, "{\"timeZone\": \"Asia/Tokyo\"}")
                    .event("cold", "campaign.started", TUESDAY_8, "{}");
            assertThat(mailWaiting(h, "cold").getMessage()).contains("Tue 17:00 local", "by population");
        }
    }

    @Test
    void shouldRefuseAPopulationAsAUserDocument() {
        // validate and publish parse documents as journeys, actions or rule sets: a population is none of them
        assertThat(DefinitionParser.parse(noonPopulation()).valid()).isFalse();
    }
}
