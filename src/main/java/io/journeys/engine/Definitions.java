package io.journeys.engine;

import io.journeys.avro.InstanceState;
import io.journeys.avro.ProfileState;
import io.journeys.dsl.Journey;
import io.journeys.sendtime.PopulationDocument;
import java.time.Instant;
import java.util.Map;
import org.apache.flink.api.common.state.BroadcastState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.runtime.state.KeyedStateFunction;

/**
 * The journeys and actions published while the job runs: loaded into the catalog once, kept in the
 * broadcast state (so they survive restarts and rescaling), and a stopped journey's instances exited. The
 * Kafka job's population snapshots of send times come on the same broadcast: the latest of each kind, everyone's
 * and each zone's, is kept there too (under {@value #POPULATION_KEY_PREFIX}, the kind and the zone: see
 * {@link #keyOf}) and handed to {@link SendTimes}; and so do the experiments' winners, kept under
 * {@value ExperimentWinners#KEY_PREFIX} and handed to {@link ExperimentWinners}.
 */
final class Definitions {

    /**
     * Journey documents published while the job runs, by "id@version" ("action:id@version" for actions):
     * broadcast to every subtask, kept in checkpoints.
     */
    static final MapStateDescriptor<String, String> STATE =
            new MapStateDescriptor<>("journey-definitions", Types.STRING, Types.STRING);

    /** The broadcast state's key prefix of population snapshots, before the engagement kind (and zone). */
    static final String POPULATION_KEY_PREFIX = "population:";

    /** Applies a function to the profile state of every key (Flink's {@code applyToKeyedState}). */
    @FunctionalInterface
    interface EveryProfile {
        void apply(ValueStateDescriptor<ProfileState> descriptor,
                KeyedStateFunction<String, ValueState<ProfileState>> function) throws Exception;
    }

    private final JourneyCatalog catalog;
    private final int maxStepsPerJourney;
    private final TimeMode timeMode;
    private final SendTimes sendTimes;
    private final ExperimentWinners winners;
    private boolean restored;

    Definitions(JourneyCatalog catalog, int maxStepsPerJourney, TimeMode timeMode, SendTimes sendTimes,
            ExperimentWinners winners) {
        this.catalog = catalog;
        this.maxStepsPerJourney = maxStepsPerJourney;
        this.timeMode = timeMode;
        this.sendTimes = sendTimes;
        this.winners = winners;
    }

    /** After a restore, the broadcast state holds the definitions published before: load them, once. */
    void restore(Iterable<Map.Entry<String, String>> published) {
        if (restored) {
            return;
        }
        // rule sets first: a journey that names one is refused without it
        java.util.List<String> later = new java.util.ArrayList<>();
        for (Map.Entry<String, String> definition : published) {
            if (definition.getKey().startsWith(POPULATION_KEY_PREFIX)) {
                usePopulation(definition.getValue()); // kept only once valid: it reads again
            } else if (definition.getKey().startsWith(ExperimentWinners.KEY_PREFIX)) {
                useWinner(definition.getValue());
            } else if (definition.getKey().startsWith(JourneyCatalog.RULES_KEY_PREFIX)) {
                catalog.tryAdd(definition.getValue(), Integer.MAX_VALUE);
            } else {
                later.add(definition.getValue());
            }
        }
        later.forEach(document -> catalog.tryAdd(document, Integer.MAX_VALUE));
        restored = true;
    }

    /**
     * A document arrived on the definitions stream: loaded and kept, or a dead letter with every problem.
     * In processing time a journey published as stopped makes every profile inside exit now.
     */
    void publish(String document, Instant now, BroadcastState<String, String> state, EveryProfile everyProfile,
            Emitter emitter) throws Exception {
        restore(state.entries());
        if (PopulationDocument.isPopulation(document)) {
            publishPopulation(document, state, emitter);
            return;
        }
        if (ExperimentWinners.isWinner(document)) {
            publishWinner(document, state, emitter);
            return;
        }
        JourneyCatalog.Loaded loaded = catalog.tryAdd(document, maxStepsPerJourney);
        if (!loaded.loaded()) {
            emitter.deadLetter(DeadLetters.invalidDefinition(document, loaded.problems()));
            return;
        }
        state.put(loaded.key(), document);
        Journey journey = loaded.journey();
        if (journey != null && timeMode == TimeMode.PROCESSING_TIME && journey.publishedAt() == null
                && catalog.isStoppedAt(journey.id(), now)) {
            exitEveryInstanceOf(journey.id(), now, everyProfile, emitter);
        }
    }

    /**
     * A population snapshot from the job's counter: the latest of its kind, for every profile's choice. Snapshots
     * of one kind come in order from one partition of a compacted topic, so the latest read is the latest made.
     */
    private void publishPopulation(String document, BroadcastState<String, String> state, Emitter emitter)
            throws Exception {
        PopulationDocument.Population population;
        try {
            population = PopulationDocument.read(document);
        } catch (PopulationDocument.InvalidPopulation invalid) {
            emitter.deadLetter(DeadLetters.invalidPopulation(document, invalid.getMessage()));
            return;
        }
        state.put(keyOf(population), document);
        sendTimes.population(population);
    }

    /**
     * Everyone's population under {@code population:<kind>} (as before zones), a zone's under
     * {@code population:<kind>@<zone>}: one entry each, the latest replacing the one before.
     */
    static String keyOf(PopulationDocument.Population population) {
        return POPULATION_KEY_PREFIX + population.engagement()
                + (population.zone() == null ? "" : "@" + population.zone());
    }

    /** An experiment's winner from its counter: every profile reaching that step from now on takes it. */
    private void publishWinner(String document, BroadcastState<String, String> state, Emitter emitter)
            throws Exception {
        io.journeys.avro.ExperimentWinner winner;
        try {
            winner = ExperimentWinners.read(document);
        } catch (ExperimentWinners.InvalidWinner invalid) {
            emitter.deadLetter(DeadLetters.invalidWinner(document, invalid.getMessage()));
            return;
        }
        state.put(ExperimentWinners.KEY_PREFIX + ExperimentWinners.keyOf(winner), document);
        winners.add(winner);
    }

    private void useWinner(String document) {
        try {
            winners.add(ExperimentWinners.read(document));
        } catch (ExperimentWinners.InvalidWinner invalid) {
            // kept only after it read, as a population is
        }
    }

    private void usePopulation(String document) {
        try {
            sendTimes.population(PopulationDocument.read(document));
        } catch (PopulationDocument.InvalidPopulation invalid) {
            // kept only after it read: cannot happen unless a release tightens the format; the next snapshot replaces it
        }
    }

    /**
     * A stopped journey: every profile inside exits now. Their timers cannot be moved from here, so the
     * reasons stay: when one is due, it finds no instance and there is nothing to do.
     */
    private static void exitEveryInstanceOf(String journeyId, Instant now, EveryProfile everyProfile, Emitter emitter)
            throws Exception {
        everyProfile.apply(ProfileRecord.stateDescriptor(), (profileId, state) -> {
            ProfileState stored = state.value();
            InstanceState instance = stored == null ? null : stored.getInstances().get(journeyId);
            if (instance != null) {
                emitter.step(StepEvents.of(instance, profileId, now, StepStatus.EXITED, null, null, "journey stopped"));
                ProfileRecord record = ProfileRecord.of(stored);
                record.removeInstance(journeyId);
                state.update(record.toState());
            }
        });
    }
}
