package io.journeys.job;

import io.journeys.avro.ActionRequest;
import io.journeys.avro.DeadLetter;
import io.journeys.avro.InputFormat;
import io.journeys.avro.EngagementCount;
import io.journeys.avro.ExperimentWinner;
import io.journeys.avro.InputSource;
import io.journeys.avro.PopulationSnapshot;
import io.journeys.avro.ProfileEvent;
import io.journeys.avro.ProfileWrite;
import io.journeys.avro.RawRecord;
import io.journeys.avro.StepEvent;
import io.journeys.engine.AvroRecords;
import io.journeys.engine.ExperimentRequests;
import io.journeys.engine.ExperimentWinners;
import io.journeys.engine.EngineSettings;
import io.journeys.exports.ExportSources;
import io.journeys.http.HttpActionExecutor;
import io.journeys.job.JobConfig.Key;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.avro.specific.SpecificRecord;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.connector.base.DeliveryGuarantee;
import org.apache.flink.connector.kafka.sink.KafkaSink;
import org.apache.flink.connector.kafka.source.KafkaSource;
import org.apache.flink.connector.kafka.source.enumerator.initializer.OffsetsInitializer;
import org.apache.flink.streaming.api.datastream.AsyncDataStream;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.util.function.SerializableFunction;
import org.apache.kafka.clients.consumer.OffsetResetStrategy;

/**
 * The production job (DESIGN §2, §6c): Kafka in and out, processing time, RocksDB with incremental
 * checkpoints, exactly-once transactional sinks by default.
 *
 * <pre>{@code
 * JobConfig config = JobConfig.load(Path.of("job.yaml"), List.of());
 * StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(KafkaJob.flinkConfiguration(config));
 * KafkaJob.build(env, config);
 * env.execute("journeys");
 * }</pre>
 */
public final class KafkaJob {

    private KafkaJob() {}

    /**
     * The number of key groups of every keyed operator, hence the highest parallelism a savepoint of the job
     * can be restored at. Set explicitly, so that it never depends on the parallelism of the first start (Flink
     * derives it from that otherwise); 128 is what Flink derives for a first start at parallelism 85 or less,
     * so savepoints of such jobs keep restoring. Changing it makes earlier savepoints unusable; the
     * {@code parallelism} key accepts no more.
     */
    public static final int MAX_PARALLELISM = 128;

    /** The Flink configuration of the job: base settings, checkpoints, restarts, parallelism. */
    public static Configuration flinkConfiguration(JobConfig config) throws JobConfig.ConfigException {
        Configuration conf = JobEnvironment.baseConfiguration();
        conf.setString("execution.checkpointing.interval", config.checkpointInterval().toMillis() + " ms");
        // the transaction timeout is checked against this (JobConfig.minimumTransactionTimeout)
        conf.setString("execution.checkpointing.timeout", config.checkpointTimeout().toMillis() + " ms");
        conf.setString("execution.checkpointing.mode", "EXACTLY_ONCE");
        conf.setString("execution.checkpointing.dir", config.string(Key.CHECKPOINT_DIR));
        conf.setString("execution.checkpointing.externalized-checkpoint-retention", "RETAIN_ON_CANCELLATION");
        conf.setString("restart-strategy.type", "exponential-delay");
        conf.setString("parallelism.default", String.valueOf(config.parallelism()));
        conf.setString("pipeline.max-parallelism", String.valueOf(MAX_PARALLELISM));
        return conf;
    }

    public static void build(StreamExecutionEnvironment env, JobConfig config) throws JobConfig.ConfigException {
        String servers = config.string(Key.BOOTSTRAP_SERVERS);
        Map<String, RawRecordDeserializer.TopicInput> inputs = Map.of(
                config.string(Key.TOPIC_PROFILE_EVENTS), input(InputSource.EVENTS, config, Key.FORMAT_PROFILE_EVENTS),
                config.string(Key.TOPIC_ACTION_RESULTS), input(InputSource.EVENTS, config, Key.FORMAT_ACTION_RESULTS),
                config.string(Key.TOPIC_PROFILE_UPDATES), input(InputSource.PROFILES, config, Key.FORMAT_PROFILE_UPDATES),
                config.string(Key.TOPIC_QUALIFICATIONS), input(InputSource.QUALIFICATIONS, config,
                        Key.FORMAT_QUALIFICATIONS));
        KafkaSource<RawRecord> inputSource = KafkaSource.<RawRecord>builder()
                .setBootstrapServers(servers)
                .setTopics(List.copyOf(inputs.keySet()))
                .setGroupId(config.string(Key.GROUP_ID))
                .setStartingOffsets(OffsetsInitializer.committedOffsets(OffsetResetStrategy.EARLIEST))
                .setDeserializer(new RawRecordDeserializer(inputs))
                .setProperty("isolation.level", "read_committed")
                .build();
        // every subtask needs every definition: read the whole compacted topic, from its beginning
        KafkaSource<String> definitionSource = broadcastSource(config, Key.TOPIC_DEFINITIONS, "-definitions");

        DataStream<RawRecord> raw = env.fromSource(inputSource, WatermarkStrategy.noWatermarks(), "kafka-inputs")
                .uid("kafka-inputs");
        String exportsDir = config.string(Key.EXPORTS_DIR);
        if (!exportsDir.isBlank()) {
            // audience exports: listed every exports.interval, a part file read once its export is complete
            raw = raw.union(ExportSources.monitored(env, exportsDir, config.duration(Key.EXPORTS_INTERVAL)));
        }
        // the send-time population's snapshots and the experiments' winners, written below by their counters, reach
        // every subtask with the definitions: the latest of each key, from the compacted topics' beginning
        DataStream<String> definitions = env.fromSource(definitionSource, WatermarkStrategy.noWatermarks(),
                "kafka-definitions").uid("kafka-definitions").setParallelism(1)
                .union(env.fromSource(broadcastSource(config, Key.TOPIC_SEND_TIME_POPULATION, "-send-time-population"),
                                WatermarkStrategy.noWatermarks(), "kafka-send-time-population")
                        .uid("kafka-send-time-population-source").setParallelism(1),
                        env.fromSource(broadcastSource(config, Key.TOPIC_EXPERIMENT_WINNERS, "-experiment-winners"),
                                WatermarkStrategy.noWatermarks(), "kafka-experiment-winners")
                        .uid("kafka-experiment-winners-source").setParallelism(1));
        EngineSettings settings = EngineSettings.processingTime(List.of()).withGuardRails(config.guardRails())
                .withEngagements(config.engagements());
        JourneyJob.Outputs outputs = JourneyJob.build(raw, definitions, settings,
                new InputParser(config.guardRails().maxPayloadBytes()));

        String actionsPrefix = config.string(Key.TOPIC_ACTIONS_PREFIX);
        outputs.actions().sinkTo(sink(config, "actions", new OutputSerializer<ActionRequest>(
                        a -> actionsPrefix + a.getChannel().toLowerCase(Locale.ROOT), ActionRequest::getProfileId,
                        OutputJson::action, config.isAvro(Key.FORMAT_ACTIONS))))
                .name("kafka-actions").uid("kafka-actions");
        outputs.stepEvents().sinkTo(sink(config, "step-events", new OutputSerializer<StepEvent>(
                        fixed(config.string(Key.TOPIC_STEP_EVENTS)), StepEvent::getProfileId, OutputJson::step,
                        config.isAvro(Key.FORMAT_STEP_EVENTS))))
                .name("kafka-step-events").uid("kafka-step-events");
        outputs.deadLetters().sinkTo(sink(config, "dead-letters", new OutputSerializer<DeadLetter>(
                        fixed(config.string(Key.TOPIC_DEAD_LETTERS)), DeadLetter::getProfileId, OutputJson::deadLetter,
                        config.isAvro(Key.FORMAT_DEAD_LETTERS))))
                .name("kafka-dead-letters").uid("kafka-dead-letters");
        outputs.profileWrites().sinkTo(sink(config, "profile-writes", new OutputSerializer<ProfileWrite>(
                        fixed(config.string(Key.TOPIC_PROFILE_WRITES)), ProfileWrite::getProfileId,
                        OutputJson::profileWrite, config.isAvro(Key.FORMAT_PROFILE_WRITES))))
                .name("kafka-profile-writes").uid("kafka-profile-writes");

        // custom actions with an HTTP request: made here, answered on action-results for the waiting step
        DataStream<ProfileEvent> answers = AsyncDataStream.unorderedWait(
                        outputs.actions().filter(action -> action.getCall() != null).name("http-calls").uid("http-calls"),
                        new HttpActionExecutor(config.allowedHosts(), Clock.systemUTC()), EXECUTOR_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS,
                        config.maxCallsInFlight())
                .returns(AvroRecords.typeInfo(ProfileEvent.class))
                .name("http-executor").uid("http-executor");
        // cap steps: one counter per journey version and step, across the job
        DataStream<ProfileEvent> capAnswers = outputs.capRequests()
                .keyBy(CapCounter::keyOf)
                .process(new CapCounter(), AvroRecords.typeInfo(ProfileEvent.class))
                .name("cap-counters").uid("cap-counters");
        // experiment steps: one counter per journey version and step, across the job; its winners fed back above
        SingleOutputStreamOperator<ProfileEvent> experimentAnswers = outputs.experimentRequests()
                .keyBy(ExperimentRequests::keyOf)
                .process(new ExperimentCounter(), AvroRecords.typeInfo(ProfileEvent.class))
                .name("experiment-counters").uid("experiment-counters");
        experimentAnswers.getSideOutput(ExperimentCounter.WINNERS)
                .sinkTo(sink(config, "experiment-winners", new OutputSerializer<ExperimentWinner>(
                        fixed(config.string(Key.TOPIC_EXPERIMENT_WINNERS)), ExperimentWinners::keyOf,
                        OutputJson::winner, false)))
                .name("kafka-experiment-winners").uid("kafka-experiment-winners");
        // send times: the population's engagement by local hour, per kind (everyone's and per zone), across the
        // job; fed back above
        outputs.engagements()
                .keyBy(EngagementCount::getKind)
                .process(new PopulationCounter(config.duration(Key.SEND_TIME_PUBLISH_EVERY)),
                        AvroRecords.typeInfo(PopulationSnapshot.class))
                .name("send-time-population").uid("send-time-population")
                .sinkTo(sink(config, "send-time-population", new OutputSerializer<PopulationSnapshot>(
                        fixed(config.string(Key.TOPIC_SEND_TIME_POPULATION)), PopulationCounter::keyOf,
                        OutputJson::population, false)))
                .name("kafka-send-time-population").uid("kafka-send-time-population");
        answers.union(capAnswers, experimentAnswers).sinkTo(sink(config, "action-results", new OutputSerializer<ProfileEvent>(
                        fixed(config.string(Key.TOPIC_ACTION_RESULTS)), ProfileEvent::getProfileId, OutputJson::event,
                        config.isAvro(Key.FORMAT_ACTION_RESULTS))))
                .name("kafka-action-results").uid("kafka-action-results");
    }

    /**
     * The async operator's backstop: longer than any action's attempts and backoffs (5 min timeout, 10
     * retries); the HTTP client's own timeouts end a call well before.
     */
    private static final Duration EXECUTOR_TIMEOUT = Duration.ofHours(1);

    private static RawRecordDeserializer.TopicInput input(InputSource source, JobConfig config, Key format)
            throws JobConfig.ConfigException {
        return new RawRecordDeserializer.TopicInput(source, config.isAvro(format) ? InputFormat.AVRO : InputFormat.JSON);
    }

    /** A compacted topic the job writes and reads back on the definitions' broadcast, from its beginning. */
    private static KafkaSource<String> broadcastSource(JobConfig config, Key topic, String groupSuffix)
            throws JobConfig.ConfigException {
        return KafkaSource.<String>builder()
                .setBootstrapServers(config.string(Key.BOOTSTRAP_SERVERS))
                .setTopics(config.string(topic))
                .setGroupId(config.string(Key.GROUP_ID) + groupSuffix)
                .setStartingOffsets(OffsetsInitializer.earliest())
                .setDeserializer(new DefinitionDeserializer())
                .setProperty("isolation.level", "read_committed")
                .build();
    }

    private static <T extends SpecificRecord> SerializableFunction<T, String> fixed(String topic) {
        return record -> topic;
    }

    /** A Kafka sink whose failed commits are logged at ERROR and counted (WatchedKafkaSink). */
    private static <T extends SpecificRecord> WatchedKafkaSink<T> sink(JobConfig config, String name,
            OutputSerializer<T> serializer) throws JobConfig.ConfigException {
        KafkaSink<T> sink = KafkaSink.<T>builder()
                .setBootstrapServers(config.string(Key.BOOTSTRAP_SERVERS))
                .setRecordSerializer(serializer)
                .setDeliveryGuarantee(config.exactlyOnce() ? DeliveryGuarantee.EXACTLY_ONCE : DeliveryGuarantee.AT_LEAST_ONCE)
                .setTransactionalIdPrefix(config.string(Key.TRANSACTIONAL_ID_PREFIX) + "-" + name)
                .setProperty("transaction.timeout.ms", String.valueOf(config.transactionTimeout().toMillis()))
                .build();
        return WatchedKafkaSink.of(sink, "kafka-" + name, config.transactionTimeout());
    }
}
