package io.journeys.cli;

import io.journeys.demo.Demo;
import io.journeys.dsl.DefinitionParser;
import io.journeys.dsl.Journey;
import io.journeys.dsl.RuleSet;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(name = "demo", mixinStandardHelpOptions = true,
        description = {"Runs the main job on the embedded default: a Kafka broker (KRaft) and a local Flink cluster",
                "(RocksDB) in this JVM, the journeys of jobs/demo, sample traffic, and the action requests as they arrive."})
final class DemoCommand implements Callable<Integer> {

    @Option(names = "--duration", defaultValue = "60s", paramLabel = "DURATION", converter = DurationConverter.class,
            description = "how long the demo runs: " + DurationConverter.FORMS + " (default ${DEFAULT-VALUE})")
    Duration duration;

    @Option(names = "--keep-running", description = "run until Ctrl-C and print the bootstrap address")
    boolean keepRunning;

    @Option(names = "--journeys", paramLabel = "PATH", arity = "1..*",
            description = "journeys and rule sets to publish (default: jobs/demo)")
    List<Path> journeyPaths = List.of(Path.of("jobs/demo"));

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        List<Journey> journeys = new ArrayList<>();
        List<RuleSet> ruleSets = new ArrayList<>();
        try {
            for (Path file : JourneyFiles.expand(journeyPaths)) {
                DefinitionParser.Definition definition = DefinitionParser.parse(JourneyFiles.read(file));
                if (!definition.valid() || !(definition.isJourney() || definition.isRules())) {
                    spec.commandLine().getErr().println(file + ": " + (definition.valid()
                            ? "not a journey or a rule set" : definition.problems()));
                    return Exits.FAILED;
                }
                if (definition.isRules()) {
                    ruleSets.add(definition.rules().rules());
                } else {
                    journeys.add(definition.journey().journey());
                }
            }
        } catch (JourneyFiles.InputFileException | java.io.IOException e) {
            spec.commandLine().getErr().println("error: " + e.getMessage());
            return Exits.USAGE;
        }
        Demo demo = new Demo(ruleSets, journeys, duration, keepRunning, spec.commandLine().getOut(),
                Clock.systemUTC());
        CountDownLatch finished = new CountDownLatch(1);
        Thread stopOnCtrlC = new Thread(() -> {
            demo.stop();
            try {
                finished.await(); // let the demo cancel the job and close Kafka before the JVM exits
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "demo-shutdown");
        Runtime.getRuntime().addShutdownHook(stopOnCtrlC);
        try {
            demo.run();
        } finally {
            finished.countDown();
        }
        return Exits.OK;
    }
}
