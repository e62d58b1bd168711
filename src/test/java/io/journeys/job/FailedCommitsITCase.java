package io.journeys.job;

import static org.assertj.core.api.Assertions.assertThat;

import io.journeys.demo.EmbeddedKafka;
import io.journeys.testing.TopicReader;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.flink.api.common.JobID;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.serialization.SimpleStringSchema;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.api.connector.source.util.ratelimit.RateLimiterStrategy;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.connector.base.DeliveryGuarantee;
import org.apache.flink.connector.datagen.source.DataGeneratorSource;
import org.apache.flink.connector.kafka.sink.KafkaRecordSerializationSchema;
import org.apache.flink.connector.kafka.sink.KafkaSink;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.metrics.Counter;
import org.apache.flink.runtime.testutils.InMemoryReporter;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.flink.testutils.logging.LoggerAuditingExtension;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.KafkaException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.CleanupMode;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.event.Level;

/**
 * A transaction that the broker aborts before the checkpoint that covers it completes: the records are
 * lost, and the job's Kafka sink says so (ERROR log, {@code kafka.failedCommits}). The sink is built
 * here, since the job's configuration refuses a transaction timeout this short for its checkpoints.
 */
class FailedCommitsITCase {

    /** The producers' transaction timeout, below the checkpoint interval: every transaction expires. */
    private static final Duration TRANSACTION_TIMEOUT = Duration.ofSeconds(1);

    private static final Duration CHECKPOINT_INTERVAL = Duration.ofSeconds(3);

    private static final String TOPIC = "short-transactions";

    private static final InMemoryReporter METRICS = InMemoryReporter.createWithRetainedMetrics();

    @RegisterExtension
    static final MiniClusterExtension CLUSTER = new MiniClusterExtension(new MiniClusterResourceConfiguration.Builder()
            .setConfiguration(METRICS.addToConfiguration(new Configuration()))
            .setNumberTaskManagers(1)
            .setNumberSlotsPerTaskManager(1)
            .build());

    @RegisterExtension
    final LoggerAuditingExtension errors = new LoggerAuditingExtension(WatchedKafkaSink.class, Level.ERROR);

    private static EmbeddedKafka kafka;

    // the job may still write a checkpoint while it is being cancelled: leave the folder for the OS to clean
    @TempDir(cleanup = CleanupMode.NEVER)
    Path checkpoints;

    @BeforeAll
    static void startKafka() throws Exception {
        // a broker that allows transactions of at most the test's timeout, and aborts expired ones within
        // 200 ms instead of its default 10 s
        kafka = EmbeddedKafka.start(Map.of(
                "transaction.max.timeout.ms", String.valueOf(TRANSACTION_TIMEOUT.toMillis()),
                "transaction.abort.timed.out.transaction.cleanup.interval.ms", "200"));
        Properties properties = new Properties();
        properties.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
        try (Admin admin = Admin.create(properties)) {
            admin.createTopics(List.of(new NewTopic(TOPIC, 1, (short) 1))).all().get();
        }
    }

    @AfterAll
    static void stopKafka() throws Exception {
        kafka.close();
    }

    @Test
    void shouldCountAndLogACommitOfATransactionTheBrokerAbortedOnTimeout() throws Exception {
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(configuration());
        // one record right after each checkpoint: it opens the sink's transaction, which then stays open,
        // idle, for the checkpoint interval and expires at the broker before its checkpoint commits it
        env.fromSource(new DataGeneratorSource<>(index -> "record-" + index, Long.MAX_VALUE,
                        RateLimiterStrategy.perCheckpoint(1), Types.STRING), WatermarkStrategy.noWatermarks(),
                        "one-record-per-checkpoint")
                .uid("one-record-per-checkpoint")
                .sinkTo(sink("short-transactions", TRANSACTION_TIMEOUT))
                .name("kafka-short-transactions").uid("kafka-short-transactions");

        JobClient job = env.executeAsync("short-transactions");
        try (TopicReader committed = new TopicReader(kafka.bootstrapServers(), List.of(TOPIC))) {
            // reading blocks in poll: it paces the wait for the committer's second failure
            List<String> visible = committed.readUntil(values -> watched(job.getJobID()) >= 2, Duration.ofSeconds(60));

            assertThat(watched(job.getJobID())).as("kafka.failedCommits").isGreaterThanOrEqualTo(2);
            assertThat(flinks(job.getJobID())).as("Flink's own failedCommittables").isPositive();
            // the first checkpoint comes after a random delay, and may commit the first record in time; every
            // later record waits a whole interval in its transaction, which the broker aborts: lost
            assertThat(visible).as("records read-committed consumers see").isSubsetOf("record-0");
            assertThat(errors.getMessages()).anySatisfy(message -> assertThat(message).contains(
                    "Kafka transaction short-transactions-0-", "of sink kafka-short-transactions (checkpoint ",
                    "was not committed and will not be: its records are lost", "(PT1S, kafka.transactionTimeout)",
                    "Cause: org.apache.kafka.common.errors."));
        } finally {
            job.cancel().get();
        }
    }

    @Test
    void shouldFailAtStartWhenTheTransactionTimeoutIsAboveTheBrokersMaximum() throws Exception {
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(configuration());
        env.fromSource(new DataGeneratorSource<>(index -> "record-" + index, Long.MAX_VALUE,
                        RateLimiterStrategy.perCheckpoint(1), Types.STRING), WatermarkStrategy.noWatermarks(), "records")
                .sinkTo(sink("long-transactions", TRANSACTION_TIMEOUT.multipliedBy(2)))
                .name("kafka-long-transactions").uid("kafka-long-transactions");

        // what JobConfig.warnings() announces above Kafka's default maximum: the producers cannot start
        JobClient job = env.executeAsync("long-transactions");
        assertThat(job.getJobExecutionResult()).failsWithin(Duration.ofSeconds(60))
                .withThrowableThat().havingRootCause().isInstanceOf(KafkaException.class)
                .withMessageContaining("The transaction timeout is larger than the maximum value allowed by the broker");
    }

    private Configuration configuration() {
        Configuration conf = JobEnvironment.baseConfiguration();
        conf.setString("execution.checkpointing.interval", CHECKPOINT_INTERVAL.toMillis() + " ms");
        conf.setString("execution.checkpointing.dir", checkpoints.toUri().toString());
        conf.setString("restart-strategy.type", "none");
        conf.setString("parallelism.default", "1");
        return conf;
    }

    /** The job's kind of sink (exactly-once, watched) to the topic, with its own transactional ids. */
    private static WatchedKafkaSink<String> sink(String name, Duration transactionTimeout) {
        return WatchedKafkaSink.of(KafkaSink.<String>builder()
                        .setBootstrapServers(kafka.bootstrapServers())
                        .setRecordSerializer(KafkaRecordSerializationSchema.<String>builder()
                                .setTopic(TOPIC)
                                .setValueSerializationSchema(new SimpleStringSchema())
                                .build())
                        .setDeliveryGuarantee(DeliveryGuarantee.EXACTLY_ONCE)
                        .setTransactionalIdPrefix(name)
                        .setProperty("transaction.timeout.ms", String.valueOf(transactionTimeout.toMillis()))
                        .build(),
                "kafka-" + name, transactionTimeout);
    }

    /** The sum over subtasks of the sinks' {@code kafka.failedCommits}. */
    private static long watched(JobID job) {
        return sum(job, "." + WatchedKafkaSink.METRIC_GROUP + "." + WatchedKafkaSink.FAILED_COMMITS);
    }

    /** The sum over subtasks of Flink's own count of the committers' failures. */
    private static long flinks(JobID job) {
        return sum(job, ".failedCommittables");
    }

    private static long sum(JobID job, String identifierEnd) {
        return METRICS.getMetricsByIdentifiers(job).entrySet().stream()
                .filter(metric -> metric.getKey().endsWith(identifierEnd))
                .mapToLong(metric -> ((Counter) metric.getValue()).getCount())
                .sum();
    }
}
