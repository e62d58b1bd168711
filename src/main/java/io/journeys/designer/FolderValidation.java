package io.journeys.designer;

import io.journeys.dsl.DefinitionParser;
import io.journeys.dsl.Journey;
import io.journeys.dsl.JourneySetChecker;
import io.journeys.dsl.Problem;
import io.journeys.dsl.ProblemCode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Validates a document as {@code ./journeys validate DIR} would with that document in the folder: the engine's
 * parser (with the job's bound on steps), then the check {@code validate} makes across files, a loop of jumps
 * through the folder's journeys. A jump to a journey or a call of an action that is not in the folder is not a
 * problem here, as it is not for {@code validate}: it may be published on its own ({@code POST /api/simulate}
 * runs a complete set and refuses them). A rule set is another matter: the job refuses a journey whose rule set
 * it has not loaded, so a journey that names one the folder lacks (or has only with problems) gets the
 * simulation's JRN-035.
 */
final class FolderValidation {

    private final DocumentFolder folder;
    private final int maxSteps;

    FolderValidation(DocumentFolder folder, int maxSteps) {
        this.folder = folder;
        this.maxSteps = maxSteps;
    }

    /**
     * The problems of {@code text} standing in for the file {@code replacing} (null for none) and for any other
     * document of the folder with the same journey id and version.
     */
    List<Problem> validate(String text, String replacing) throws IOException {
        DefinitionParser.Definition definition = DefinitionParser.parse(text, maxSteps);
        if (!definition.valid() || !definition.isJourney()) {
            return definition.problems();
        }
        Journey journey = definition.journey().journey();
        Others others = others(journey, replacing);
        List<Journey> set = new ArrayList<>(others.journeys);
        set.add(journey);
        List<Problem> problems = new ArrayList<>();
        for (JourneySetChecker.SetProblem problem : JourneySetChecker.check(set, false)) {
            if (problem.journeyId().equals(journey.id()) && problem.version() == journey.version()) {
                problems.add(problem.problem());
            }
        }
        for (JourneySetChecker.SetProblem problem : JourneySetChecker.unknownRules(List.of(journey), others.ruleSetIds)) {
            problems.add(others.brokenRuleSets.contains(journey.rules()) ? withProblems(problem.problem(), journey.rules())
                    : problem.problem());
        }
        return problems;
    }

    /** The file a request's body stands in for ({@code ?file=NAME}), or null; 400 for a name that is not a document's. */
    static String replacedFile(Request request) throws ApiException {
        String name = request.query("file");
        if (name != null && DocumentFolder.problem(name) != null) {
            throw ApiException.badRequest(DocumentFolder.problem(name));
        }
        return name;
    }

    /** JRN-035 that says why: the folder has the rule set, but it does not validate, so nothing would load it. */
    private static Problem withProblems(Problem problem, String ruleSetId) {
        return new Problem(ProblemCode.UNKNOWN_RULES, problem.pointer(), "Expected rule set " + ruleSetId
                + " to be loaded with the journey, but its document in the folder has problems");
    }

    /** The folder's other journeys, and the ids of its rule sets (valid, and with problems). */
    private record Others(List<Journey> journeys, Set<String> ruleSetIds, Set<String> brokenRuleSets) {}

    private Others others(Journey journey, String replacing) throws IOException {
        Others others = new Others(new ArrayList<>(), new LinkedHashSet<>(), new LinkedHashSet<>());
        for (String name : folder.names()) {
            if (name.equals(replacing)) {
                continue;
            }
            String text;
            try {
                text = new String(folder.read(name), StandardCharsets.UTF_8);
            } catch (ApiException | IOException goneMeanwhile) {
                continue;
            }
            DefinitionParser.Definition other = DefinitionParser.parse(text, maxSteps);
            if (other.valid() && other.isJourney()) {
                Journey found = other.journey().journey();
                if (!(found.id().equals(journey.id()) && found.version() == journey.version())) {
                    others.journeys.add(found);
                }
            } else if (other.isRules() && other.valid()) {
                others.ruleSetIds.add(other.rules().rules().id());
            } else if (other.isRules() && DocumentSummary.of(name, text).id() != null) {
                others.brokenRuleSets.add(DocumentSummary.of(name, text).id());
            }
        }
        return others;
    }
}
