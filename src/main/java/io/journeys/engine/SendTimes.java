package io.journeys.engine;

import com.google.common.hash.HashFunction;
import com.google.common.hash.Hashing;
import io.journeys.avro.EngagementCount;
import io.journeys.avro.EngagementHours;
import io.journeys.dsl.Step;
import io.journeys.dsl.ZoneChoice;
import io.journeys.sendtime.Engagement;
import io.journeys.sendtime.EngagementTypes;
import io.journeys.sendtime.HoursOfWeek;
import io.journeys.sendtime.PopulationDocument;
import io.journeys.sendtime.PopulationHours;
import io.journeys.sendtime.SendTimeChooser;
import io.journeys.sendtime.ZonePopulations;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneId;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;

/**
 * Send-time optimisation in the engine: learns each profile's engagement (by local hour of the week, in its
 * zone) from engagement events (the types the job is configured with), and chooses the instant a step with
 * {@code sendTime} sends at, by the profile's own engagement and its zone's population shrunk toward everyone's
 * ({@link ZonePopulations}). In simulation the population's engagement is counted in line, in event-time order,
 * from the same events (exact: a simulation with send times runs at parallelism 1). In the Kafka job a subtask
 * sees only its own profiles, so each engagement goes out on a side output to the job's population counter
 * ({@code send-time-population}), whose snapshots (everyone's and each zone's) come back on the definitions'
 * broadcast ({@link #population}): every subtask chooses by the same job-wide population, a few minutes old at
 * most.
 */
final class SendTimes {

    private static final HashFunction HASH = Hashing.murmur3_128();
    private static final ZoneId UTC = ZoneId.of("UTC");

    private final SendTimeChooser chooser = new SendTimeChooser(SendTimeChooser.Settings.DEFAULT);
    private final EngagementTypes engagements;
    /** True in simulation: the population is counted here; else it comes from the job's counter. */
    private final boolean inline;
    /**
     * The population's engagement by kind, everyone's and per zone: counted here in simulation, in the Kafka job
     * the latest job-wide snapshots received.
     */
    private final Map<String, ZonePopulations> population = new HashMap<>();

    SendTimes(boolean inline, EngagementTypes engagements) {
        this.inline = inline;
        this.engagements = engagements;
    }

    /**
     * A job-wide population snapshot of one kind, everyone's (its zone null) or one zone's, as the population
     * counter last published it: its weights as of its {@code asOf} (epoch ms). Replaces the one before;
     * {@link #choose} decays it to the instant it chooses at.
     */
    void population(PopulationDocument.Population snapshot) {
        population.computeIfAbsent(snapshot.engagement(), k -> new ZonePopulations())
                .replace(snapshot.zone(), PopulationHours.of(snapshot.weights(), snapshot.asOf()));
    }

    /** Whether an event type is an engagement the model learns from (job option sendTime.engagements). */
    boolean isEngagement(String eventType) {
        return engagements.isEngagement(eventType);
    }

    /**
     * An engagement event of the profile: its hour counts for the profile (and, in simulation, the population of
     * everyone and of its zone). Whether it carries the {@code requestId} of the message it answers or not: the
     * hour it came at is what is learnt, not which message it was.
     */
    void learn(ArrivingEvent event, ProfileUnit unit) {
        ZoneId zone = ZoneChoice.PROFILE.zoneFor(unit.attributes(), UTC);
        for (String kind : engagements.kindsOf(event.type())) {
            Engagement before = engagementOf(unit.record().engagement(kind));
            Engagement after = before.plus(event.time(), zone, chooser.settings().halfLife());
            unit.record().putEngagement(kind, new EngagementHours(Arrays.stream(after.hours()).boxed().toList(),
                    Arrays.stream(after.weights()).boxed().toList(), after.asOf()));
            if (inline) {
                population.computeIfAbsent(kind, k -> new ZonePopulations()).add(event.time(), zone,
                        chooser.settings().halfLife());
            } else {
                unit.emitter().engagement(new EngagementCount(kind, HoursOfWeek.of(event.time(), zone),
                        event.time().toEpochMilli(), zone.getId()));
            }
        }
    }

    /**
     * The instant a step's send goes at: within its window, in the profile's zone, else UTC, the zone its
     * engagements were learnt in (a journey's own zone would read those hours shifted).
     */
    SendTimeChooser.Choice choose(Step.SendTime sendTime, String stepId, StepContext context) {
        Instant now = context.now();
        ZoneId zone = ZoneChoice.PROFILE.zoneFor(context.profile().attributes(), UTC);
        String kind = sendTime.engagement();
        EngagementHours kept = context.profile().engagement(kind);
        ZonePopulations populations = population.get(kind);
        // the zone's population shrunk toward everyone's, with the weight from which a population is trusted
        double[] weights = populations == null ? null : populations.weightsFor(zone, now,
                chooser.settings().halfLife(), chooser.settings().minimumPopulation());
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
}
