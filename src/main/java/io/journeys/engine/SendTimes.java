package io.journeys.engine;

import com.google.common.hash.HashFunction;
import com.google.common.hash.Hashing;
import io.journeys.avro.EngagementHours;
import io.journeys.dsl.Step;
import io.journeys.dsl.ZoneChoice;
import io.journeys.sendtime.Engagement;
import io.journeys.sendtime.HoursOfWeek;
import io.journeys.sendtime.PopulationHours;
import io.journeys.sendtime.SendTimeChooser;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneId;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Send-time optimisation in the engine: learns each profile's engagement (by local hour of the week, in its
 * zone) from engagement events, and chooses the instant a step with {@code sendTime} sends at. In simulation the
 * population's engagement is counted in line, in event-time order, from the same events (exact: a simulation
 * with send times runs at parallelism 1); in the Kafka job there is no job-wide population model yet (issue 18),
 * so a profile follows its own habit when it has one and is sent at once otherwise.
 */
final class SendTimes {

    /** Which engagements an event type counts as: a click is also an open. */
    static final Map<String, List<String>> ENGAGEMENTS = Map.of(
            "email.opened", List.of("email/opens"),
            "email.clicked", List.of("email/clicks", "email/opens"),
            "push.opened", List.of("push/opens"));

    private static final HashFunction HASH = Hashing.murmur3_128();
    private static final ZoneId UTC = ZoneId.of("UTC");

    private final SendTimeChooser chooser = new SendTimeChooser(SendTimeChooser.Settings.DEFAULT);
    /** Simulation only (else null): the population's engagement by kind. */
    private final Map<String, PopulationHours> population;

    SendTimes(boolean inline) {
        this.population = inline ? new HashMap<>() : null;
    }

    static boolean isEngagement(String eventType) {
        return ENGAGEMENTS.containsKey(eventType);
    }

    /** An engagement event of the profile: its hour counts for the profile (and, in simulation, the population). */
    void learn(ArrivingEvent event, ProfileUnit unit) {
        ZoneId zone = ZoneChoice.PROFILE.zoneFor(unit.attributes(), UTC);
        for (String kind : ENGAGEMENTS.get(event.type())) {
            Engagement before = engagementOf(unit.record().engagement(kind));
            Engagement after = before.plus(event.time(), zone, chooser.settings().halfLife());
            unit.record().putEngagement(kind, new EngagementHours(box(after.hours()), box(after.weights()), after.asOf()));
            if (population != null) {
                population.computeIfAbsent(kind, k -> new PopulationHours()).add(event.time(), zone,
                        chooser.settings().halfLife());
            }
        }
    }

    /** The instant a step's send goes at: within its window, in the profile's zone (else the journey's). */
    SendTimeChooser.Choice choose(Step.SendTime sendTime, String stepId, StepContext context) {
        Instant now = context.now();
        ZoneId zone = ZoneChoice.PROFILE.zoneFor(context.profile().attributes(), context.journey().journey().timeZone());
        String kind = sendTime.engagement();
        EngagementHours kept = context.profile().engagement(kind);
        PopulationHours everyone = population == null ? null : population.get(kind);
        double[] weights = everyone == null ? null : everyone.weightsAt(now, chooser.settings().halfLife());
        // stable: the same instance, step and visit explore the same way on every replay
        long hash = HASH.hashString(context.requestId(stepId), StandardCharsets.UTF_8).asLong();
        return chooser.choose(now, sendTime.within(), zone, engagementOf(kept), weights, hash);
    }

    /** The waiting step event's message: "send time 2026-03-03T18:00:00Z (Tue 19:00 local, by profile)". */
    static String describe(SendTimeChooser.Choice choice) {
        return "send time " + choice.at() + " (" + HoursOfWeek.name(choice.hourOfWeek()) + " local, by "
                + choice.basis().name().toLowerCase(java.util.Locale.ROOT).replace('_', ' ') + ")";
    }

    private static Engagement engagementOf(EngagementHours kept) {
        if (kept == null) {
            return Engagement.none();
        }
        int[] hours = new int[kept.getHours().size()];
        double[] weights = new double[hours.length];
        for (int i = 0; i < hours.length; i++) {
            hours[i] = kept.getHours().get(i);
            weights[i] = kept.getWeights().get(i);
        }
        return Engagement.of(hours, weights, kept.getAsOf());
    }

    private static List<Integer> box(int[] values) {
        List<Integer> boxed = new java.util.ArrayList<>(values.length);
        for (int value : values) {
            boxed.add(value);
        }
        return boxed;
    }

    private static List<Double> box(double[] values) {
        List<Double> boxed = new java.util.ArrayList<>(values.length);
        for (double value : values) {
            boxed.add(value);
        }
        return boxed;
    }
}
