package io.journeys.cli;

import io.journeys.bench.EventBenchmark;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(name = "bench", mixinStandardHelpOptions = true,
        description = {"Runs generated profile events through 20 live journeys and prints inputs per second beside",
                "a floor measured in the same run (same source and key, one state update per event)."})
final class BenchCommand implements Callable<Integer> {

    @Option(names = "--events", defaultValue = "3000000", description = "inputs to generate (default ${DEFAULT-VALUE})")
    long events;

    @Option(names = "--profiles", defaultValue = "1000000", description = "profiles they spread over (default ${DEFAULT-VALUE})")
    int profiles;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        new EventBenchmark(events, profiles, spec.commandLine().getOut()).run();
        return Exits.OK;
    }
}
