package io.journeys.cli;

import io.journeys.dsl.ActionDefinition;
import io.journeys.dsl.RuleSet;
import io.journeys.dsl.DefinitionParser;
import io.journeys.dsl.Journey;
import io.journeys.dsl.JourneySetChecker;
import io.journeys.job.DefinitionPublisher;
import io.journeys.job.JobConfig;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(name = "publish", mixinStandardHelpOptions = true,
        description = "Validates journeys and publishes them to the definitions topic; the running job picks them up.")
final class PublishCommand implements Callable<Integer> {

    @Parameters(arity = "1..*", paramLabel = "FILE", description = "journey files or folders of *.json")
    List<Path> paths;

    @Mixin
    ConfigOptions options;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        JobConfig config;
        List<Journey> journeys = new ArrayList<>();
        List<ActionDefinition> actions = new ArrayList<>();
        List<RuleSet> ruleSets = new ArrayList<>();
        try {
            config = options.load();
            boolean valid = true;
            for (Path file : JourneyFiles.expand(paths)) {
                String document = JourneyFiles.read(file);
                DefinitionParser.Definition definition = DefinitionParser.parse(document,
                        config.guardRails().maxStepsPerJourney());
                if (!definition.valid()) {
                    valid = false;
                    err.println(file + ": " + definition.problems().size() + " problem(s)");
                    definition.problems().forEach(p -> err.println("  " + p));
                } else if (definition.isAction()) {
                    actions.add(definition.action().action());
                } else if (definition.isRules()) {
                    ruleSets.add(definition.rules().rules());
                } else {
                    journeys.add(definition.journey().journey());
                }
            }
            for (JourneySetChecker.SetProblem problem : JourneySetChecker.check(journeys, false)) {
                valid = false;
                err.println(problem);
            }
            if (!valid) {
                return Exits.FAILED;
            }
        } catch (JobConfig.ConfigException | JourneyFiles.InputFileException e) {
            err.println("error: " + e.getMessage());
            return Exits.USAGE;
        }
        DefinitionPublisher publisher = new DefinitionPublisher(config.string(JobConfig.Key.BOOTSTRAP_SERVERS),
                config.string(JobConfig.Key.TOPIC_DEFINITIONS));
        // the job refuses a journey whose rule set it has not loaded: one not given here must be published already
        List<JourneySetChecker.SetProblem> missingRules = missingRuleSets(journeys, ruleSets, publisher);
        if (!missingRules.isEmpty()) {
            missingRules.forEach(err::println);
            return Exits.FAILED;
        }
        // rule sets and actions first: a journey that names one finds it published
        publisher.publishRules(ruleSets);
        publisher.publishActions(actions);
        publisher.publish(journeys);
        ruleSets.forEach(r -> out.println("published rules " + r.id() + " v" + r.version() + " to "
                + config.string(JobConfig.Key.TOPIC_DEFINITIONS)));
        actions.forEach(a -> out.println("published action " + a.id() + " v" + a.version() + " to "
                + config.string(JobConfig.Key.TOPIC_DEFINITIONS)));
        journeys.forEach(j -> out.println("published " + j.id() + " v" + j.version() + " to "
                + config.string(JobConfig.Key.TOPIC_DEFINITIONS)));
        return Exits.OK;
    }

    private static List<JourneySetChecker.SetProblem> missingRuleSets(List<Journey> journeys, List<RuleSet> given,
            DefinitionPublisher publisher) throws Exception {
        java.util.Set<String> known = new java.util.HashSet<>();
        given.forEach(rules -> known.add(rules.id()));
        if (journeys.stream().anyMatch(j -> j.rules() != null && !known.contains(j.rules()))) {
            publisher.latestDocuments().keySet().stream().filter(key -> key.startsWith("rules:"))
                    .forEach(key -> known.add(key.substring("rules:".length())));
        }
        return JourneySetChecker.unknownRules(journeys, known);
    }
}
