package io.journeys.cli;

import io.journeys.job.DefinitionPublisher;
import io.journeys.job.JobConfig;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** Republishes a journey's latest document with another status. */
abstract class StatusCommand implements Callable<Integer> {

    @Parameters(index = "0", paramLabel = "ID", description = "the journey id")
    String journeyId;

    @Mixin
    ConfigOptions options;

    @Spec
    CommandSpec spec;

    abstract String status();

    @Override
    public Integer call() throws Exception {
        JobConfig config;
        try {
            config = options.load();
        } catch (JobConfig.ConfigException e) {
            spec.commandLine().getErr().println("error: " + e.getMessage());
            return Exits.USAGE;
        }
        DefinitionPublisher publisher = new DefinitionPublisher(config.string(JobConfig.Key.BOOTSTRAP_SERVERS),
                config.string(JobConfig.Key.TOPIC_DEFINITIONS));
        if (!publisher.changeStatus(journeyId, status())) {
            spec.commandLine().getErr().println("error: no journey \"" + journeyId + "\" on "
                    + config.string(JobConfig.Key.TOPIC_DEFINITIONS));
            return Exits.FAILED;
        }
        spec.commandLine().getOut().println(journeyId + " is now " + status());
        return Exits.OK;
    }

    @Command(name = "close", mixinStandardHelpOptions = true,
            description = "Closes a journey: no new entries; profiles inside finish.")
    static final class Close extends StatusCommand {
        @Override
        String status() {
            return "closed";
        }
    }

    @Command(name = "stop", mixinStandardHelpOptions = true,
            description = "Stops a journey: every profile inside exits now.")
    static final class Stop extends StatusCommand {
        @Override
        String status() {
            return "stopped";
        }
    }
}
