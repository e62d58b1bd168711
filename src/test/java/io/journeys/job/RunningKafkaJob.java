package io.journeys.job;

import io.journeys.demo.EmbeddedKafka;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.api.common.JobID;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.core.execution.SavepointFormatType;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/**
 * The streaming job started against a test broker (checkpoints every second); closing it cancels it, unless
 * it was stopped with a savepoint.
 */
public final class RunningKafkaJob implements AutoCloseable {

    private final JobClient client;
    private final JobConfig config;
    private boolean stopped;

    private RunningKafkaJob(JobClient client, JobConfig config) {
        this.client = client;
        this.config = config;
    }

    /** Creates the topics the settings name, then starts the job; settings are {@code key=value} overrides. */
    public static RunningKafkaJob start(EmbeddedKafka kafka, Path checkpoints, String... settings) throws Exception {
        return restore(kafka, checkpoints, null, settings);
    }

    /**
     * As {@link #start}, from a savepoint when {@code savepoint} is not null (as {@code flink run -s} does), at
     * the parallelism the settings give.
     */
    static RunningKafkaJob restore(EmbeddedKafka kafka, Path checkpoints, String savepoint, String... settings)
            throws Exception {
        List<String> overrides = new ArrayList<>(List.of(
                "kafka.bootstrapServers=" + kafka.bootstrapServers(),
                "checkpoints.interval=PT1S",
                "checkpoints.dir=" + checkpoints.toUri()));
        overrides.addAll(List.of(settings));
        JobConfig config = JobConfig.load(null, overrides);
        kafka.createTopics(config, 2);
        Configuration flink = KafkaJob.flinkConfiguration(config);
        if (savepoint != null) {
            flink.setString("execution.state-recovery.path", savepoint);
        }
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(flink);
        // a MiniClusterExtension's environment sets its own parallelism (every slot) over the configuration's
        env.setParallelism(config.parallelism());
        KafkaJob.build(env, config);
        return new RunningKafkaJob(env.executeAsync("journeys-test"), config);
    }

    public JobConfig config() {
        return config;
    }

    JobID jobId() {
        return client.getJobID();
    }

    /**
     * Stops the job with a savepoint in {@code directory} (its sinks commit what the savepoint covers) and
     * waits until it has ended; returns the savepoint's path.
     */
    String stopWithSavepoint(Path directory) throws Exception {
        String savepoint = client.stopWithSavepoint(false, directory.toUri().toString(), SavepointFormatType.CANONICAL)
                .get();
        client.getJobExecutionResult().get();
        stopped = true;
        return savepoint;
    }

    @Override
    public void close() throws Exception {
        if (!stopped) {
            client.cancel().get();
        }
    }
}
