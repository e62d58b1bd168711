package io.journeys.job;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.journeys.dsl.JourneyParser;
import io.journeys.testing.KafkaBroker;
import io.journeys.testing.Json;
import io.journeys.testing.TopicReader;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.apache.flink.api.common.JobID;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.Metric;
import org.apache.flink.metrics.MetricGroup;
import org.apache.flink.runtime.state.KeyGroupRangeAssignment;
import org.apache.flink.runtime.testutils.InMemoryReporter;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.CleanupMode;
import org.junit.jupiter.api.io.TempDir;

/**
 * Rescaling (issue 13): the Kafka job runs at parallelism 2, is stopped with a savepoint while profiles wait,
 * restored at parallelism 4, stopped again with waits pending, and restored at parallelism 1. Every batch of
 * profiles has one profile in each of the job's key groups, so each batch reaches every subtask at every
 * parallelism. Checked: every waiting profile's later action comes out exactly once (request ids unique), the
 * definitions published before the first savepoint make entries on every subtask after each rescale (per
 * subtask entry counters), a cap reached before, across and after both rescales admits exactly its limit, and
 * an experiment's counts taken before the first rescale decide its winner for the profiles after both.
 */
class RescalingITCase {

    private static final InMemoryReporter METRICS = InMemoryReporter.createWithRetainedMetrics();

    @RegisterExtension
    static final MiniClusterExtension CLUSTER = new MiniClusterExtension(new MiniClusterResourceConfiguration.Builder()
            .setConfiguration(METRICS.addToConfiguration(new Configuration()))
            .setNumberTaskManagers(1)
            .setNumberSlotsPerTaskManager(4)
            .build());

    /** An experiment whose winner rule can decide once arm b's profiles of the first run have bought. */
    private static final String TESTED = """
            {"id": "tested", "version": 1, "entry": {"type": "event", "event": "exp.signup"},
             "goals": [{"id": "buy", "event": "exp.buy", "within": "PT1H"}],
             "start": "test", "steps": {
               "test": {"type": "experiment", "goal": "buy",
                        "arms": [{"id": "a", "percent": 50, "next": "offer-a"}, {"id": "b", "percent": 50, "next": "offer-b"}],
                        "winner": {"after": "PT0S", "confidence": 0.95, "minPerArm": 6}},
               "offer-a": {"type": "action", "channel": "sms", "template": "offer-a", "next": "done"},
               "offer-b": {"type": "action", "channel": "sms", "template": "offer-b", "next": "bought"},
               "bought": {"type": "await", "events": [{"event": "exp.buy", "next": "thanks"}], "timeout": "PT1M",
                          "onTimeout": "done"},
               "thanks": {"type": "action", "channel": "sms", "template": "thanks", "next": "done"},
               "done": {"type": "end"}}}""";

    /** Long enough to be pending when the savepoint is taken, short enough to keep the test short. */
    private static final String WAIT = "PT8S";
    private static final int CAP_LIMIT = 10;
    /** Cap profiles per run, answered before the stop; two more are sent just before each stop. */
    private static final int CAPPED_PER_RUN = 6;
    private static final Duration PATIENCE = Duration.ofSeconds(120);

    @RegisterExtension
    static final KafkaBroker BROKER = new KafkaBroker();

    // the job may still write a checkpoint while it is being stopped: leave the folder for the OS to clean
    @TempDir(cleanup = CleanupMode.NEVER)
    Path home;

    @Test
    void shouldKeepWaitsDefinitionsAndCapsExactAcrossScalingUpAndDown() throws Exception {
        Path checkpoints = home.resolve("checkpoints");
        Path savepoints = home.resolve("savepoints");
        List<String> first = profilesInEveryKeyGroup("a-");
        List<String> second = profilesInEveryKeyGroup("b-");
        List<String> third = profilesInEveryKeyGroup("c-");
        List<String> capped = new ArrayList<>();
        List<String> tested = IntStream.range(0, 24).mapToObj(i -> "xa-" + i).toList();
        List<String> testedAtFour = IntStream.range(0, 8).mapToObj(i -> "xb-" + i).toList();
        List<String> testedAtOne = IntStream.range(0, 4).mapToObj(i -> "xc-" + i).toList();
        try (KafkaProducer<String, String> producer = BROKER.producer();
                TopicReader actions = new TopicReader(BROKER.bootstrapServers(),
                        List.of("actions.email", "actions.push", "actions.sms"));
                TopicReader steps = new TopicReader(BROKER.bootstrapServers(), List.of("step-events"))) {
            // parallelism 2: both journeys published while the job runs, profiles sent once every subtask has them
            RunningKafkaJob atTwo = RunningKafkaJob.start(BROKER.kafka(), checkpoints, "parallelism=2");
            new DefinitionPublisher(BROKER.bootstrapServers(), "journey-definitions").publish(List.of(
                    JourneyParser.parse("""
                            {"id": "capped", "version": 1, "entry": {"type": "event", "event": "cap.signup"},
                             "start": "cap", "steps": {
                               "cap": {"type": "cap", "limit": %d, "next": "admitted", "overflow": "overflow"},
                               "admitted": {"type": "action", "channel": "sms", "template": "admitted", "next": "done"},
                               "overflow": {"type": "action", "channel": "sms", "template": "overflow", "next": "done"},
                               "done": {"type": "end"}}}""".formatted(CAP_LIMIT)).journey(),
                    JourneyParser.parse("""
                            {"id": "relay", "version": 1, "entry": {"type": "event", "event": "signup"},
                             "start": "hello", "steps": {
                               "hello": {"type": "action", "channel": "email", "template": "hello", "next": "wait"},
                               "wait": {"type": "wait", "duration": "%s", "next": "later"},
                               "later": {"type": "action", "channel": "push", "template": "later", "next": "done"},
                               "done": {"type": "end"}}}""".formatted(WAIT)).journey(),
                    JourneyParser.parse(TESTED).journey()));
            List<String> warmUps = warmUpEverySubtask(producer, actions, 2);
            String firstSavepoint;
            try {
                send(producer, first, "signup");
                capped.addAll(sendCapped(producer, "ca-", 0, CAPPED_PER_RUN));
                actions.readUntil(entered(first).and(answered(capped)), PATIENCE);
                // two more just before the stop: in their cap step, or not read yet, when the savepoint is taken
                capped.addAll(sendCapped(producer, "ca-", CAPPED_PER_RUN, 2));
                // the experiment: every arm has its minimum, and arm b's profiles buy (their thanks shows the
                // conversion was handled, before the savepoint's barrier)
                send(producer, tested, "exp.signup");
                List<String> offered = actions.readUntil(values -> count(values, "offer-a", tested)
                        + count(values, "offer-b", tested) >= tested.size(), PATIENCE);
                List<String> buyers = tested.stream().filter(p -> count(offered, "offer-b", List.of(p)) == 1).toList();
                send(producer, buyers, "exp.buy");
                actions.readUntil(values -> count(values, "thanks", buyers) >= buyers.size(), PATIENCE);
                // their conversions decided the winner; its counter published it, and the subtasks read it back on
                // their broadcast: once a profile has taken it, the savepoint's broadcast state holds it
                awaitTheWinner(producer, steps);
                firstSavepoint = atTwo.stopWithSavepoint(savepoints);
            } finally {
                atTwo.close();
            }
            assertThat(count(actions.readToEnd(PATIENCE), "later", first))
                    .as("later actions of the first profiles out before the first savepoint").isLessThan(first.size());

            // parallelism 4: the definitions come from the savepoint alone (the definitions topic is not read again)
            RunningKafkaJob atFour = RunningKafkaJob.restore(BROKER.kafka(), checkpoints, firstSavepoint, "parallelism=4");
            String secondSavepoint;
            try {
                send(producer, second, "signup");
                send(producer, testedAtFour, "exp.signup");
                capped.addAll(sendCapped(producer, "cb-", 0, CAPPED_PER_RUN));
                actions.readUntil(entered(second).and(answered(capped))
                        .and(values -> count(values, "offer-b", testedAtFour) >= testedAtFour.size()), PATIENCE);
                capped.addAll(sendCapped(producer, "cb-", CAPPED_PER_RUN, 2));
                secondSavepoint = atFour.stopWithSavepoint(savepoints);
            } finally {
                atFour.close();
            }
            assertThat(count(actions.readToEnd(PATIENCE), "later", second))
                    .as("later actions of the second profiles out before the second savepoint").isLessThan(second.size());

            // parallelism 1
            RunningKafkaJob atOne = RunningKafkaJob.restore(BROKER.kafka(), checkpoints, secondSavepoint, "parallelism=1");
            List<String> batches = Stream.of(first, second, third).flatMap(List::stream).toList();
            try {
                send(producer, third, "signup");
                send(producer, testedAtOne, "exp.signup");
                capped.addAll(sendCapped(producer, "cc-", 0, CAPPED_PER_RUN + 2));
                actions.readUntil(done(batches, "later").and(answered(capped))
                        .and(values -> count(values, "offer-b", testedAtOne) >= testedAtOne.size())
                        .and(values -> count(values, "later", warmUps) >= count(values, "hello", warmUps)), PATIENCE);
                // nothing more runs after this stop, and what it covers is committed: a duplicate would show now
                atOne.stopWithSavepoint(savepoints);
            } finally {
                atOne.close();
            }
            List<JsonNode> all = actions.readToEnd(PATIENCE).stream().map(Json::read).toList();

            // every waiting profile: one hello and one later action, whatever the parallelism it entered, waited
            // and resumed at
            Map<String, Map<String, Long>> relay = perProfile(all, "relay");
            assertThat(relay.keySet()).containsAll(batches);
            assertThat(Stream.concat(batches.stream(), warmUps.stream()).toList()).as("profiles sent")
                    .containsAll(relay.keySet());
            assertThat(relay).allSatisfy((profile, templates) -> assertThat(templates).as("actions of %s", profile)
                    .isEqualTo(Map.of("hello", 1L, "later", 1L)));
            assertThat(all).extracting(action -> action.get("requestId").asText()).doesNotHaveDuplicates();

            // the cap: one answer per profile, exactly the limit admitted across the job's three lives
            Map<String, Map<String, Long>> caps = perProfile(all, "capped");
            assertThat(caps.keySet()).containsExactlyInAnyOrderElementsOf(capped);
            assertThat(caps).allSatisfy((profile, templates) -> assertThat(templates.values())
                    .as("answers of %s", profile).containsExactly(1L));
            assertThat(caps.values().stream().filter(t -> t.containsKey("admitted")).count()).isEqualTo(CAP_LIMIT);
            assertThat(IntStream.range(0, CAPPED_PER_RUN).mapToObj(i -> "ca-" + i))
                    .as("the first profiles, under the limit").allSatisfy(p -> assertThat(caps.get(p)).containsKey("admitted"));

            // the experiment's counts moved with their key group: after both rescales, every profile takes the
            // winner the counts of the first run decide
            Map<String, Map<String, Long>> offers = perProfile(all, "tested");
            assertThat(Stream.concat(testedAtFour.stream(), testedAtOne.stream()))
                    .allSatisfy(p -> assertThat(offers.get(p)).as("offers of %s", p).isEqualTo(Map.of("offer-b", 1L)));
            assertThat(tested.stream().filter(p -> offers.get(p).containsKey("offer-a")).count())
                    .as("profiles of arm a before the winner").isGreaterThanOrEqualTo(6);

            // every subtask of every run made entries: after each rescale, on the definitions the savepoint held
            assertThat(entriesPerSubtask(atTwo.jobId())).containsOnlyKeys(0, 1)
                    .allSatisfy((subtask, entries) -> assertThat(entries)
                            .isGreaterThanOrEqualTo(expectedPerSubtask(first, 2).get(subtask)));
            assertThat(entriesPerSubtask(atFour.jobId())).isEqualTo(expectedPerSubtask(second, 4));
            assertThat(entriesPerSubtask(atOne.jobId())).isEqualTo(Map.of(0, (long) third.size()));
        }
    }

    /**
     * Sends signups of new profiles, one for each subtask still without a hello, until every subtask has
     * answered one: the job may read events before the definitions reach a subtask. Returns the profiles sent;
     * those that came before the definitions entered nothing.
     */
    private static List<String> warmUpEverySubtask(KafkaProducer<String, String> producer, TopicReader actions,
            int parallelism) throws Exception {
        List<String> sent = new ArrayList<>();
        int next = 0;
        for (int attempt = 0; attempt < 60; attempt++) {
            Set<Integer> answered = helloSubtasks(actions.readUntil(values -> true, Duration.ZERO), parallelism);
            if (answered.size() == parallelism) {
                break;
            }
            for (int subtask = 0; subtask < parallelism; subtask++) {
                if (answered.contains(subtask)) {
                    continue;
                }
                String profile;
                do {
                    profile = "warm-" + next++;
                } while (subtaskOf(profile, parallelism) != subtask);
                sent.add(profile);
                producer.send(new ProducerRecord<>("profile-events", profile, event(profile, "signup"))).get();
            }
            actions.readUntil(values -> helloSubtasks(values, parallelism).size() == parallelism, Duration.ofSeconds(2));
        }
        assertThat(helloSubtasks(actions.readUntil(values -> true, Duration.ZERO), parallelism))
                .as("subtasks with the definitions").hasSize(parallelism);
        return sent;
    }

    private static Set<Integer> helloSubtasks(List<String> values, int parallelism) {
        return values.stream().map(Json::read).filter(a -> a.get("template").asText().equals("hello"))
                .map(a -> subtaskOf(a.get("profileId").asText(), parallelism)).collect(Collectors.toSet());
    }

    /** Profiles named {@code prefix + n}, the i-th in key group i: every key group, hence every subtask. */
    private static List<String> profilesInEveryKeyGroup(String prefix) {
        String[] byGroup = new String[KafkaJob.MAX_PARALLELISM];
        int found = 0;
        for (int n = 0; found < byGroup.length; n++) {
            String profile = prefix + n;
            int group = KeyGroupRangeAssignment.assignToKeyGroup(profile, KafkaJob.MAX_PARALLELISM);
            if (byGroup[group] == null) {
                byGroup[group] = profile;
                found++;
            }
        }
        return List.of(byGroup);
    }

    /** The subtask of the keyed operators that handles a profile at a parallelism (the key is the profile id). */
    private static int subtaskOf(String profile, int parallelism) {
        return KeyGroupRangeAssignment.assignKeyToParallelOperator(profile, KafkaJob.MAX_PARALLELISM, parallelism);
    }

    private static Map<Integer, Long> expectedPerSubtask(List<String> profiles, int parallelism) {
        return profiles.stream().collect(Collectors.groupingBy(p -> subtaskOf(p, parallelism), TreeMap::new,
                Collectors.counting()));
    }

    /** The "relay" journey's entry counter of each subtask of the journeys operator in one run of the job. */
    private static Map<Integer, Long> entriesPerSubtask(JobID job) {
        Map<Integer, Long> entries = new TreeMap<>();
        for (Map.Entry<MetricGroup, Map<String, Metric>> group : METRICS.getMetricsByGroup().entrySet()) {
            Map<String, String> variables = group.getKey().getAllVariables();
            Metric entered = group.getValue().get("entered");
            if (job.toString().equals(variables.get("<job_id>")) && "journeys".equals(variables.get("<operator_name>"))
                    && "relay".equals(variables.get("<journey>")) && !variables.containsKey("<step>")
                    && entered instanceof Counter counter) {
                entries.merge(Integer.parseInt(variables.get("<subtask_index>")), counter.getCount(), Long::sum);
            }
        }
        return entries;
    }

    private static Predicate<List<String>> entered(List<String> profiles) {
        return done(profiles, "hello");
    }

    private static Predicate<List<String>> done(List<String> profiles, String template) {
        return values -> count(values, template, profiles) >= profiles.size();
    }

    private static Predicate<List<String>> answered(List<String> profiles) {
        return values -> count(values, "admitted", profiles) + count(values, "overflow", profiles) >= profiles.size();
    }

    private static long count(List<String> values, String template, List<String> profiles) {
        Set<String> wanted = Set.copyOf(profiles);
        return values.stream().map(Json::read)
                .filter(a -> a.get("template").asText().equals(template) && wanted.contains(a.get("profileId").asText()))
                .map(a -> a.get("profileId").asText()).distinct().count();
    }

    private static Map<String, Map<String, Long>> perProfile(List<JsonNode> actions, String journey) {
        Map<String, Map<String, Long>> perProfile = new HashMap<>();
        actions.stream().filter(a -> a.get("journeyId").asText().equals(journey)).forEach(a -> perProfile
                .computeIfAbsent(a.get("profileId").asText(), p -> new HashMap<>())
                .merge(a.get("template").asText(), 1L, Long::sum));
        return perProfile;
    }

    private static void send(KafkaProducer<String, String> producer, List<String> profiles, String type) {
        for (String profile : profiles) {
            producer.send(new ProducerRecord<>("profile-events", profile, event(profile, type)));
        }
        producer.flush();
    }

    private static List<String> sendCapped(KafkaProducer<String, String> producer, String prefix, int from, int count) {
        List<String> profiles = IntStream.range(from, from + count).mapToObj(i -> prefix + i).toList();
        send(producer, profiles, "cap.signup");
        return profiles;
    }

    /** Signs up probes of the experiment, one at a time, until one takes the winner (its step event says so). */
    private static void awaitTheWinner(KafkaProducer<String, String> producer, TopicReader steps) {
        Predicate<List<String>> tookIt = values -> values.stream().map(Json::read).anyMatch(step ->
                step.get("profileId").asText().startsWith("probe-") && step.path("winner").asBoolean());
        for (int attempt = 0; attempt < 60; attempt++) {
            send(producer, List.of("probe-" + attempt), "exp.signup");
            if (tookIt.test(steps.readUntil(tookIt, Duration.ofSeconds(2)))) {
                return;
            }
        }
        throw new IllegalStateException("Expected a profile to take the experiment's winner within 60 attempts");
    }

    private static String event(String profileId, String type) {
        return "{\"eventId\": \"" + profileId + "-" + type + "\", \"profileId\": \"" + profileId + "\", \"type\": \""
                + type + "\", \"timestamp\": \"" + Instant.now() + "\", \"data\": {}}";
    }

}
