package io.journeys.job;

import io.journeys.dsl.IsoDurations;
import io.journeys.engine.GuardRails;
import io.journeys.sendtime.EngagementTypes;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;

/**
 * The job's configuration: a YAML file (nested keys) whose every key has a documented default and can be
 * overridden with {@code --set key=value}. A bad file, an unknown key or a bad value is refused before
 * anything runs, with a message that names the key.
 *
 * <pre>{@code
 * JobConfig config = JobConfig.load(Path.of("job.yaml"), List.of("guardRails.maxPayloadBytes=131072"));
 * GuardRails rails = config.guardRails();
 * }</pre>
 */
public final class JobConfig {

    /** Every configuration key, its default and what it means (README, "Configuration"). */
    public enum Key {
        // the guard rails' defaults are GuardRails.DEFAULTS, written there only
        MAX_STEPS_PER_JOURNEY("guardRails.maxStepsPerJourney", GuardRails.DEFAULTS.maxStepsPerJourney(),
                "a journey with more steps is rejected (JRN-028)"),
        MAX_LIVE_INSTANCES("guardRails.maxLiveInstancesPerProfile", GuardRails.DEFAULTS.maxLiveInstancesPerProfile(),
                "a profile already in this many journeys enters no more (dead letter ENG-005)"),
        MAX_PAYLOAD_BYTES("guardRails.maxPayloadBytes", GuardRails.DEFAULTS.maxPayloadBytes(),
                "a larger input record is a dead letter (INP-007)"),
        MAX_EVENT_HISTORY("guardRails.maxEventHistory", GuardRails.DEFAULTS.maxEventHistory(),
                "events kept per profile for countEvents"),
        DUPLICATE_TTL("guardRails.duplicateTtl", GuardRails.DEFAULTS.duplicateTtl().toString(),
                "an event whose id was seen within this period is processed once (dead letter ENG-004)"),
        PARALLELISM("parallelism", "2",
                "parallelism of the job (at most " + KafkaJob.MAX_PARALLELISM + ", the job's max parallelism)"),
        EXPORTS_DIR("exports.dir", "", "folder of audience exports to monitor (any Flink file system); empty: none"),
        EXPORTS_INTERVAL("exports.interval", "PT10S", "how often the exports folder is listed for complete exports"),
        HTTP_ALLOWED_HOSTS("http.allowedHosts", "",
                "hosts calls may reach (comma-separated or a YAML list; *.example.com matches its subdomains); "
                        + "private, loopback and link-local addresses are refused unless their host is listed; "
                        + "empty: any public host"),
        SEND_TIME_PUBLISH_EVERY("sendTime.publishEvery", "PT5M",
                "how often, at most, the population model of send times publishes a snapshot (when it changed)"),
        SEND_TIME_ENGAGEMENTS("sendTime.engagements", EngagementTypes.DEFAULT_TEXT,
                "the event types send times learn from and the engagements each counts as: "
                        + "type=kind,kind;type=kind, kinds email/opens, email/clicks, push/opens"),
        HTTP_MAX_IN_FLIGHT("http.maxInFlight", "100", "calls in flight at once per subtask of the HTTP executor"),
        BOOTSTRAP_SERVERS("kafka.bootstrapServers", "localhost:9092", "Kafka brokers (--bootstrap-servers overrides it)"),
        GROUP_ID("kafka.groupId", "journeys", "consumer group of the job's sources"),
        TRANSACTIONAL_ID_PREFIX("kafka.transactionalIdPrefix", "journeys", "prefix of the sinks' transactional ids"),
        TRANSACTION_TIMEOUT("kafka.transactionTimeout", "PT10M",
                "producer transaction timeout: at least the longer of checkpoints.interval and checkpoints.timeout, "
                        + "plus checkpoints.timeout, plus PT2M to restart; at most the brokers' transaction.max.timeout.ms"),
        DELIVERY("delivery.guarantee", "exactly-once", "exactly-once (transactional sinks) or at-least-once"),
        CHECKPOINT_INTERVAL("checkpoints.interval", "PT10S", "how often state is checkpointed (and transactions commit)"),
        CHECKPOINT_TIMEOUT("checkpoints.timeout", "PT3M", "a checkpoint still running after this long fails (and the job restarts)"),
        CHECKPOINT_DIR("checkpoints.dir", "file:///tmp/journeys/checkpoints", "where checkpoints go (any Flink file system)"),
        TOPIC_PROFILE_EVENTS("topics.profileEvents", "profile-events", "input: profile events"),
        TOPIC_PROFILE_UPDATES("topics.profileUpdates", "profile-updates", "input: profile attribute updates"),
        TOPIC_ACTION_RESULTS("topics.actionResults", "action-results",
                "input: results and reactions from connectors, read as profile events"),
        TOPIC_QUALIFICATIONS("topics.audienceQualifications", "audience-qualifications",
                "input: profiles entering or leaving audiences"),
        TOPIC_DEFINITIONS("topics.journeyDefinitions", "journey-definitions",
                "input: journey documents (compacted, key = journey id)"),
        TOPIC_SEND_TIME_POPULATION("topics.sendTimePopulation", "send-time-population",
                "in and out: the population model of send times (compacted, key = engagement kind)"),
        TOPIC_EXPERIMENT_WINNERS("topics.experimentWinners", "experiment-winners",
                "in and out: the experiments' winners, each decided once (compacted, key = journey@version/step)"),
        TOPIC_ACTIONS_PREFIX("topics.actionsPrefix", "actions.",
                "output: action requests go to this prefix + channel (actions.email, actions.push, actions.sms, actions.inapp, actions.custom)"),
        TOPIC_STEP_EVENTS("topics.stepEvents", "step-events", "output: step events"),
        TOPIC_DEAD_LETTERS("topics.deadLetters", "dead-letters", "output: dead letters"),
        TOPIC_PROFILE_WRITES("topics.profileWrites", "profile-writes", "output: profile writes"),
        FORMAT_PROFILE_EVENTS("formats.profileEvents", "json", "json or avro (wire schema ProfileEvent)"),
        FORMAT_PROFILE_UPDATES("formats.profileUpdates", "json", "json or avro (wire schema ProfileUpdate)"),
        FORMAT_ACTION_RESULTS("formats.actionResults", "json", "json or avro (wire schema ProfileEvent)"),
        FORMAT_QUALIFICATIONS("formats.audienceQualifications", "json", "json or avro (wire schema AudienceQualification)"),
        FORMAT_ACTIONS("formats.actions", "json", "json or avro (schema ActionRequest)"),
        FORMAT_STEP_EVENTS("formats.stepEvents", "json", "json or avro (schema StepEvent)"),
        FORMAT_DEAD_LETTERS("formats.deadLetters", "json", "json or avro (schema DeadLetter)"),
        FORMAT_PROFILE_WRITES("formats.profileWrites", "json", "json or avro (schema ProfileWrite)");

        private final String name;
        private final String defaultValue;
        private final String description;

        Key(String name, String defaultValue, String description) {
            this.name = name;
            this.defaultValue = defaultValue;
            this.description = description;
        }

        Key(String name, int defaultValue, String description) {
            this(name, Integer.toString(defaultValue), description);
        }

        public String keyName() {
            return name;
        }

        public String defaultValue() {
            return defaultValue;
        }

        public String description() {
            return description;
        }
    }

    /**
     * What the transaction timeout allows, beside one checkpoint interval and two checkpoints, for the job to
     * fail, restart and recover while a transaction waits for its commit: Flink's defaults take up to 50 s
     * to notice a lost TaskManager (heartbeat.timeout) and wait up to 1 min before a restart
     * (restart-strategy.exponential-delay.max-backoff); the rest is for deploying and restoring state.
     */
    public static final Duration RESTART_ALLOWANCE = Duration.ofMinutes(2);

    /** Kafka's default transaction.max.timeout.ms: a producer asking for more fails at start. */
    public static final Duration BROKER_DEFAULT_MAX_TRANSACTION_TIMEOUT = Duration.ofMinutes(15);

    /** A configuration that cannot be used; the message says which key and why. */
    public static final class ConfigException extends Exception {
        ConfigException(String message) {
            super(message);
        }
    }

    private final Map<Key, String> values;

    private JobConfig(Map<Key, String> values) {
        this.values = values;
    }

    public static JobConfig defaults() {
        try {
            return load(null, List.of());
        } catch (ConfigException e) {
            throw new IllegalStateException("Expected the defaults to be valid, but: " + e.getMessage(), e);
        }
    }

    public static JobConfig load(Path yaml, List<String> overrides) throws ConfigException {
        JobConfig config = new JobConfig(ConfigSources.values(yaml, overrides));
        // checks every value now, before anything runs
        config.guardRails();
        config.parallelism();
        config.exactlyOnce();
        config.checkpointInterval();
        config.checkpointTimeout();
        config.checkTransactionTimeout();
        config.duration(Key.EXPORTS_INTERVAL);
        config.duration(Key.SEND_TIME_PUBLISH_EVERY);
        config.engagements();
        config.positiveInt(Key.HTTP_MAX_IN_FLIGHT);
        for (Key key : Key.values()) {
            if (key.name.startsWith("formats.")) {
                config.isAvro(key);
            }
            if (key != Key.EXPORTS_DIR && key != Key.HTTP_ALLOWED_HOSTS && config.values.get(key).isBlank()) {
                throw new ConfigException("Expected a value for " + key.name + ", but it is empty");
            }
        }
        return config;
    }

    public GuardRails guardRails() throws ConfigException {
        try {
            return new GuardRails(positiveInt(Key.MAX_STEPS_PER_JOURNEY), positiveInt(Key.MAX_LIVE_INSTANCES),
                    positiveInt(Key.MAX_PAYLOAD_BYTES), positiveInt(Key.MAX_EVENT_HISTORY), duration(Key.DUPLICATE_TTL));
        } catch (IllegalArgumentException e) {
            throw new ConfigException(e.getMessage());
        }
    }

    /** The event types send-time optimisation learns from, and which engagements each counts as. */
    public EngagementTypes engagements() throws ConfigException {
        String text = values.get(Key.SEND_TIME_ENGAGEMENTS);
        try {
            return EngagementTypes.parse(text);
        } catch (IllegalArgumentException e) {
            throw new ConfigException("Expected " + Key.SEND_TIME_ENGAGEMENTS.name + " as type=kind,kind;type=kind "
                    + "(default " + EngagementTypes.DEFAULT_TEXT + "), but found \"" + text + "\": " + e.getMessage());
        }
    }

    /** The hosts calls may reach (http.allowedHosts), lower-cased. */
    public List<String> allowedHosts() {
        return Arrays.stream(values.get(Key.HTTP_ALLOWED_HOSTS).split(","))
                .map(host -> host.trim().toLowerCase(Locale.ROOT))
                .filter(host -> !host.isEmpty())
                .toList();
    }

    public int maxCallsInFlight() throws ConfigException {
        return positiveInt(Key.HTTP_MAX_IN_FLIGHT);
    }

    /** At most the job's max parallelism, the highest its savepoints can be restored at. */
    public int parallelism() throws ConfigException {
        return parse(Key.PARALLELISM, "an integer from 1 to " + KafkaJob.MAX_PARALLELISM, text -> {
            int value = Integer.parseInt(text);
            if (value <= 0 || value > KafkaJob.MAX_PARALLELISM) {
                throw new IllegalArgumentException();
            }
            return value;
        });
    }

    public String string(Key key) {
        return values.get(key);
    }

    /** Every topic the job reads or writes: the demo's broker and Docker's set-up create these. */
    public List<String> topicNames() {
        String actions = string(Key.TOPIC_ACTIONS_PREFIX);
        return List.of(
                string(Key.TOPIC_PROFILE_EVENTS),
                string(Key.TOPIC_PROFILE_UPDATES),
                string(Key.TOPIC_ACTION_RESULTS),
                string(Key.TOPIC_QUALIFICATIONS),
                string(Key.TOPIC_DEFINITIONS),
                string(Key.TOPIC_SEND_TIME_POPULATION),
                string(Key.TOPIC_EXPERIMENT_WINNERS),
                actions + "email", actions + "push", actions + "sms", actions + "inapp", actions + "custom",
                string(Key.TOPIC_STEP_EVENTS),
                string(Key.TOPIC_DEAD_LETTERS),
                string(Key.TOPIC_PROFILE_WRITES));
    }

    /** Whether a format key says avro (else json). */
    public boolean isAvro(Key key) throws ConfigException {
        return parse(key, "json or avro", text -> switch (text) {
            case "json" -> false;
            case "avro" -> true;
            default -> throw new IllegalArgumentException();
        });
    }

    public boolean exactlyOnce() throws ConfigException {
        return parse(Key.DELIVERY, "exactly-once or at-least-once", text -> switch (text) {
            case "exactly-once" -> true;
            case "at-least-once" -> false;
            default -> throw new IllegalArgumentException();
        });
    }

    public Duration checkpointInterval() throws ConfigException {
        return duration(Key.CHECKPOINT_INTERVAL);
    }

    public Duration checkpointTimeout() throws ConfigException {
        return duration(Key.CHECKPOINT_TIMEOUT);
    }

    public Duration transactionTimeout() throws ConfigException {
        return duration(Key.TRANSACTION_TIMEOUT);
    }

    /**
     * The shortest transaction timeout that loses no records for these checkpoints. A sink's transaction
     * opens when checkpoint N passes it and is committed when checkpoint N+1 completes. Checkpoint N+1
     * starts an interval after N, or when N completes if that is later (one checkpoint at a time), so at
     * most the longer of the interval and the checkpoint timeout; it then takes at most the checkpoint
     * timeout. If the job fails just after it completes, the transaction is committed on recovery:
     * {@link #RESTART_ALLOWANCE} later. A transaction the broker aborted first is lost.
     */
    public Duration minimumTransactionTimeout() throws ConfigException {
        Duration interval = checkpointInterval();
        Duration checkpointTimeout = checkpointTimeout();
        Duration untilNextCheckpoint = interval.compareTo(checkpointTimeout) >= 0 ? interval : checkpointTimeout;
        return untilNextCheckpoint.plus(checkpointTimeout).plus(RESTART_ALLOWANCE);
    }

    /**
     * What is allowed but probably wrong, one sentence each, for the command to print before it goes on:
     * a transaction timeout above Kafka's default maximum (brokers may allow more; checking would need a
     * broker and the right to describe its configuration).
     */
    public List<String> warnings() throws ConfigException {
        Duration timeout = transactionTimeout();
        if (exactlyOnce() && timeout.compareTo(BROKER_DEFAULT_MAX_TRANSACTION_TIMEOUT) > 0) {
            return List.of(Key.TRANSACTION_TIMEOUT.name + " " + timeout + " is above Kafka's default "
                    + "transaction.max.timeout.ms (" + BROKER_DEFAULT_MAX_TRANSACTION_TIMEOUT + "): unless every "
                    + "broker allows it, the Kafka sinks fail at start (\"The transaction timeout is larger than the "
                    + "maximum value allowed by the broker\") and the job restarts over and over");
        }
        return List.of();
    }

    /** With exactly-once sinks, a transaction timeout the broker could reach before the commit is refused. */
    private void checkTransactionTimeout() throws ConfigException {
        Duration timeout = transactionTimeout();
        if (!exactlyOnce()) {
            return; // at-least-once sinks open no transactions
        }
        Duration minimum = minimumTransactionTimeout();
        if (timeout.compareTo(minimum) < 0) {
            throw new ConfigException("Expected " + Key.TRANSACTION_TIMEOUT.name + " of at least " + minimum
                    + ", but found " + timeout + ": with " + Key.CHECKPOINT_INTERVAL.name + " " + checkpointInterval()
                    + " and " + Key.CHECKPOINT_TIMEOUT.name + " " + checkpointTimeout() + " a transaction may stay "
                    + "open for the longer of the two, plus " + Key.CHECKPOINT_TIMEOUT.name + ", plus "
                    + RESTART_ALLOWANCE + " to restart, before it is committed, and a transaction the broker "
                    + "aborts first loses its records. Raise " + Key.TRANSACTION_TIMEOUT.name + " (and the brokers' "
                    + "transaction.max.timeout.ms, " + BROKER_DEFAULT_MAX_TRANSACTION_TIMEOUT + " by default, if "
                    + "needed) or shorten the checkpoints; at-least-once delivery has no transactions");
        }
    }

    /** A copy with one key set, e.g. the --bootstrap-servers of the command line. */
    public JobConfig with(Key key, String value) throws ConfigException {
        Map<Key, String> copy = new LinkedHashMap<>(values);
        copy.put(key, value);
        return new JobConfig(copy);
    }

    /** Every key with its value, for printing. */
    public Map<String, String> asMap() {
        Map<String, String> all = new TreeMap<>();
        values.forEach((key, value) -> all.put(key.name, value));
        return all;
    }

    private int positiveInt(Key key) throws ConfigException {
        return parse(key, "a positive integer", text -> {
            int value = Integer.parseInt(text);
            if (value <= 0) {
                throw new IllegalArgumentException();
            }
            return value;
        });
    }

    Duration duration(Key key) throws ConfigException {
        return parse(key, "a positive ISO-8601 duration such as PT24H", text -> {
            Duration value = IsoDurations.parse(text).orElseThrow(IllegalArgumentException::new);
            if (value.isNegative() || value.isZero()) {
                throw new IllegalArgumentException();
            }
            return value;
        });
    }

    private <T> T parse(Key key, String expected, Function<String, T> parser) throws ConfigException {
        String text = values.get(key);
        try {
            return parser.apply(text);
        } catch (RuntimeException e) {
            throw new ConfigException("Expected " + expected + " for " + key.name + ", but found \"" + text + "\"");
        }
    }
}
