package io.journeys.bench;

import io.journeys.sendtime.HoursOfWeek;
import io.journeys.sendtime.PopulationDocument;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;

/**
 * The throughput and latency parts' 20 journeys with the features of issues 15 to 18 on (issue 19), so that their
 * cost is measured: the plain journeys' entries, condition, actions, wait and await, plus
 * <ul>
 *   <li>a goal: a {@code purchase} of at least 50 within 7 days of entry converts;</li>
 *   <li>an experiment on that goal in front of the email: an offer (45%), a reminder (45%) or nothing (a 10%
 *       holdout, which ends the instance: its goal is then watched after the end), with a winner rule that the run
 *       evaluates ({@code after} 30 s, 100 profiles an arm); its counter is the Kafka job's, and a winner would come
 *       back through {@link ExperimentLoop} as it would on {@code experiment-winners};</li>
 *   <li>the delivery-rules benchmark's binding rule set ({@link RulesBenchmark#RULE_SET}: email 3 a day and any
 *       channel 10 a week in the profile's zone, quiet hours 22:00-07:00 that queue, 15 entries a day);</li>
 *   <li>{@code sendTime} on the offer email of four journeys (within a day) and on the push of two (within 12
 *       hours): the instance waits for the chosen hour, a timer, unless the hour is now.</li>
 * </ul>
 * The inputs' {@code email.opened} events teach the send-time model; the population it blends each profile's
 * hours with is published first ({@link #populations}), as a job that has run for a while would have it.
 */
final class FeaturedJourneys {

    /** The goal every featured journey has, and its experiment's. */
    static final String GOAL = "purchased";
    static final String EXPERIMENT_STEP = "offer-test";

    private FeaturedJourneys() {}

    /**
     * The documents in publishing order: the rule set, the two populations of send times (as of {@code now}),
     * then the 20 journeys; when stamped, every action carries the entry event's {@code sentAt}, as in
     * {@link EventBenchmark#journeys(boolean)}.
     */
    static List<String> documents(boolean stamped, Instant now) {
        List<String> documents = new ArrayList<>();
        documents.add(RulesBenchmark.RULE_SET);
        documents.addAll(populations(now));
        documents.addAll(journeys(stamped));
        return documents;
    }

    static List<String> journeys(boolean stamped) {
        String stamp = stamped ? ", \"sentAt\": \"event.sentAt\"" : "";
        String goldParams = stamped ? " \"params\": {\"sentAt\": \"event.sentAt\"}," : "";
        List<String> documents = new ArrayList<>();
        for (int k = 0; k < EventBenchmark.JOURNEYS; k++) {
            String pushSendTime = k % 10 == 1 ? " \"sendTime\": {\"within\": \"PT12H\"}," : "";
            String emailSendTime = k % 5 == 0 ? " \"sendTime\": {\"optimize\": \"opens\", \"within\": \"PT24H\"}," : "";
            documents.add("""
                    {"id": "bench-%d", "version": 1, "rules": "%s",
                     "entry": {"type": "event", "event": "%s", "when": "event.amount >= %d"},
                     "exit": [{"event": "unsubscribed"}],
                     "goals": [{"id": "%s", "event": "purchase", "when": "event.amount >= 50", "within": "P7D"}],
                     "start": "check",
                     "steps": {
                       "check": {"type": "condition",
                                 "choices": [{"when": "has(profile.tier) && profile.tier == 'gold'", "next": "gold"}],
                                 "default": "%s"},
                       "gold": {"type": "action", "channel": "push", "template": "gold-%d",%s%s "next": "wait"},
                       "%s": {"type": "experiment", "goal": "%s",
                                    "arms": [{"id": "offer", "percent": 45, "next": "send"},
                                             {"id": "reminder", "percent": 45, "next": "remind"},
                                             {"id": "holdout", "percent": 10, "next": "done", "control": true}],
                                    "winner": {"after": "PT30S", "confidence": 0.95, "minPerArm": 100}},
                       "send": {"type": "action", "channel": "email", "template": "offer-%d",
                                "params": {"amount": "event.amount", "plan": "event.plan"%s},%s "next": "wait"},
                       "remind": {"type": "action", "channel": "email", "template": "reminder-%d",
                                  "params": {"plan": "event.plan"%s}, "next": "wait"},
                       "wait": {"type": "wait", "duration": "PT1H", "next": "opened"},
                       "opened": {"type": "await", "events": [{"event": "email.opened", "to": "send", "next": "done"}],
                                  "timeout": "P1D", "onTimeout": "done"},
                       "done": {"type": "end"}}}""".formatted(k, RulesBenchmark.RULE_SET_ID,
                    EventBenchmark.entryType(k), EventBenchmark.entryThreshold(k), GOAL, EXPERIMENT_STEP, k, goldParams,
                    pushSendTime, EXPERIMENT_STEP, GOAL, k, stamp, emailSendTime, k, stamp));
        }
        return documents;
    }

    /**
     * Everyone's opens of emails and pushes by local hour of the week, as the job's population counter would have
     * published them after weeks of engagement: 20,000 opens each, a peak in the "evening" and a smaller one at
     * "lunch", hardly any at night. The evening is put twelve hours after the run's UTC hour, so that the best hour
     * is hours away in every zone the profiles live in (UTC, the most, and UTC-8 to UTC+9) and the send-time
     * actions wait whatever the hour the benchmark runs at: with the peak at 19:30, runs at 18:52 and 19:01 UTC had
     * 102,000 and 14,000 send-time waits, as the UTC profiles' current hour became the best one.
     */
    static List<String> populations(Instant now) {
        int evening = (now.atZone(ZoneOffset.UTC).getHour() + 12) % 24;
        double[] weights = new double[HoursOfWeek.COUNT];
        double total = 0;
        for (int h = 0; h < weights.length; h++) {
            int fromEvening = Math.floorMod(h % 24 - evening + 12, 24) - 12; // -12 to 11 hours
            double weight = Math.abs(fromEvening) > 8 ? 0.2 : 1.0;
            weights[h] = weight + 4.0 * Math.exp(-fromEvening * fromEvening / 4.0)
                    + 1.5 * Math.exp(-Math.pow(fromEvening + 7, 2));
            total += weights[h];
        }
        for (int h = 0; h < weights.length; h++) {
            weights[h] *= 20_000 / total;
        }
        return List.of(PopulationDocument.write("email/opens", now.toEpochMilli(), weights),
                PopulationDocument.write("push/opens", now.toEpochMilli(), weights));
    }
}
