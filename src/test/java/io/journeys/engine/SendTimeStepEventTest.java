package io.journeys.engine;

import static org.assertj.core.api.Assertions.assertThat;

import io.journeys.avro.StepEvent;
import io.journeys.http.CannedCalls;
import io.journeys.job.OutputJson;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The step event of a step with {@code sendTime} carries the choice as fields (what the report's histogram of send
 * hours reads): on the waiting event when the instant is later, on the executed one when it is now, and on no
 * other event.
 */
class SendTimeStepEventTest {

    private static final ZoneId PARIS = ZoneId.of("Europe/Paris");

    private static Instant paris(String local) {
        return LocalDateTime.parse(local).atZone(PARIS).toInstant();
    }

    private static StepEvent event(ProcessorHarness h, String profile, String step, String status) {
        return h.steps().stream().filter(s -> s.getProfileId().equals(profile) && s.getStepId().equals(step)
                && s.getStatus().equals(status)).findFirst().orElseThrow();
    }

    /**
     * "warm" opened emails on Tuesdays at 19:20 for eight weeks, too few for a population (fewer than 50): its
     * own habit decides. "cold" has no history and no population to follow: its email goes at once.
     */
    @Test
    void shouldCarryTheInstantItsLocalHourAndWhyOnTheEventOfTheStepThatChose() throws Exception {
        EngineSettings settings = EngineSettings.eventTime(List.of(SendTimeTest.CAMPAIGN))
                .withInlineCalls(CannedCalls.parse(List.of()));
        try (ProcessorHarness h = ProcessorHarness.with(settings)) {
            for (String profile : List.of("warm", "cold")) {
                h.profile(profile, paris("2026-01-01T00:00:00"), "{\"timeZone\": \"Europe/Paris\"}");
            }
            for (int week = 0; week < 8; week++) {
                h.event("warm", "email.opened", paris("2026-01-06T19:20:00").plus(Duration.ofDays(7L * week)), "{}");
            }
            Instant start = paris("2026-03-03T08:00:00"); // a Tuesday
            h.event("warm", "campaign.started", start, "{}").event("cold", "campaign.started", start, "{}")
                    .untilTheEnd();

            StepEvent waiting = event(h, "warm", "mail", StepStatus.WAITING);
            Instant chosen = paris("2026-03-03T18:00:00"); // an hour before its 19:xx habit
            assertThat(waiting.getSendAt()).isEqualTo(chosen.toEpochMilli());
            assertThat(waiting.getSendHourOfWeek()).isEqualTo(24 + 18);
            assertThat(waiting.getSendBasis()).isEqualTo("profile");
            assertThat(waiting.getTimestamp()).isEqualTo(start.toEpochMilli()); // the arrival: held 10 h
            assertThat(OutputJson.step(waiting)).contains("\"sendAt\":\"2026-03-03T17:00:00Z\",\"sendHourOfWeek\":42,"
                    + "\"sendBasis\":\"profile\"");
            // the send at the chosen instant is the same choice: its event does not count it again
            StepEvent sent = event(h, "warm", "mail", StepStatus.EXECUTED);
            assertThat(sent.getTimestamp()).isEqualTo(chosen.toEpochMilli());
            assertThat(sent.getSendAt()).isNull();

            StepEvent atOnce = event(h, "cold", "mail", StepStatus.EXECUTED);
            assertThat(h.steps()).noneMatch(s -> s.getProfileId().equals("cold") && s.getStepId().equals("mail")
                    && s.getStatus().equals(StepStatus.WAITING));
            assertThat(atOnce.getSendBasis()).isEqualTo("atOnce");
            assertThat(atOnce.getSendAt()).isEqualTo(start.toEpochMilli());
            assertThat(atOnce.getSendHourOfWeek()).isEqualTo(24 + 8);

            // steps without sendTime, and every other event, carry nothing
            assertThat(h.steps()).filteredOn(s -> s.getStepId() != null && !s.getStepId().equals("mail")
                    && !s.getStepId().equals("pause")).allSatisfy(s -> {
                        assertThat(s.getSendAt()).isNull();
                        assertThat(s.getSendBasis()).isNull();
                        assertThat(OutputJson.step(s)).doesNotContain("sendAt");
                    });
            assertThat(h.steps()).filteredOn(s -> s.getSendBasis() != null).hasSize(4); // mail and pause, each
        }
    }
}
