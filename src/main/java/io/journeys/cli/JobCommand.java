package io.journeys.cli;

import io.journeys.job.JobConfig;
import io.journeys.job.KafkaJob;
import java.util.concurrent.Callable;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

@Command(name = "job", mixinStandardHelpOptions = true,
        description = {"Runs the streaming job: Kafka in and out, processing time, RocksDB, exactly-once by default.",
                "From ./journeys it runs on a local Flink cluster; submitted with `flink run` it runs on that cluster."})
final class JobCommand implements Callable<Integer> {

    @Mixin
    ConfigOptions options;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        JobConfig config;
        try {
            config = options.load();
        } catch (JobConfig.ConfigException e) {
            spec.commandLine().getErr().println("error: " + e.getMessage());
            return Exits.USAGE;
        }
        for (String warning : config.warnings()) {
            spec.commandLine().getErr().println("warning: " + warning);
        }
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(
                KafkaJob.flinkConfiguration(config));
        KafkaJob.build(env, config);
        env.execute("journeys");
        return Exits.OK;
    }
}
