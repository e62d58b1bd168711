package io.journeys.cli;

import io.journeys.job.JobConfig;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Option;

/** The options every Kafka command shares: where Kafka is, and the job configuration. */
final class ConfigOptions {

    @Option(names = "--bootstrap-servers", paramLabel = "HOST:PORT",
            description = "Kafka brokers (default: kafka.bootstrapServers of the configuration, localhost:9092)")
    String bootstrapServers;

    @Option(names = "--config", paramLabel = "FILE", description = "job configuration (YAML); see README, Configuration")
    Path config;

    @Option(names = "--set", paramLabel = "KEY=VALUE", description = "overrides one configuration key")
    List<String> overrides = new ArrayList<>();

    JobConfig load() throws JobConfig.ConfigException {
        JobConfig loaded = JobConfig.load(config, overrides);
        return bootstrapServers == null ? loaded : loaded.with(JobConfig.Key.BOOTSTRAP_SERVERS, bootstrapServers);
    }
}
