package io.journeys.cli;

import io.journeys.dsl.DefinitionParser;
import io.journeys.dsl.Journey;
import io.journeys.job.JobConfig;
import io.journeys.report.PublishedJourneys;
import io.journeys.report.ReportBuilder;
import io.journeys.report.StepEventLine;
import io.journeys.report.StepEventsTopic;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.common.KafkaException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(name = "report", mixinStandardHelpOptions = true,
        description = {"Counts what happened in journeys from their step events: per journey version,",
                "entries and outcomes, each step's arrivals and waiting instances, the ways taken,",
                "goals and experiments. Reads a steps.jsonl (--steps) or the step-events topic",
                "(read committed, from the beginning). Prints a table, or report.json (--json),",
                "or writes a self-contained HTML page (--html)."})
final class ReportCommand implements Callable<Integer> {

    /** How long Ctrl-C waits for the last report of --follow to be written. */
    private static final long LAST_REPORT_SECONDS = 10;

    @Option(names = "--steps", paramLabel = "FILE", description = "step events, one JSON object per line (a simulation's steps.jsonl)")
    Path steps;

    @Option(names = "--journeys", arity = "1..*", paramLabel = "PATH",
            description = "journey files or folders of *.json: the graphs, goals and experiments (default with Kafka: "
                    + "the documents on the definitions topic; with --steps: none, the steps the events name)")
    List<Path> journeyPaths;

    @Option(names = "--json", arity = "0..1", paramLabel = "FILE", fallbackValue = "-",
            description = "report.json instead of the table: on stdout, or written to FILE")
    String json;

    @Option(names = "--html", paramLabel = "FILE", description = "writes the report as one self-contained HTML page")
    Path html;

    @Option(names = "--topic", paramLabel = "TOPIC",
            description = "the step-events topic (default: topics.stepEvents of the configuration, step-events)")
    String topic;

    @Option(names = "--follow", description = "with Kafka: keeps reading and reprints the table (or rewrites the files) "
            + "after new events, until Ctrl-C")
    boolean follow;

    @Option(names = "--every", paramLabel = "DURATION", defaultValue = "5s", converter = DurationConverter.class,
            description = "with --follow: at most one report per DURATION, " + DurationConverter.FORMS + "; default 5s")
    Duration every;

    @Mixin
    ConfigOptions options;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        PrintWriter err = spec.commandLine().getErr();
        ReportOutputs outputs = new ReportOutputs(spec.commandLine().getOut(), json, html);
        try {
            if (steps != null && options.bootstrapServers != null) {
                throw new JourneyFiles.InputFileException("--steps reads a file, --bootstrap-servers a topic: give one");
            }
            if (steps != null && (follow || topic != null)) {
                throw new JourneyFiles.InputFileException("--follow and --topic read Kafka; with --steps there is nothing to follow");
            }
            if (every.isNegative() || every.isZero()) {
                throw new JourneyFiles.InputFileException("--every expects a positive duration, but got " + every);
            }
            JobConfig config = options.load();
            int maxSteps = config.guardRails().maxStepsPerJourney();
            List<Journey> documents = journeyPaths == null ? null : documents(err, maxSteps);
            if (documents == null && journeyPaths != null) {
                return Exits.FAILED;
            }
            if (steps != null) {
                ReportBuilder builder = new ReportBuilder(documents == null ? List.of() : documents);
                readSteps(builder);
                outputs.write(builder.build());
                return Exits.OK;
            }
            return fromKafka(config, maxSteps, documents, outputs, err);
        } catch (JourneyFiles.InputFileException | JobConfig.ConfigException e) {
            err.println("error: " + e.getMessage());
            return Exits.USAGE;
        } catch (IOException e) {
            err.println("error: cannot write the report: " + e.getMessage());
            return Exits.FAILED;
        }
    }

    /** The documents of --journeys, or null after listing the problems of those that are not valid. */
    private List<Journey> documents(PrintWriter err, int maxSteps) throws IOException, JourneyFiles.InputFileException {
        List<Journey> journeys = new ArrayList<>();
        boolean valid = true;
        for (Path file : JourneyFiles.expand(journeyPaths)) {
            DefinitionParser.Definition definition = DefinitionParser.parse(JourneyFiles.read(file), maxSteps);
            if (!definition.valid()) {
                valid = false;
                err.println(file + ": " + definition.problems().size() + " problem(s)");
                definition.problems().forEach(p -> err.println("  " + p));
            } else if (definition.isJourney()) {
                journeys.add(definition.journey().journey());
            }
        }
        return valid ? journeys : null;
    }

    private void readSteps(ReportBuilder builder) throws JourneyFiles.InputFileException {
        List<String> lines = JourneyFiles.readLines(steps);
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i).isBlank()) {
                continue;
            }
            try {
                builder.addLine(lines.get(i));
            } catch (StepEventLine.Malformed e) {
                throw new JourneyFiles.InputFileException(steps + " line " + (i + 1) + ": " + e.getMessage());
            }
        }
    }

    private int fromKafka(JobConfig config, int maxSteps, List<Journey> files, ReportOutputs outputs, PrintWriter err) throws IOException {
        String bootstrapServers = config.string(JobConfig.Key.BOOTSTRAP_SERVERS);
        String stepTopic = topic != null ? topic : config.string(JobConfig.Key.TOPIC_STEP_EVENTS);
        List<Journey> documents = files;
        if (documents == null) {
            documents = published(config, maxSteps, err);
        }
        ReportBuilder builder = new ReportBuilder(documents);
        try (StepEventsTopic events = new StepEventsTopic(bootstrapServers, stepTopic, err::println)) {
            events.catchUp(builder);
            outputs.write(builder.build());
            if (follow) {
                follow(events, builder, outputs, err);
            }
        } catch (IllegalStateException | KafkaException e) {
            err.println("error: " + e.getMessage());
            return Exits.FAILED;
        }
        return Exits.OK;
    }

    /** The published journeys; without them (no definitions topic) the report shows the steps the events name. */
    private static List<Journey> published(JobConfig config, int maxSteps, PrintWriter err) {
        String definitions = config.string(JobConfig.Key.TOPIC_DEFINITIONS);
        try {
            return PublishedJourneys.read(config.string(JobConfig.Key.BOOTSTRAP_SERVERS), definitions, maxSteps);
        } catch (IllegalStateException | KafkaException e) {
            err.println("warning: no journey documents from " + definitions + " (" + e.getMessage()
                    + "); the report shows the steps the events name (--journeys gives the graphs)");
            return List.of();
        }
    }

    /** Until Ctrl-C: the shutdown hook stops the reading and waits for the last report to be written. */
    private void follow(StepEventsTopic events, ReportBuilder builder, ReportOutputs outputs, PrintWriter err) {
        CountDownLatch done = new CountDownLatch(1);
        Thread hook = new Thread(() -> {
            events.stop();
            try {
                done.await(LAST_REPORT_SECONDS, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "report-follow-stop");
        Runtime.getRuntime().addShutdownHook(hook);
        try {
            events.follow(builder, every, report -> {
                try {
                    outputs.writeAgain(report, builder.events());
                } catch (IOException e) {
                    err.println("error: cannot write the report: " + e.getMessage());
                }
            });
        } finally {
            done.countDown();
        }
    }
}
