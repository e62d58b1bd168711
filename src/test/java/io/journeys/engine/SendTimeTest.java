package io.journeys.engine;

import static org.assertj.core.api.Assertions.assertThat;

import io.journeys.avro.ActionRequest;
import io.journeys.avro.StepEvent;
import io.journeys.http.CannedCalls;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Send-time optimisation in the engine (simulation, where the population is counted in line): a warm profile gets
 * its message at its own hour, a cold one at the population's, quiet hours still win, an exit still ends a
 * waiting instance, and a replay gives the same instants.
 */
class SendTimeTest {

    private static final ZoneId PARIS = ZoneId.of("Europe/Paris");

    static final String CAMPAIGN = """
            {"id": "campaign", "version": 1, "entry": {"event": "campaign.started"},
             "exit": [{"event": "unsubscribed"}], "start": "mail",
             "steps": {"mail": {"type": "action", "channel": "email", "template": "spring",
                                "sendTime": {"optimize": "opens", "within": "PT24H"}, "next": "pause"},
                       "pause": {"type": "wait", "sendTime": {"within": "P2D", "channel": "push"}, "next": "push"},
                       "push": {"type": "action", "channel": "push", "template": "spring-push", "next": "done"},
                       "done": {"type": "end"}}}""";

    private static Instant paris(String local) {
        return LocalDateTime.parse(local).atZone(PARIS).toInstant();
    }

    private static EngineSettings simulation(String... documents) {
        return EngineSettings.eventTime(List.of(documents)).withInlineCalls(CannedCalls.parse(List.of()));
    }

    /**
     * Eight weeks of history in Paris: "warm" opens emails at 19:xx on Tuesdays; 60 others open emails at 12:xx
     * (each on its day of the week) and pushes at 20:xx on Tuesdays.
     */
    private static void history(ProcessorHarness h) throws Exception {
        List<String> profiles = new ArrayList<>(List.of("warm", "cold"));
        for (int i = 0; i < 60; i++) {
            profiles.add("other-" + i);
        }
        for (String profile : profiles) {
            h.profile(profile, paris("2026-01-01T00:00:00"), "{\"timeZone\": \"Europe/Paris\"}");
        }
        for (int week = 0; week < 8; week++) {
            Instant monday = paris("2026-01-05T00:00:00").plus(Duration.ofDays(7L * week));
            h.event("warm", "email.opened", monday.plus(Duration.ofDays(1)).plus(Duration.ofMinutes(19 * 60 + 20)), "{}");
            for (int i = 0; i < 60; i++) {
                h.event("other-" + i, "email.opened", monday.plus(Duration.ofDays(i % 7))
                        .plus(Duration.ofMinutes(12 * 60 + 10 + i % 40)), "{}");
                h.event("other-" + i, "push.opened", monday.plus(Duration.ofDays(1)) // Tuesdays
                        .plus(Duration.ofMinutes(20 * 60 + 5)), "{}");
            }
        }
    }

    private static Instant sentAt(ProcessorHarness h, String profile, String template) {
        return h.actions().stream().filter(a -> a.getProfileId().equals(profile) && a.getTemplate().equals(template))
                .map(a -> Instant.ofEpochMilli(a.getTimestamp())).findFirst().orElseThrow();
    }

    @Test
    void shouldSendAWarmProfileAtItsHourAndAColdOneAtThePopulations() throws Exception {
        try (ProcessorHarness h = ProcessorHarness.with(simulation(CAMPAIGN))) {
            history(h);
            Instant start = paris("2026-03-03T08:00:00"); // a Tuesday
            h.event("warm", "campaign.started", start, "{}").event("cold", "campaign.started", start, "{}").untilTheEnd();

            // an hour before each habit, so that the message is at the top of the inbox when they look
            assertThat(sentAt(h, "warm", "spring")).isEqualTo(paris("2026-03-03T18:00:00"));
            assertThat(sentAt(h, "cold", "spring")).isEqualTo(paris("2026-03-03T11:00:00"));
            // the wait's push: the population opens pushes at 20:xx; after an 18:00 send, 19:00 the same day
            assertThat(sentAt(h, "warm", "spring-push")).isEqualTo(paris("2026-03-03T19:00:00"));
            StepEvent waiting = h.steps().stream().filter(s -> s.getProfileId().equals("cold")
                    && s.getStepId().equals("mail") && s.getStatus().equals("waiting")).findFirst().orElseThrow();
            assertThat(waiting.getMessage()).contains("Tue 11:00 local", "by population");
        }
    }

    @Test
    void shouldLetQuietHoursWinOverTheChosenInstantAndAnExitEndTheWait() throws Exception {
        String rules = """
                {"kind": "rules", "id": "marketing", "version": 1,
                 "quietHours": [{"id": "evening", "channels": ["email"], "from": "18:00", "to": "21:00"}]}""";
        String ruled = CAMPAIGN.replace("\"version\": 1,", "\"version\": 1, \"rules\": \"marketing\",");
        try (ProcessorHarness h = ProcessorHarness.with(simulation(rules, ruled))) {
            history(h);
            Instant start = paris("2026-03-03T08:00:00");
            h.event("warm", "campaign.started", start, "{}").event("cold", "campaign.started", start, "{}")
                    .event("cold", "unsubscribed", paris("2026-03-03T10:30:00"), "{}").untilTheEnd();

            assertThat(sentAt(h, "warm", "spring")).isEqualTo(paris("2026-03-03T21:00:00")); // chosen 18:00, held
            assertThat(h.actions()).noneMatch(a -> a.getProfileId().equals("cold")); // exited while waiting
        }
    }

    @Test
    void shouldGiveTheSameInstantsOnAReplay() throws Exception {
        List<Long> first = new ArrayList<>();
        for (int run = 0; run < 2; run++) {
            try (ProcessorHarness h = ProcessorHarness.with(simulation(CAMPAIGN))) {
                history(h);
                for (int i = 0; i < 60; i++) {
                    h.event("other-" + i, "campaign.started", paris("2026-03-03T08:00:00").plusSeconds(i), "{}");
                }
                h.untilTheEnd();
                List<Long> instants = h.actions().stream().map(ActionRequest::getTimestamp).sorted().toList();
                if (run == 0) {
                    first.addAll(instants);
                } else {
                    assertThat(instants).isEqualTo(first);
                }
            }
        }
        assertThat(first).hasSize(120);
    }
}
