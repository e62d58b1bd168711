package io.journeys.job;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/** The streaming job started against a test broker (checkpoints every second); closing it cancels it. */
final class RunningKafkaJob implements AutoCloseable {

    private final JobClient client;
    private final JobConfig config;

    private RunningKafkaJob(JobClient client, JobConfig config) {
        this.client = client;
        this.config = config;
    }

    /** Creates the topics the settings name, then starts the job; settings are {@code key=value} overrides. */
    static RunningKafkaJob start(EmbeddedKafka kafka, Path checkpoints, String... settings) throws Exception {
        List<String> overrides = new ArrayList<>(List.of(
                "kafka.bootstrapServers=" + kafka.bootstrapServers(),
                "checkpoints.interval=PT1S",
                "checkpoints.dir=" + checkpoints.toUri()));
        overrides.addAll(List.of(settings));
        JobConfig config = JobConfig.load(null, overrides);
        kafka.createTopics(config, 2);
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(
                KafkaJob.flinkConfiguration(config));
        KafkaJob.build(env, config);
        return new RunningKafkaJob(env.executeAsync("journeys-test"), config);
    }

    JobConfig config() {
        return config;
    }

    @Override
    public void close() throws Exception {
        client.cancel().get();
    }
}
