package io.journeys.job;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.journeys.bench.cluster.FlinkSessionCluster;
import io.journeys.demo.EmbeddedKafka;
import io.journeys.dsl.ActionParser;
import io.journeys.dsl.DefinitionKind;
import io.journeys.dsl.JourneyParser;
import io.journeys.dsl.RulesParser;
import io.journeys.sendtime.SendTimeChooser;
import io.journeys.testing.Json;
import io.journeys.testing.LocalHttpServer;
import io.journeys.testing.TopicReader;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.io.CleanupMode;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Upgrades across releases: every savepoint committed under {@code src/test/resources/savepoints/<release>/}
 * restores in the current build, on a stock Flink session cluster, and every profile that waited in it (in a
 * {@code wait}, an {@code await}, a {@code call} and a {@code cap}) gets its later action exactly once, while no
 * action sent before the savepoint is sent again. The job is restored without {@code --allowNonRestoredState},
 * so an operator uid that changed, or an operator that went away, fails the restore here.
 *
 * <p>A release that changes state adds its own savepoint, taken by that release's build:
 * {@code mvn verify -Dit.test=SavepointCompatibilityITCase -Djourneys.savepoint.write=0.2.0} writes
 * {@code src/test/resources/savepoints/0.2.0/}: the savepoint, the documents it was taken with, the end offsets
 * of the input topics and the requests sent before it ({@code manifest.json}).
 *
 * <p>From 0.2.0 the savepoint also holds what that release added to the state: a profile's log of sends under a
 * rule set (its second sms is capped by it after the restore, so only the email after it may come), experiment arms
 * assigned to parked instances (the later email is the arm's: the manifest's {@code expected}), the
 * {@code experiment-counters} operator's counts, and the goal watches of ended instances (the manifest's
 * {@code ended}: they must send nothing). No quiet hours or window steps: the restore runs in processing time,
 * days or weeks after the savepoint, and a weekly period could hold an action past the test's patience.
 *
 * <p>From 0.3.0 it holds send-time optimisation's state: profiles' engagement (ProfileState.engagement, learnt from
 * a history of email.opened in two zones), the {@code send-time-population} operator's counts (everyone's and
 * per zone), the population snapshots in the journeys operator's broadcast state, and instances of
 * {@code compat-send} parked until the instant chosen for them, by their own opens (t-*) or by the population's
 * (q-*, cold), a little after the savepoint (the manifest's {@code sendTime.sendAt}: the restore, later, sends
 * each once). The history is dated some 74 years ahead at the same local hours of the week, so that it neither
 * fades nor is forgotten (16 weeks after a profile's last engagement) however late a build restores it. After
 * the restore, before any new snapshot, a new entry of a warm profile must be chosen by profile and one of a
 * cold profile in a zone by population, and one more open must be counted on top of the savepoint's counts
 * (see checkTheSendTimeState).
 *
 * <p>The restore runs against a new Kafka broker: its input topics are filled up to the offsets the savepoint
 * read to (with events no journey takes, and the same definitions again, rule sets first), so the job resumes
 * where it was. From 0.3.0 the send-time population topic too, with records that are no snapshot: what the
 * restored job knows of the population it knows from its state.
 * The answers to calls and caps that were on their way when the savepoint was taken are on the old broker
 * only: those steps take their timeouts, which is one of the later actions the test accepts for them.
 */
class SavepointCompatibilityITCase {

    static final Path SAVEPOINTS = Path.of("src/test/resources/savepoints");
    private static final Path JOB_JAR = Path.of("target/journeys-0.1.0-SNAPSHOT-job.jar");
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String FILLER_TYPE = "compat.filler";
    /** The action topics the journeys send to: email, and from 0.2.0 sms (a capped sms sent would show there). */
    private static final List<String> ACTION_TOPICS = List.of("actions.email", "actions.sms");
    /**
     * The topics the job reads, whose end offsets the manifest keeps; from 0.3.0 the send-time population topic,
     * filled at the restore with records that are no snapshot (see fillInputTopics).
     */
    private static final List<String> INPUT_TOPICS = List.of("profile-events", "profile-updates", "action-results",
            "audience-qualifications", "journey-definitions", "send-time-population");
    private static final String POPULATION_TOPIC = "send-time-population";
    /** What the restore fills the population topic with: not a snapshot, a dead letter ENG-006 if it were read. */
    private static final String POPULATION_FILLER = "{\"kind\": \"population\", \"engagement\": \"compat/filler\"}";
    private static final String OPENS = "email/opens";

    /** For each journey, the templates of the actions it may send after the restore (exactly one per profile). */
    private static final Map<String, Set<String>> LATER = Map.of(
            "compat-wait", Set.of("cw-later"),
            "compat-await", Set.of("ca-timeout"),
            "compat-call", Set.of("cc-after"),
            "compat-cap", Set.of("ck-admitted", "ck-overflow"),
            // from 0.2.0: cr-again, the second sms, is capped by the rule log kept in the savepoint
            "compat-ruled", Set.of("cr-after"),
            // from 0.2.0: the email of the arm the instance was assigned before the savepoint
            "compat-exp", Set.of("ce-a", "ce-b"),
            // from 0.3.0: the email held until the instant chosen before the savepoint
            "compat-send", Set.of("cs-timed"));

    /** The template of the action that shows a profile of the journey reached its parked step (or its end). */
    private static final Map<String, String> HELLO = Map.of(
            "compat-wait", "cw-hello",
            "compat-await", "ca-hello",
            "compat-ruled", "cr-hello",
            "compat-exp", "ce-hello",
            "compat-goal", "cg-hello");

    private static final int PROFILES_PER_JOURNEY = 8;

    static final String WAIT = """
            {"id": "compat-wait", "version": 1, "entry": {"type": "event", "event": "compat.wait"}, "start": "hello",
             "steps": {
               "hello": {"type": "action", "channel": "email", "template": "cw-hello", "next": "wait"},
               "wait": {"type": "wait", "duration": "PT90S", "next": "later"},
               "later": {"type": "action", "channel": "email", "template": "cw-later", "next": "done"},
               "done": {"type": "end"}}}""";
    static final String AWAIT = """
            {"id": "compat-await", "version": 1, "entry": {"type": "event", "event": "compat.await"}, "start": "hello",
             "steps": {
               "hello": {"type": "action", "channel": "email", "template": "ca-hello", "next": "reply"},
               "reply": {"type": "await", "timeout": "PT90S", "onTimeout": "timedout",
                         "events": [{"event": "compat.reply", "next": "replied"}]},
               "replied": {"type": "action", "channel": "email", "template": "ca-replied", "next": "done"},
               "timedout": {"type": "action", "channel": "email", "template": "ca-timeout", "next": "done"},
               "done": {"type": "end"}}}""";
    static final String CALL = """
            {"id": "compat-call", "version": 1, "entry": {"type": "event", "event": "compat.call"}, "start": "lookup",
             "steps": {
               "lookup": {"type": "call", "action": "compat-crm", "params": {"profile": "event.who"},
                          "next": "after", "onError": "after", "onTimeout": "after"},
               "after": {"type": "action", "channel": "email", "template": "cc-after",
                         "params": {"status": "journey.results['lookup'].status"}, "next": "done"},
               "done": {"type": "end"}}}""";
    static final String CAP = """
            {"id": "compat-cap", "version": 1, "entry": {"type": "event", "event": "compat.cap"}, "start": "gate",
             "steps": {
               "gate": {"type": "cap", "limit": 100, "next": "admitted", "overflow": "overflowed"},
               "admitted": {"type": "action", "channel": "email", "template": "ck-admitted", "next": "done"},
               "overflowed": {"type": "action", "channel": "email", "template": "ck-overflow", "next": "done"},
               "done": {"type": "end"}}}""";
    /** From 0.2.0: delivery rules, whose log of sends and entries each profile keeps (ProfileState.ruleLogs). */
    static final String RULES = """
            {"kind": "rules", "id": "compat-rules", "version": 1,
             "frequency": [{"id": "sms-monthly", "channels": ["sms"], "max": 1, "per": "month", "timeZone": "UTC"}],
             "entries": {"max": 10, "per": "month", "timeZone": "UTC"}}""";
    // no quiet hours nor window steps: the restore runs in processing time, days or weeks after the savepoint
    static final String RULED = """
            {"id": "compat-ruled", "version": 1, "rules": "compat-rules",
             "entry": {"type": "event", "event": "compat.ruled"}, "start": "hello",
             "steps": {
               "hello": {"type": "action", "channel": "sms", "template": "cr-hello", "next": "wait"},
               "wait": {"type": "wait", "duration": "PT90S", "next": "again"},
               "again": {"type": "action", "channel": "sms", "template": "cr-again", "next": "after"},
               "after": {"type": "action", "channel": "email", "template": "cr-after", "next": "done"},
               "done": {"type": "end"}}}""";
    /** From 0.2.0: an experiment (the experiment-counters operator) whose arm the parked instance keeps. */
    static final String EXPERIMENT = """
            {"id": "compat-exp", "version": 1, "entry": {"type": "event", "event": "compat.exp"},
             "goals": [{"id": "buy", "event": "compat.buy", "within": "P91D"}],
             "start": "test", "steps": {
               "test": {"type": "experiment", "goal": "buy",
                        "arms": [{"id": "a", "percent": 50, "next": "hello"}, {"id": "b", "percent": 50, "next": "hello"}]},
               "hello": {"type": "action", "channel": "email", "template": "ce-hello",
                         "params": {"arm": "journey.results['test'].arm"}, "next": "wait"},
               "wait": {"type": "wait", "duration": "PT90S", "next": "which"},
               "which": {"type": "condition", "choices": [{"when": "journey.results['test'].arm == 'a'", "next": "later-a"}],
                         "default": "later-b"},
               "later-a": {"type": "action", "channel": "email", "template": "ce-a", "next": "done"},
               "later-b": {"type": "action", "channel": "email", "template": "ce-b", "next": "done"},
               "done": {"type": "end"}}}""";
    /** From 0.2.0: instances that ended with a goal open, so the savepoint keeps their goal watches. */
    static final String GOAL = """
            {"id": "compat-goal", "version": 1, "entry": {"type": "event", "event": "compat.goal"},
             "goals": [{"id": "buy", "event": "compat.buy", "when": "event.who == journey.entry.data.who", "within": "P91D"}],
             "start": "test", "steps": {
               "test": {"type": "experiment", "goal": "buy",
                        "arms": [{"id": "a", "percent": 50, "next": "hello"}, {"id": "b", "percent": 50, "next": "hello"}]},
               "hello": {"type": "action", "channel": "email", "template": "cg-hello", "next": "done"},
               "done": {"type": "end"}}}""";
    /**
     * From 0.3.0: send-time optimisation. Profiles parked here wait for the instant chosen by their own opens or
     * by the population's; after the restore, new entries show what the engagement state and the population
     * came back as (the waiting step event's sendBasis).
     */
    static final String SEND = """
            {"id": "compat-send", "version": 1, "entry": {"type": "event", "event": "compat.send"}, "start": "mail",
             "steps": {
               "mail": {"type": "action", "channel": "email", "template": "cs-timed",
                        "sendTime": {"optimize": "opens", "within": "P7D"}, "next": "done"},
               "done": {"type": "end"}}}""";
    /**
     * From 0.3.0: the zones the writer may park profiles in, whose local hours start at :00, :30 and :15 (UTC):
     * the one whose next hour start comes first is the instant chosen, so that the writer's own check of the
     * savepoint waits for it half an hour at most.
     */
    private static final List<String> PARKING_ZONES = List.of("Europe/London", "Asia/Kolkata", "Asia/Kathmandu");
    /** From 0.3.0: the zone of the population's second part, of the warm profiles and of the cold ones. */
    private static final String OTHER_ZONE = "America/New_York";
    /**
     * From 0.3.0: the history of opens is dated this many weeks after the savepoint (some 74 years, the same
     * local hours of the week): weights are not decayed before their asOf, and a profile's engagement is
     * forgotten 16 weeks after its last one, so the state the restore checks neither fades nor goes however
     * late a build restores it.
     */
    private static final long HISTORY_WEEKS_AHEAD = 3861;
    private static final List<String> WARM = List.of("own-0", "own-1", "own-2");
    private static final List<String> COLD = List.of("z-0", "z-1", "z-2");
    static final String CRM = """
            {"kind": "action", "id": "compat-crm", "version": 1, "method": "GET", "url": "%s",
             "timeout": "PT5S", "retries": 1}""";

    // a job being cancelled may still write a checkpoint: leave the folder for the OS to clean
    @TempDir(cleanup = CleanupMode.NEVER)
    Path home;

    private EmbeddedKafka kafka;
    private FlinkSessionCluster flink;

    @BeforeEach
    void start() throws Exception {
        kafka = EmbeddedKafka.start();
        kafka.createTopics(JobConfig.defaults(), 2);
        flink = FlinkSessionCluster.start(home);
    }

    @AfterEach
    void stop() throws Exception {
        if (flink != null) {
            flink.close();
        }
        if (kafka != null) {
            kafka.close();
        }
    }

    static Stream<String> releases() throws IOException {
        try (Stream<Path> folders = Files.list(SAVEPOINTS)) {
            return folders.filter(folder -> Files.exists(folder.resolve("manifest.json")))
                    .map(folder -> folder.getFileName().toString()).sorted().toList().stream();
        }
    }

    @ParameterizedTest(name = "savepoint of {0}")
    @MethodSource("releases")
    void shouldRestoreTheSavepointOfEveryReleaseAndSendEachLaterActionExactlyOnce(String release) throws Exception {
        Path folder = SAVEPOINTS.resolve(release);
        JsonNode manifest = JSON.readTree(folder.resolve("manifest.json").toFile());
        // rule sets before the journeys naming them, as they were published
        List<String> documents = DefinitionKind.publicationOrder(Files.readAllLines(folder.resolve("documents.jsonl")));
        fillInputTopics(manifest.get("inputOffsets"), documents);
        Path savepoint = copy(folder.resolve("savepoint"), home.resolve("restored-savepoint"));

        String job = flink.submit(JOB_JAR, "io.journeys.cli.JobMain", jobArgs("restored", "PT1S"),
                savepoint.toUri().toString());
        try (TopicReader actions = new TopicReader(kafka.bootstrapServers(), ACTION_TOPICS)) {
            Map<String, String> waiting = new TreeMap<>();
            manifest.get("waiting").fields().forEachRemaining(e -> waiting.put(e.getKey(), e.getValue().asText()));
            List<JsonNode> after = actions.readUntil(values -> laterActions(values, waiting).size() >= waiting.size(),
                    patience(manifest)).stream().map(Json::read).toList();
            // a little longer: a repeated action would show now
            after = actions.readUntil(values -> false, Duration.ofSeconds(3)).stream().map(Json::read).toList();

            Set<String> sentBefore = new HashSet<>();
            manifest.get("sentRequestIds").forEach(id -> sentBefore.add(id.asText()));
            assertThat(after.stream().map(a -> a.get("requestId").asText()))
                    .as("requests sent before the savepoint, sent again").doesNotContainAnyElementsOf(sentBefore)
                    .doesNotHaveDuplicates();
            Map<String, List<String>> byProfile = after.stream().collect(Collectors.groupingBy(
                    a -> a.get("profileId").asText(), TreeMap::new,
                    Collectors.mapping(a -> a.get("template").asText(), Collectors.toList())));
            // so the profiles of the manifest's "ended" (0.2.0: goal watches only) send nothing
            assertThat(byProfile.keySet()).as("profiles with actions after the restore").isEqualTo(waiting.keySet());
            byProfile.forEach((profile, templates) -> assertThat(templates).as(profile).hasSize(1)
                    .allSatisfy(t -> assertThat(LATER.get(waiting.get(profile))).contains(t)));
            // from 0.2.0: the template that only the state restored leads to (the arm assigned before)
            if (manifest.has("expected")) {
                manifest.get("expected").fields().forEachRemaining(e -> assertThat(byProfile.get(e.getKey()))
                        .as("the later action of " + e.getKey()).containsExactly(e.getValue().asText()));
            }
            if (manifest.has("sendTime")) {
                checkTheSendTimeState(manifest.get("sendTime"));
            }
            assertThat(flink.failuresOf(job)).as("failures of the restored job").isZero();
        } finally {
            flink.cancel(job);
        }
    }

    /**
     * How long the later actions may take: 3 minutes, or longer for a savepoint restored within minutes of being
     * taken (by the writer's run): a cap's answer is on the old broker only, and its profile goes to the overflow only
     * when the answer is 10 minutes late (CapStepProcessor.ANSWER_WITHIN_MILLIS).
     */
    private static Duration patience(JsonNode manifest) {
        Instant capsTimedOut = Instant.parse(manifest.get("takenAt").asText()).plus(Duration.ofMinutes(10));
        Duration untilThen = Duration.between(Instant.now(), capsTimedOut).plusMinutes(1);
        if (manifest.has("sendTime")) { // from 0.3.0: the parked sends, due a little after the savepoint
            Instant sendAt = Instant.parse(manifest.get("sendTime").get("sendAt").asText());
            Duration untilSent = Duration.between(Instant.now(), sendAt).plusMinutes(1);
            untilThen = untilSent.compareTo(untilThen) > 0 ? untilSent : untilThen;
        }
        return untilThen.compareTo(Duration.ofSeconds(180)) > 0 ? untilThen : Duration.ofSeconds(180);
    }

    /**
     * Takes this release's savepoint: profiles wait in each journey's parked step (checkpoints are rare, so the
     * answers of calls and caps stay in open transactions until the savepoint commits them), then the job
     * stops with a savepoint, which goes to src/test/resources/savepoints/RELEASE with what the test needs.
     * The experiments' profiles go first, and one checkpoint commits their counters' answers, so that they are
     * past their experiment step (an arm assigned) when the others start.
     */
    @Test
    @EnabledIfSystemProperty(named = "journeys.savepoint.write", matches = ".+")
    void writeTheSavepointOfThisRelease() throws Exception {
        String release = System.getProperty("journeys.savepoint.write");
        Path folder = SAVEPOINTS.resolve(release);
        assertThat(folder).as("a release's savepoint is written once").doesNotExist();
        // the capped sms and its first one must fall in one calendar month (UTC), which the rule counts
        ZonedDateTime monthEnd = ZonedDateTime.now(ZoneOffset.UTC).plusMonths(1).withDayOfMonth(1)
                .truncatedTo(ChronoUnit.DAYS);
        assertThat(Duration.between(Instant.now(), monthEnd.toInstant())).as("time left in this month (UTC)")
                .isGreaterThan(Duration.ofMinutes(15));
        try (LocalHttpServer crm = new LocalHttpServer()) {
            crm.on("/crm", request -> new LocalHttpServer.Response(200, "{\"known\": true}"));
            List<String> documents = DefinitionKind.publicationOrder(List.of(CRM.formatted(crm.url("/crm")), WAIT,
                    AWAIT, CALL, CAP, RULES, RULED, EXPERIMENT, GOAL, SEND));
            publish(documents);
            String job = flink.submit(JOB_JAR, "io.journeys.cli.JobMain", jobArgs("written", "PT5M"),
                    null);
            Map<String, String> waiting = new TreeMap<>();
            Map<String, String> expected = new TreeMap<>();
            Map<String, String> ended = new TreeMap<>();
            // from 0.3.0: the instant the parked sends are to go at, a little after the savepoint
            Parking parking = parking(Instant.now().plus(Duration.ofMinutes(6)));
            List<Open> history = history(parking);
            try (KafkaProducer<String, String> producer = producer();
                    KafkaConsumer<String, String> uncommitted = uncommittedReader();
                    KafkaConsumer<String, String> steps = consumer("read_uncommitted")) {
                steps.subscribe(List.of("step-events"));
                // from 0.3.0: the profiles' zones first, so that their opens below count in them
                Map<String, ZoneId> zones = new TreeMap<>();
                history.forEach(open -> zones.put(open.profile(), open.zone()));
                List<String> parkedProfiles = List.of("t-0", "t-1", "t-2", "q-0", "q-1");
                parkedProfiles.forEach(profile -> zones.put(profile, parking.zone()));
                zones.forEach((profile, zone) -> producer.send(update(profile, zone.getId())));
                producer.flush();
                List<JsonNode> seen = new ArrayList<>();
                Map<String, String> experiments = Map.of("e", "compat-exp", "g", "compat-goal");
                Map<String, String> answered = enterUntil(producer, uncommitted, experiments, seen,
                        (topic, value, journey) -> topic.equals("action-results"));
                assertThat(answered).as("profiles whose arm the counter answered").hasSize(16);
                // from 0.3.0: the opens, once the journeys are read (engagements are learnt only while a journey
                // uses sendTime), and their snapshots published; the checkpoint commits them with the answers
                for (Open open : history) {
                    producer.send(new ProducerRecord<>("profile-events", open.profile(), event("open-" + open.profile()
                            + "-" + open.at().toEpochMilli(), open.profile(), "email.opened", "{}", open.at())));
                }
                producer.flush();
                Map<String, JsonNode> snapshots = awaitPopulation(expectedPopulation(history), Duration.ofSeconds(90));
                flink.checkpoint(job);
                // no entries again: every profile is inside, waiting for the commit to read its answer
                Map<String, String> assigned = await(uncommitted, experiments, seen, Duration.ofSeconds(60),
                        SavepointCompatibilityITCase::sentHello);
                assertThat(assigned).as("profiles past their experiment").hasSize(16);
                assigned.forEach((profile, journey) -> (journey.equals("compat-exp") ? waiting : ended)
                        .put(profile, journey));
                seen.stream().filter(v -> "ce-hello".equals(text(v, "template"))).forEach(hello -> expected.put(
                        hello.get("profileId").asText(), "ce-" + hello.get("params").get("arm").asText()));

                waiting.putAll(enterUntil(producer, uncommitted, Map.of("w", "compat-wait", "a", "compat-await",
                        "c", "compat-call", "k", "compat-cap", "r", "compat-ruled"), seen,
                        SavepointCompatibilityITCase::isParked));
                assertThat(waiting).as("profiles parked in their step").hasSize(6 * PROFILES_PER_JOURNEY);
                // from 0.3.0, last (the population has had time to come back on the broadcast): t-* by their own
                // opens, q-* (cold) by the population's, both at the hour before the habit, after the savepoint
                Map<String, JsonNode> timed = parkForSendTime(producer, steps, parkedProfiles);
                assertThat(timed).as("profiles waiting for their send time").hasSize(parkedProfiles.size());
                timed.forEach((profile, step) -> {
                    assertThat(text(step, "sendBasis")).as("basis of " + profile + " (explore: 5% of sends; write again)")
                            .isEqualTo(profile.startsWith("t-") ? "profile" : "population");
                    assertThat(text(step, "sendAt")).as("send time of " + profile).isEqualTo(parking.at().toString());
                    waiting.put(profile, "compat-send");
                });
                String savepoint = flink.stopWithSavepoint(job);
                assertThat(Instant.now()).as("the savepoint, before the parked sends are due").isBefore(parking.at());
                assertThat(seen.stream().filter(v -> v.has("template"))
                        .map(v -> v.get("template").asText())).as("later actions before the savepoint")
                        .doesNotContainAnyElementsOf(LATER.values().stream().flatMap(Set::stream).toList())
                        .doesNotContain("cr-again");

                Files.createDirectories(folder);
                copy(Path.of(URI.create(savepoint.startsWith("file:") ? savepoint : "file://" + savepoint)),
                        folder.resolve("savepoint"));
                Files.write(folder.resolve("documents.jsonl"), documents.stream()
                        .map(text -> Json.read(text).toString()).toList());
                ObjectNode manifest = JSON.createObjectNode();
                manifest.put("release", release);
                manifest.put("takenAt", Instant.now().toString());
                manifest.set("inputOffsets", JSON.valueToTree(endOffsets()));
                manifest.set("waiting", JSON.valueToTree(waiting));
                manifest.set("expected", JSON.valueToTree(expected));
                manifest.set("ended", JSON.valueToTree(ended));
                manifest.set("sentRequestIds", JSON.valueToTree(committedRequestIds()));
                ObjectNode sendTime = manifest.putObject("sendTime");
                sendTime.put("sendAt", parking.at().toString());
                sendTime.set("warm", JSON.valueToTree(WARM));
                sendTime.put("coldZone", OTHER_ZONE);
                ObjectNode population = sendTime.putObject("population");
                snapshots.forEach((key, snapshot) -> population.putObject(key).put("total", total(snapshot))
                        .put("asOf", snapshot.get("asOf").asLong()));
                Files.writeString(folder.resolve("manifest.json"),
                        JSON.writerWithDefaultPrettyPrinter().writeValueAsString(manifest) + "\n");
            }
        }
    }

    /**
     * From 0.3.0: what send-time optimisation kept in the savepoint came back. Right after the restore, before any
     * new snapshot (the population topic was filled with records that are none, and the restored source resumes
     * after them, so the population can come from the broadcast state only), a warm profile's new entry is chosen
     * by its own opens (ProfileState.engagement restored; lost, it would go by the population) and a cold
     * profile's, in a zone, by the population (the broadcast state's population:email/opens and its zone's
     * restored; lost, it would go at once). Then one more open, dated with the savepoint's last, makes the
     * send-time-population operator publish counts that weigh what they did at the savepoint plus one, everyone's
     * and the zone's (its keyed state, value and map, restored; lost, they would weigh one). A choice that
     * explores (5% of sends, at random) tells nothing: each group needs one that does not.
     */
    private void checkTheSendTimeState(JsonNode sendTime) throws Exception {
        String zone = sendTime.get("coldZone").asText();
        List<String> warm = new ArrayList<>();
        sendTime.get("warm").forEach(profile -> warm.add(profile.asText()));
        String counted = "z-counted";
        try (KafkaProducer<String, String> producer = producer();
                TopicReader steps = new TopicReader(kafka.bootstrapServers(), List.of("step-events"));
                TopicReader population = new TopicReader(kafka.bootstrapServers(), List.of(POPULATION_TOPIC))) {
            Stream.concat(COLD.stream(), Stream.of(counted)).forEach(profile -> producer.send(update(profile, zone)));
            producer.flush();
            Map<String, JsonNode> chosen = new TreeMap<>();
            // the warm ones first: the cold ones' zones are read meanwhile
            for (List<String> group : List.of(warm, COLD)) {
                group.forEach(profile -> producer.send(new ProducerRecord<>("profile-events", profile,
                        event(profile + "-after-restore", profile, "compat.send", "{}"))));
                producer.flush();
                chosen.putAll(choicesOf(steps.readUntil(values -> choicesOf(values, group).size() == group.size(),
                        Duration.ofSeconds(60)), group));
            }
            assertChosenBy(chosen, warm, "profile");
            assertChosenBy(chosen, COLD, "population");
            assertThat(latestSnapshots(population.readToEnd(Duration.ofSeconds(30)))).as("snapshots since the restore")
                    .isEmpty();

            long lastOpen = sendTime.get("population").get(OPENS).get("asOf").asLong();
            producer.send(new ProducerRecord<>("profile-events", counted, event(counted + "-open", counted,
                    "email.opened", "{}", Instant.ofEpochMilli(lastOpen))));
            producer.flush();
            Map<String, Double> expected = new TreeMap<>();
            for (String key : List.of(OPENS, OPENS + "@" + zone)) {
                JsonNode kept = sendTime.get("population").get(key);
                expected.put(key, kept.get("total").asDouble()
                        * decay(Duration.ofMillis(lastOpen - kept.get("asOf").asLong())) + 1);
            }
            Map<String, JsonNode> published = latestSnapshots(population.readUntil(
                    values -> weighAsExpected(latestSnapshots(values), expected), Duration.ofSeconds(60)));
            expected.forEach((key, total) -> assertThat(published).as("snapshots after one more open")
                    .hasEntrySatisfying(key, snapshot -> assertThat(total(snapshot)).as(key).isCloseTo(total,
                            within(1e-3))));
        }
    }

    private static void assertChosenBy(Map<String, JsonNode> chosen, List<String> profiles, String basis) {
        assertThat(chosen).as("send times chosen").containsKeys(profiles.toArray(String[]::new));
        List<JsonNode> steps = profiles.stream().map(chosen::get).toList();
        // a choice of the current hour is sent at once (executed), with the basis but no message
        assertThat(steps).as("choices of " + profiles + ", by " + basis + " (or exploring)")
                .allSatisfy(step -> assertThat(text(step, "sendBasis")).isIn(basis, "explore"))
                .allSatisfy(step -> assertThat(step.has("message") ? text(step, "message")
                        : "(by " + text(step, "sendBasis") + ")").endsWith("by " + text(step, "sendBasis") + ")"))
                .anySatisfy(step -> assertThat(text(step, "sendBasis")).isEqualTo(basis));
    }

    /** From 0.3.0: the step events where compat-send chose a send time (waiting for it, or sent at once), by profile. */
    private static Map<String, JsonNode> choicesOf(List<String> values, List<String> profiles) {
        Map<String, JsonNode> chosen = new TreeMap<>();
        for (String value : values) {
            JsonNode step = Json.read(value);
            if ("compat-send".equals(text(step, "journeyId")) && step.has("sendBasis")
                    && profiles.contains(text(step, "profileId"))) {
                chosen.put(text(step, "profileId"), step);
            }
        }
        return chosen;
    }

    /** From 0.3.0: the instant the parked sends go at, the start of a local hour of the zone they are parked in. */
    private record Parking(ZoneId zone, Instant at) {}

    /** The first local hour start at or after {@code earliest} in one of the parking zones. */
    private static Parking parking(Instant earliest) {
        Parking first = null;
        for (String id : PARKING_ZONES) {
            ZoneId zone = ZoneId.of(id);
            ZonedDateTime start = earliest.atZone(zone).truncatedTo(ChronoUnit.HOURS);
            if (start.toInstant().isBefore(earliest)) {
                start = start.plusHours(1);
            }
            if (first == null || start.toInstant().isBefore(first.at())) {
                first = new Parking(zone, start.toInstant());
            }
        }
        return first;
    }

    /** From 0.3.0: an email.opened of the history, at {@code at} for a profile of {@code zone}. */
    private record Open(String profile, ZoneId zone, Instant at) {}

    /**
     * The opens the savepoint's state learns from: 20 profiles of the parking zone and 10 of the other, three
     * opens each in the hour after the parking instant (a send goes in the hour before a habit), so the population
     * of both zones is known (more than 50); t-* with ten opens each there, a habit of their own (weighing more than the population's part); and the warm
     * profiles with ten each half a week later, a habit the population does not have. All dated
     * {@value #HISTORY_WEEKS_AHEAD} weeks ahead, at the same local hours of the week.
     */
    private static List<Open> history(Parking parking) {
        ZoneId other = ZoneId.of(OTHER_ZONE);
        Instant habit = parking.at().plus(Duration.ofHours(1));
        List<Open> opens = new ArrayList<>();
        for (int i = 0; i < 30; i++) {
            ZoneId zone = i < 20 ? parking.zone() : other;
            for (int j = 0; j < 3; j++) {
                opens.add(new Open("pop-" + i, zone, ahead(habit.plus(Duration.ofMinutes(10 + 10L * j)), zone)));
            }
        }
        for (int i = 0; i < 3; i++) {
            for (int j = 0; j < 10; j++) {
                opens.add(new Open("t-" + i, parking.zone(),
                        ahead(habit.plus(Duration.ofMinutes(5 + 5L * j)), parking.zone())));
            }
        }
        Instant warmHabit = habit.plus(Duration.ofHours(84));
        for (String warm : WARM) {
            for (int j = 0; j < 10; j++) {
                opens.add(new Open(warm, other, ahead(warmHabit.plus(Duration.ofMinutes(5 + 5L * j)), other)));
            }
        }
        return opens;
    }

    private static Instant ahead(Instant at, ZoneId zone) {
        return at.atZone(zone).plusWeeks(HISTORY_WEEKS_AHEAD).toInstant();
    }

    /**
     * What the population counter's snapshots weigh once it counted the opens: by key (everyone's, and
     * {@code kind@zone}), each open decayed from its instant to the last one's.
     */
    private static Map<String, Double> expectedPopulation(List<Open> opens) {
        Map<String, List<Instant>> byKey = new TreeMap<>();
        for (Open open : opens) {
            byKey.computeIfAbsent(OPENS, key -> new ArrayList<>()).add(open.at());
            byKey.computeIfAbsent(OPENS + "@" + open.zone().getId(), key -> new ArrayList<>()).add(open.at());
        }
        Map<String, Double> totals = new TreeMap<>();
        byKey.forEach((key, ats) -> {
            Instant last = ats.stream().max(Instant::compareTo).orElseThrow();
            totals.put(key, ats.stream().mapToDouble(at -> decay(Duration.between(at, last))).sum());
        });
        return totals;
    }

    private static double decay(Duration age) {
        return Math.pow(0.5, (double) age.toMillis() / SendTimeChooser.Settings.DEFAULT.halfLife().toMillis());
    }

    /** Reads the population topic (uncommitted) until its latest snapshots weigh what is expected. */
    private Map<String, JsonNode> awaitPopulation(Map<String, Double> expected, Duration timeout) {
        try (KafkaConsumer<String, String> consumer = consumer("read_uncommitted")) {
            consumer.subscribe(List.of(POPULATION_TOPIC));
            List<String> values = new ArrayList<>();
            Instant deadline = Instant.now().plus(timeout);
            while (Instant.now().isBefore(deadline)) {
                consumer.poll(Duration.ofMillis(200)).forEach(record -> values.add(record.value()));
                if (weighAsExpected(latestSnapshots(values), expected)) {
                    return latestSnapshots(values);
                }
            }
            throw new AssertionError("Expected snapshots weighing " + expected + ", but the latest weigh "
                    + totals(latestSnapshots(values)));
        }
    }

    private static boolean weighAsExpected(Map<String, JsonNode> snapshots, Map<String, Double> expected) {
        return expected.entrySet().stream().allMatch(e -> snapshots.containsKey(e.getKey())
                && Math.abs(total(snapshots.get(e.getKey())) - e.getValue()) < 1e-3);
    }

    /** The latest email/opens snapshot of each key (everyone's, {@code kind@zone}) among the values; no fillers. */
    private static Map<String, JsonNode> latestSnapshots(List<String> values) {
        Map<String, JsonNode> latest = new TreeMap<>();
        for (String value : values) {
            JsonNode snapshot = Json.read(value);
            if (OPENS.equals(text(snapshot, "engagement"))) {
                String zone = text(snapshot, "zone");
                latest.put(zone == null ? OPENS : OPENS + "@" + zone, snapshot);
            }
        }
        return latest;
    }

    private static Map<String, Double> totals(Map<String, JsonNode> snapshots) {
        Map<String, Double> totals = new TreeMap<>();
        snapshots.forEach((key, snapshot) -> totals.put(key, Math.round(total(snapshot) * 1000) / 1000.0));
        return totals;
    }

    private static double total(JsonNode snapshot) {
        double total = 0;
        for (JsonNode weight : snapshot.get("weights")) {
            total += weight.asDouble();
        }
        return total;
    }

    /** From 0.3.0: enters the profiles into compat-send until each has chosen its send time; their step events. */
    private static Map<String, JsonNode> parkForSendTime(KafkaProducer<String, String> producer,
            KafkaConsumer<String, String> steps, List<String> profiles) {
        List<String> values = new ArrayList<>();
        Map<String, JsonNode> chosen = new TreeMap<>();
        for (int attempt = 0; attempt < 30 && chosen.size() < profiles.size(); attempt++) {
            for (String profile : profiles) {
                if (!chosen.containsKey(profile)) {
                    producer.send(new ProducerRecord<>("profile-events", profile,
                            event(profile + "-send-" + attempt, profile, "compat.send", "{}")));
                }
            }
            producer.flush();
            Instant deadline = Instant.now().plus(Duration.ofSeconds(4));
            while (Instant.now().isBefore(deadline) && chosen.size() < profiles.size()) {
                steps.poll(Duration.ofMillis(200)).forEach(record -> values.add(record.value()));
                chosen = choicesOf(values, profiles);
            }
        }
        return chosen;
    }

    /** Publishes the documents as the CLI does: rule sets, then actions, then journeys. */
    private void publish(List<String> documents) throws Exception {
        DefinitionPublisher publisher = new DefinitionPublisher(kafka.bootstrapServers(), "journey-definitions");
        for (String document : documents) {
            switch (DefinitionKind.of(document)) {
                case RULES -> publisher.publishRules(List.of(RulesParser.parse(document).rules()));
                case ACTION -> publisher.publishActions(List.of(ActionParser.parse(document).action()));
                case JOURNEY -> publisher.publish(List.of(JourneyParser.parse(document).journey()));
            }
        }
    }

    /** What tells, from a record the job wrote, that a profile of the journey is where the writer wants it. */
    @FunctionalInterface
    private interface Reached {
        boolean test(String topic, JsonNode value, String journey);
    }

    /**
     * Sends the entry event of {@value #PROFILES_PER_JOURNEY} profiles per journey (by profile id prefix) until
     * each has {@code reached} its place, and returns them with their journey. The job reads definitions and
     * events side by side: an entry it read too early is sent again.
     */
    private static Map<String, String> enterUntil(KafkaProducer<String, String> producer,
            KafkaConsumer<String, String> uncommitted, Map<String, String> journeys, List<JsonNode> seen,
            Reached reached) {
        Map<String, String> there = new TreeMap<>();
        for (int attempt = 0; attempt < 30 && there.size() < journeys.size() * PROFILES_PER_JOURNEY; attempt++) {
            for (Map.Entry<String, String> journey : journeys.entrySet()) {
                for (int i = 0; i < PROFILES_PER_JOURNEY; i++) {
                    String profile = journey.getKey() + "-" + i;
                    if (!there.containsKey(profile)) {
                        producer.send(new ProducerRecord<>("profile-events", profile, event(profile + "-" + attempt,
                                profile, journey.getValue().replace("compat-", "compat."),
                                "{\"who\": \"" + profile + "\"}")));
                    }
                }
            }
            producer.flush();
            there.putAll(await(uncommitted, journeys, seen, Duration.ofSeconds(4), reached));
        }
        return there;
    }

    /** Reads what the job writes until every profile of the journeys has {@code reached} its place, or timeout. */
    private static Map<String, String> await(KafkaConsumer<String, String> uncommitted, Map<String, String> journeys,
            List<JsonNode> seen, Duration timeout, Reached reached) {
        Map<String, String> there = new TreeMap<>();
        Instant deadline = Instant.now().plus(timeout);
        while (Instant.now().isBefore(deadline) && there.size() < journeys.size() * PROFILES_PER_JOURNEY) {
            for (ConsumerRecord<String, String> record : uncommitted.poll(Duration.ofMillis(200))) {
                JsonNode value = Json.read(record.value());
                seen.add(value);
                String profile = value.get("profileId").asText();
                String journey = journeys.get(profile.substring(0, 1));
                if (journey != null && reached.test(record.topic(), value, journey)) {
                    there.put(profile, journey);
                }
            }
        }
        return there;
    }

    /** A profile is parked once the action before its step is out, its call answered, or its cap counted. */
    private static boolean isParked(String topic, JsonNode value, String journey) {
        if (topic.equals("action-results")) {
            // an answer on its way back (a call's HTTP answer, a cap's admission): the step still waits for it
            return journey.equals("compat-call") || journey.equals("compat-cap");
        }
        return sentHello(topic, value, journey);
    }

    private static boolean sentHello(String topic, JsonNode value, String journey) {
        return HELLO.containsKey(journey) && HELLO.get(journey).equals(text(value, "template"));
    }

    private static String text(JsonNode value, String field) {
        return value.has(field) && !value.get(field).isNull() ? value.get(field).asText() : null;
    }

    private List<String> jobArgs(String name, String checkpointInterval) throws IOException {
        return List.of("--bootstrap-servers", kafka.bootstrapServers(),
                "--set", "checkpoints.interval=" + checkpointInterval,
                "--set", "checkpoints.dir=" + Files.createDirectories(home.resolve("checkpoints-" + name)).toUri(),
                "--set", "kafka.groupId=journeys-compat",
                "--set", "kafka.transactionalIdPrefix=journeys-compat",
                "--set", "http.allowedHosts=127.0.0.1",
                "--set", "parallelism=2",
                // from 0.3.0: snapshots of the population soon after what they count (the default is PT5M)
                "--set", "sendTime.publishEvery=PT1S");
    }

    /** Fills every input topic up to the offsets the savepoint's job had reached, so that it resumes there. */
    private void fillInputTopics(JsonNode offsets, List<String> documents) throws Exception {
        try (KafkaProducer<String, String> producer = producer()) {
            Iterator<Map.Entry<String, JsonNode>> topics = offsets.fields();
            while (topics.hasNext()) {
                Map.Entry<String, JsonNode> topic = topics.next();
                Iterator<Map.Entry<String, JsonNode>> partitions = topic.getValue().fields();
                while (partitions.hasNext()) {
                    Map.Entry<String, JsonNode> partition = partitions.next();
                    for (long offset = 0; offset < partition.getValue().asLong(); offset++) {
                        boolean definitions = topic.getKey().equals("journey-definitions");
                        String value = definitions ? documents.get((int) (offset % documents.size()))
                                : topic.getKey().equals(POPULATION_TOPIC) ? POPULATION_FILLER
                                : event("filler-" + topic.getKey() + "-" + partition.getKey() + "-" + offset,
                                        "compat-filler", FILLER_TYPE, "{}");
                        String key = definitions ? definitionKey(value) : "compat-filler";
                        producer.send(new ProducerRecord<>(topic.getKey(), Integer.parseInt(partition.getKey()), key,
                                value));
                    }
                }
            }
            producer.flush();
        }
    }

    /** The key DefinitionPublisher gives a document: its id, after "action:" or "rules:" for those kinds. */
    private static String definitionKey(String document) {
        String id = Json.read(document).get("id").asText();
        switch (DefinitionKind.of(document)) {
            case ACTION:
                return "action:" + id;
            case RULES:
                return "rules:" + id;
            default:
                return id;
        }
    }

    private Map<String, Map<String, Long>> endOffsets() {
        try (KafkaConsumer<String, String> consumer = consumer("read_uncommitted")) {
            Map<String, Map<String, Long>> offsets = new TreeMap<>();
            List<TopicPartition> partitions = INPUT_TOPICS.stream().flatMap(topic -> consumer.partitionsFor(topic)
                    .stream().map(info -> new TopicPartition(topic, info.partition()))).toList();
            consumer.endOffsets(partitions).forEach((partition, end) -> offsets
                    .computeIfAbsent(partition.topic(), t -> new TreeMap<>())
                    .put(String.valueOf(partition.partition()), end));
            return offsets;
        }
    }

    private List<String> committedRequestIds() {
        try (TopicReader actions = new TopicReader(kafka.bootstrapServers(), ACTION_TOPICS)) {
            return actions.readUntil(values -> false, Duration.ofSeconds(5)).stream()
                    .map(v -> Json.read(v).get("requestId").asText()).sorted().toList();
        }
    }

    private KafkaConsumer<String, String> uncommittedReader() {
        KafkaConsumer<String, String> consumer = consumer("read_uncommitted");
        List<String> topics = new ArrayList<>(ACTION_TOPICS);
        topics.add("action-results");
        consumer.subscribe(topics);
        return consumer;
    }

    private KafkaConsumer<String, String> consumer(String isolation) {
        Properties properties = new Properties();
        properties.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
        properties.put(ConsumerConfig.GROUP_ID_CONFIG, "compat-" + UUID.randomUUID());
        properties.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        properties.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, isolation);
        return new KafkaConsumer<>(properties, new StringDeserializer(), new StringDeserializer());
    }

    private KafkaProducer<String, String> producer() {
        Properties properties = new Properties();
        properties.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
        return new KafkaProducer<>(properties, new StringSerializer(), new StringSerializer());
    }

    private static Set<String> laterActions(List<String> values, Map<String, String> waiting) {
        return values.stream().map(Json::read).filter(a -> waiting.containsKey(a.get("profileId").asText()))
                .filter(a -> LATER.get(waiting.get(a.get("profileId").asText())).contains(a.get("template").asText()))
                .map(a -> a.get("profileId").asText()).collect(Collectors.toSet());
    }

    private static String event(String eventId, String profileId, String type, String data) {
        return event(eventId, profileId, type, data, Instant.now());
    }

    private static String event(String eventId, String profileId, String type, String data, Instant at) {
        return "{\"eventId\": \"" + eventId + "\", \"profileId\": \"" + profileId + "\", \"type\": \"" + type
                + "\", \"timestamp\": \"" + at + "\", \"data\": " + data + "}";
    }

    /** A profile update that sets the profile's zone (send times are chosen and learnt in it). */
    private static ProducerRecord<String, String> update(String profile, String zone) {
        return new ProducerRecord<>("profile-updates", profile, "{\"profileId\": \"" + profile + "\", \"timestamp\": \""
                + Instant.now() + "\", \"attributes\": {\"timeZone\": \"" + zone + "\"}}");
    }

    private static Path copy(Path from, Path to) throws IOException {
        try (Stream<Path> files = Files.walk(from)) {
            for (Path file : files.toList()) {
                Path target = to.resolve(from.relativize(file).toString());
                if (Files.isDirectory(file)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(file, target);
                }
            }
        }
        return to;
    }
}
