package io.journeys.cli;

import io.journeys.dsl.Journey;
import io.journeys.dsl.DefinitionParser;
import io.journeys.dsl.JourneySetChecker;
import java.util.ArrayList;
import io.journeys.dsl.Problem;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

@Command(name = "validate", mixinStandardHelpOptions = true,
        description = "Validates journey files (or folders of *.json); lists every problem. Exit 0 if all are valid, 1 if not.")
final class ValidateCommand implements Callable<Integer> {

    @Parameters(arity = "1..*", paramLabel = "FILE", description = "journey files or folders")
    List<Path> paths;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        boolean allValid = true;
        List<Journey> journeys = new ArrayList<>();
        List<Path> files = JourneyFiles.expand(paths);
        if (files.isEmpty()) {
            spec.commandLine().getErr().println("error: no journey files in " + paths);
            return Exits.FAILED;
        }
        for (Path file : files) {
            String document;
            try {
                document = JourneyFiles.read(file);
            } catch (JourneyFiles.InputFileException e) {
                out.println(file + ": " + e.getMessage());
                allValid = false;
                continue;
            }
            DefinitionParser.Definition definition = DefinitionParser.parse(document);
            if (definition.valid()) {
                if (definition.isJourney()) {
                    journeys.add(definition.journey().journey());
                }
                out.println(file + ": valid (" + definition.describe() + ")");
            } else {
                allValid = false;
                out.println(file + ": " + definition.problems().size() + " problem(s)");
                for (Problem problem : definition.problems()) {
                    out.println("  " + problem);
                }
            }
        }
        // jumps between the files given: a loop is an error; a jump outside them may be published separately
        for (JourneySetChecker.SetProblem problem : JourneySetChecker.check(journeys, false)) {
            allValid = false;
            out.println(problem);
        }
        out.flush();
        return allValid ? Exits.OK : Exits.FAILED;
    }
}
