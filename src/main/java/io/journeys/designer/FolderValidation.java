package io.journeys.designer;

import io.journeys.dsl.DefinitionParser;
import io.journeys.dsl.Journey;
import io.journeys.dsl.JourneySetChecker;
import io.journeys.dsl.Problem;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Validates a document as {@code ./journeys validate DIR} would with that document in the folder: the engine's
 * parser (with the job's bound on steps), then the check {@code validate} makes across files, a loop of jumps
 * through the folder's journeys. A jump to a journey or a call of an action that is not in the folder is not a
 * problem here, as it is not for {@code validate}: it may be published on its own ({@code POST /api/simulate}
 * runs a complete set and refuses them).
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
        List<Journey> set = new ArrayList<>(otherJourneys(journey, replacing));
        set.add(journey);
        List<Problem> problems = new ArrayList<>();
        for (JourneySetChecker.SetProblem problem : JourneySetChecker.check(set, false)) {
            if (problem.journeyId().equals(journey.id()) && problem.version() == journey.version()) {
                problems.add(problem.problem());
            }
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

    private List<Journey> otherJourneys(Journey journey, String replacing) throws IOException {
        List<Journey> others = new ArrayList<>();
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
                    others.add(found);
                }
            }
        }
        return others;
    }
}
