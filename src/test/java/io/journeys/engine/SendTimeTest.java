package io.journeys.engine;

import static org.assertj.core.api.Assertions.assertThat;

import io.journeys.avro.ActionRequest;
import io.journeys.avro.StepEvent;
import io.journeys.http.CannedCalls;
import io.journeys.sendtime.EngagementTypes;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Send-time optimisation in the engine (simulation, where the population is counted in line): a warm profile gets
 * its message at its own hour, a cold one at its zone's population's (shrunk toward everyone's), quiet hours still
 * win, an exit still ends a waiting instance, a replay gives the same instants, and the engagement event types
 * are the ones the job is configured with, with or without the requestId of the message they answer.
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

    /** Wednesday 4 March 2026 at a local time in a zone. */
    private static Instant local(String zone, String time) {
        return LocalDateTime.parse("2026-03-04T" + time).atZone(ZoneId.of(zone)).toInstant();
    }

    /**
     * Eight weeks of email opens on Wednesdays: 60 Parisians at 12:xx, 20 profiles in Tokyo at 08:xx (enough to
     * be their zone's own), one in New York at 09:xx (too few: its zone follows everyone).
     */
    private static void zonedHistory(ProcessorHarness h) throws Exception {
        java.util.Map<String, String> profiles = new java.util.LinkedHashMap<>();
        for (int i = 0; i < 60; i++) {
            profiles.put("paris-" + i, "Europe/Paris");
        }
        for (int i = 0; i < 20; i++) {
            profiles.put("tokyo-" + i, "Asia/Tokyo");
        }
        profiles.put("new-york-0", "America/New_York");
        for (String cold : List.of("cold-paris", "cold-tokyo", "cold-new-york")) {
            profiles.put(cold, cold.equals("cold-paris") ? "Europe/Paris"
                    : cold.equals("cold-tokyo") ? "Asia/Tokyo" : "America/New_York");
        }
        for (java.util.Map.Entry<String, String> profile : profiles.entrySet()) {
            h.profile(profile.getKey(), paris("2026-01-01T00:00:00"), "{\"timeZone\": \"" + profile.getValue() + "\"}");
        }
        for (int week = 1; week <= 8; week++) {
            Duration ago = Duration.ofDays(7L * week);
            for (int i = 0; i < 60; i++) {
                h.event("paris-" + i, "email.opened", local("Europe/Paris", "12:10").minus(ago).plusSeconds(i), "{}");
            }
            for (int i = 0; i < 20; i++) {
                h.event("tokyo-" + i, "email.opened", local("Asia/Tokyo", "08:10").minus(ago).plusSeconds(i), "{}");
            }
            h.event("new-york-0", "email.opened", local("America/New_York", "09:10").minus(ago), "{}");
        }
    }

    @Test
    void shouldSendAColdProfileAtItsZonesHourWhenItsZoneHasEnoughEngagementsAndAtEveryonesElse() throws Exception {
        try (ProcessorHarness h = ProcessorHarness.with(simulation(CAMPAIGN))) {
            zonedHistory(h);
            // each window, a day from Tuesday evening local, holds everyone's Wednesday 12:00 and the zone's hour
            h.event("cold-paris", "campaign.started", local("Europe/Paris", "20:00").minus(Duration.ofDays(1)), "{}")
                    .event("cold-tokyo", "campaign.started", local("Asia/Tokyo", "06:00"), "{}")
                    .event("cold-new-york", "campaign.started", local("America/New_York", "07:00"), "{}")
                    .untilTheEnd();

            // each in the hour before the hour its population opens in (the model's attention)
            assertThat(sentAt(h, "cold-paris", "spring")).isEqualTo(local("Europe/Paris", "11:00:00"));
            // Tokyo's 160 opens at 08:xx outweigh everyone's 480 at 12:xx shrunk to κ = 50
            assertThat(sentAt(h, "cold-tokyo", "spring")).isEqualTo(local("Asia/Tokyo", "07:00:00"));
            // New York's 8 opens at 09:xx do not: its zone follows everyone
            assertThat(sentAt(h, "cold-new-york", "spring")).isEqualTo(local("America/New_York", "11:00:00"));
            assertThat(h.steps()).filteredOn(s -> s.getProfileId().startsWith("cold-") && s.getStepId().equals("mail")
                    && s.getStatus().equals("waiting")).extracting(StepEvent::getMessage)
                    .allMatch(message -> message.endsWith("by population)"));
        }
    }

    @Test
    void shouldLearnFromTheConfiguredEventTypesWithOrWithoutTheRequestIdOfTheMessageTheyAnswer() throws Exception {
        EngineSettings settings = simulation(CAMPAIGN)
                .withEngagements(EngagementTypes.parse("mail.open=email/opens;mail.link=email/clicks,email/opens"));
        try (ProcessorHarness h = ProcessorHarness.with(settings)) {
            for (String profile : List.of("answers", "unprompted")) {
                h.profile(profile, paris("2026-01-01T00:00:00"), "{\"timeZone\": \"Europe/Paris\"}");
            }
            for (int week = 0; week < 8; week++) {
                Instant tuesday = paris("2026-01-06T00:00:00").plus(Duration.ofDays(7L * week));
                // an open that answers a message it names, and one that names none: both count
                h.event("answers", "mail.open", tuesday.plus(Duration.ofMinutes(19 * 60 + 5)), "{}", "request-" + week)
                        .event("unprompted", "mail.link", tuesday.plus(Duration.ofMinutes(17 * 60 + 5)), "{}");
                // the default's type, not configured here: learnt by neither
                h.event("answers", "email.opened", tuesday.plus(Duration.ofMinutes(10 * 60 + 5)), "{}")
                        .event("answers", "email.opened", tuesday.plus(Duration.ofMinutes(10 * 60 + 6)), "{}")
                        .event("unprompted", "email.opened", tuesday.plus(Duration.ofMinutes(10 * 60 + 5)), "{}")
                        .event("unprompted", "email.opened", tuesday.plus(Duration.ofMinutes(10 * 60 + 6)), "{}");
            }
            Instant start = paris("2026-03-03T08:00:00"); // a Tuesday
            h.event("answers", "campaign.started", start, "{}").event("unprompted", "campaign.started", start, "{}")
                    .untilTheEnd();

            // too few engagements for a population (16): each its own habit, the hour before it
            assertThat(sentAt(h, "answers", "spring")).isEqualTo(paris("2026-03-03T18:00:00"));
            assertThat(sentAt(h, "unprompted", "spring")).isEqualTo(paris("2026-03-03T16:00:00"));
        }
    }
}
