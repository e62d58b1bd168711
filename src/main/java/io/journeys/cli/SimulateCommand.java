package io.journeys.cli;

import io.journeys.avro.RawRecord;
import io.journeys.dsl.DefinitionParser;
import io.journeys.dsl.DocumentSet;
import io.journeys.dsl.JourneySetChecker;
import io.journeys.engine.GuardRails;
import io.journeys.http.InlineCalls;
import io.journeys.job.JobConfig;
import io.journeys.job.Simulation;
import io.journeys.job.SimulationRun;
import io.journeys.report.Report;
import io.journeys.report.ReportJson;
import io.journeys.report.ReportTable;
import io.journeys.sendtime.EngagementTypes;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.DateTimeException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(name = "simulate", mixinStandardHelpOptions = true,
        description = {"Runs the real job in event time on a local Flink cluster (RocksDB state) over sample events,",
                "writes DIR/actions.jsonl, DIR/steps.jsonl, DIR/profile-writes.jsonl, DIR/dead-letters.jsonl and",
                "DIR/report.json (see the report command), and prints a summary per journey and its steps' counts."})
final class SimulateCommand implements Callable<Integer> {

    private static final int ACTIONS_SHOWN = 20;

    @Option(names = "--journeys", arity = "1..*", required = true, paramLabel = "PATH",
            description = "journey files or folders of *.json")
    List<Path> journeyPaths;

    @Option(names = "--events", required = true, paramLabel = "FILE",
            description = "profile events, one JSON object per line, in any order")
    Path events;

    @Option(names = "--profiles", paramLabel = "FILE", description = "profile updates, one JSON object per line")
    Path profiles;

    @Option(names = "--audiences", paramLabel = "DIR",
            description = "audience exports: DIR/<audienceId>/<exportId>/ with part files (.csv, .jsonl, .avro) and _SUCCESS")
    Path audiences;

    @Option(names = "--qualifications", paramLabel = "FILE",
            description = "audience qualifications, one JSON object per line: profileId, audienceId, status (enter|exit), timestamp")
    Path qualifications;

    @Option(names = "--responses", paramLabel = "FILE",
            description = "canned answers of calls, JSON lines {\"action\", \"status\", \"body\"} (optionally \"profileId\"); "
                    + "without it, calls are real HTTP requests to the hosts the configuration allows")
    Path responses;

    @Option(names = "--until", paramLabel = "INSTANT",
            description = "simulate up to this instant (ISO-8601); default: until every wait is over")
    String until;

    @Option(names = "--out", required = true, paramLabel = "DIR", description = "folder for the output files")
    Path out;

    @Option(names = "--parallelism", paramLabel = "N",
            description = "parallelism of the local cluster (default: the configuration's parallelism, 2)")
    Integer parallelism;

    @Option(names = "--config", paramLabel = "FILE", description = "job configuration (YAML); see README, Configuration")
    Path config;

    @Option(names = "--set", paramLabel = "KEY=VALUE", description = "overrides one configuration key")
    List<String> overrides = new ArrayList<>();

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        PrintWriter err = spec.commandLine().getErr();
        Instant untilInstant;
        JobConfig jobConfig;
        GuardRails guardRails;
        EngagementTypes engagements;
        DocumentSet documents;
        List<String> eventLines;
        List<String> profileLines;
        List<String> qualificationLines;
        List<RawRecord> audienceMembers;
        InlineCalls inlineCalls;
        try {
            untilInstant = parseUntil();
            jobConfig = JobConfig.load(config, overrides);
            guardRails = jobConfig.guardRails();
            engagements = jobConfig.engagements();
            List<Path> files = JourneyFiles.expand(journeyPaths);
            if (files.isEmpty()) {
                err.println("error: no journey files in " + journeyPaths);
                return Exits.USAGE;
            }
            List<String> texts = new ArrayList<>();
            for (Path file : files) {
                texts.add(JourneyFiles.read(file));
            }
            documents = DocumentSet.parse(texts, guardRails.maxStepsPerJourney());
            if (!listProblems(files, documents, err)) {
                err.flush();
                return Exits.FAILED;
            }
            eventLines = JourneyFiles.readLines(events);
            profileLines = profiles == null ? List.of() : JourneyFiles.readLines(profiles);
            qualificationLines = qualifications == null ? List.of() : JourneyFiles.readLines(qualifications);
            if (audiences != null && !Files.isDirectory(audiences)) {
                throw new JourneyFiles.InputFileException("--audiences expects a folder, but " + audiences + " is not one");
            }
            audienceMembers = audiences == null ? List.of() : io.journeys.exports.AudienceExports.read(audiences);
            inlineCalls = responses == null ? new io.journeys.http.InlineHttpCalls(jobConfig.allowedHosts())
                    : io.journeys.http.CannedCalls.parse(JourneyFiles.readLines(responses));
        } catch (JourneyFiles.InputFileException | JobConfig.ConfigException | IOException
                | IllegalArgumentException | java.io.UncheckedIOException e) {
            err.println("error: " + e.getMessage());
            err.flush();
            return Exits.USAGE;
        }

        SimulationRun.Outcome outcome = SimulationRun.run(documents, Simulation.builder()
                .eventLines(eventLines)
                .profileLines(profileLines)
                .qualificationLines(qualificationLines)
                .audienceMembers(audienceMembers)
                .until(untilInstant)
                .parallelism(parallelism != null ? parallelism : jobConfig.parallelism())
                .guardRails(guardRails)
                .engagements(engagements)
                .inlineCalls(inlineCalls));
        Simulation.Result result = outcome.result();
        Report report = outcome.report();
        write(result, report);
        print(result, report);
        return Exits.OK;
    }

    private Instant parseUntil() throws JourneyFiles.InputFileException {
        if (until == null) {
            return null;
        }
        try {
            return Instant.parse(until);
        } catch (DateTimeException e) {
            throw new JourneyFiles.InputFileException(
                    "--until expects an ISO-8601 instant such as 2026-03-01T09:00:00Z, but got \"" + until + "\"");
        }
    }

    /**
     * Prints each file's problems, then (when every file is valid) those across the files; true when there are
     * none.
     */
    private static boolean listProblems(List<Path> files, DocumentSet documents, PrintWriter err) {
        boolean valid = true;
        for (int i = 0; i < files.size(); i++) {
            DefinitionParser.Definition definition = documents.entries().get(i).definition();
            if (!definition.valid()) {
                valid = false;
                err.println(files.get(i) + ": " + definition.problems().size() + " problem(s)");
                definition.problems().forEach(p -> err.println("  " + p));
            }
        }
        if (!valid) {
            return false;
        }
        List<JourneySetChecker.SetProblem> setProblems = documents.completeSetProblems();
        setProblems.forEach(err::println);
        return setProblems.isEmpty();
    }

    private void write(Simulation.Result result, Report report) throws IOException {
        Files.createDirectories(out);
        Files.write(out.resolve("actions.jsonl"), result.actions());
        Files.write(out.resolve("steps.jsonl"), result.steps());
        Files.write(out.resolve("profile-writes.jsonl"), result.profileWrites());
        Files.write(out.resolve("dead-letters.jsonl"), result.deadLetters());
        Files.writeString(out.resolve("report.json"), ReportJson.render(report) + "\n");
    }

    private void print(Simulation.Result result, Report report) {
        PrintWriter console = spec.commandLine().getOut();
        console.println(SimulationSummary.of(result).render());
        // the whole report: each journey's goals, steps and experiments, as the report command prints it
        console.println("Report:");
        console.print(ReportTable.render(report));
        console.println("Action requests (" + result.actions().size() + "):");
        result.actions().stream().limit(ACTIONS_SHOWN).forEach(line -> console.println("  " + line));
        if (result.actions().size() > ACTIONS_SHOWN) {
            console.println("  ... " + (result.actions().size() - ACTIONS_SHOWN) + " more");
        }
        console.println("Dead letters: " + result.deadLetters().size());
        console.println("Written: " + out.resolve("actions.jsonl") + ", " + out.resolve("steps.jsonl") + ", "
                + out.resolve("profile-writes.jsonl") + ", " + out.resolve("dead-letters.jsonl") + ", "
                + out.resolve("report.json"));
        console.flush();
    }
}
