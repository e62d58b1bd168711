package io.journeys.designer;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.journeys.dsl.DefinitionParser;
import io.journeys.dsl.DocumentSet;
import io.journeys.dsl.JourneySetChecker;
import io.journeys.engine.GuardRails;
import io.journeys.http.InlineHttpCalls;
import io.journeys.job.Simulation;
import io.journeys.job.SimulationRun;
import io.journeys.report.ReportJson;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import java.util.concurrent.locks.ReentrantLock;

/**
 * {@code POST /api/simulate}: the real simulation, as {@code ./journeys simulate} runs it (event time on a
 * local Flink cluster, real wait lengths and split hashes, every profile), of the documents and sample inputs
 * the page sends, answered with report.json and the outputs.
 */
final class TestMode {

    private static final Set<String> FIELDS = Set.of("documents", "events", "profiles");

    private final GuardRails guardRails;
    private final int parallelism;
    private final List<String> allowedHosts;
    /** One simulation at a time: each starts a local Flink cluster, and two would only slow each other down. */
    private final ReentrantLock running = new ReentrantLock(true);

    TestMode(GuardRails guardRails, int parallelism, List<String> allowedHosts) {
        this.guardRails = guardRails;
        this.parallelism = parallelism;
        this.allowedHosts = List.copyOf(allowedHosts);
    }

    void register(Router router) {
        router.on("POST", "/api/simulate", this::simulate);
    }

    private Answer simulate(Request request) throws Exception {
        JsonNode body = request.bodyJson();
        checkFields(body);
        DocumentSet documents = DocumentSet.parse(texts(body.get("documents")), guardRails.maxStepsPerJourney());
        ArrayNode problems = problems(documents);
        if (!problems.isEmpty()) {
            ObjectNode answer = Answer.errorBody(problems.size() + " of the documents have problems; nothing ran");
            answer.set("documents", problems);
            return Answer.json(400, answer);
        }
        Simulation.Builder simulation = Simulation.builder()
                .eventLines(lines(body, "events", true))
                .profileLines(lines(body, "profiles", false))
                .parallelism(parallelism)
                .guardRails(guardRails)
                .inlineCalls(new InlineHttpCalls(allowedHosts));
        SimulationRun.Outcome outcome;
        running.lockInterruptibly();
        try {
            outcome = SimulationRun.run(documents, simulation);
        } finally {
            running.unlock();
        }
        return Answer.ok(answer(outcome));
    }

    private static void checkFields(JsonNode body) throws ApiException {
        if (!body.isObject()) {
            throw ApiException.badRequest("Expected {\"documents\": [text...], \"events\": \"jsonl\", \"profiles\"?: \"jsonl\"}");
        }
        for (Iterator<String> names = body.fieldNames(); names.hasNext(); ) {
            String name = names.next();
            if (!FIELDS.contains(name)) {
                throw ApiException.badRequest("Expected only the fields " + FIELDS + ", but got \"" + name + "\"");
            }
        }
    }

    private static List<String> texts(JsonNode documents) throws ApiException {
        if (documents == null || !documents.isArray() || documents.isEmpty()) {
            throw ApiException.badRequest("Expected documents: a non-empty array of documents, each as its text");
        }
        List<String> texts = new ArrayList<>();
        for (JsonNode document : documents) {
            if (!document.isTextual()) {
                throw ApiException.badRequest("Expected each document as a string (its text, unchanged), but got "
                        + document.getNodeType().name().toLowerCase(java.util.Locale.ROOT));
            }
            texts.add(document.textValue());
        }
        return texts;
    }

    /** JSON lines as the simulate command reads a file: one input per line (blank lines are skipped). */
    private static List<String> lines(JsonNode body, String field, boolean required) throws ApiException {
        JsonNode text = body.get(field);
        if (text == null || text.isNull()) {
            if (required) {
                throw ApiException.badRequest("Expected " + field + ": JSON lines, one object per line");
            }
            return List.of();
        }
        if (!text.isTextual()) {
            throw ApiException.badRequest("Expected " + field + " as a string of JSON lines, one object per line");
        }
        return text.textValue().lines().toList();
    }

    /**
     * Per document with problems: {@code {index, id, version, problems}}; the problems across documents (a jump
     * or call to one that is not among them, a loop of jumps) go to the journey they are in.
     */
    private static ArrayNode problems(DocumentSet documents) {
        List<DocumentSet.Entry> entries = documents.entries();
        List<List<io.journeys.dsl.Problem>> byDocument = new ArrayList<>();
        entries.forEach(e -> byDocument.add(new ArrayList<>(e.definition().problems())));
        if (documents.allValid()) {
            for (JourneySetChecker.SetProblem problem : documents.completeSetProblems()) {
                byDocument.get(indexOf(entries, problem)).add(problem.problem());
            }
        }
        ArrayNode answer = Answer.JSON.createArrayNode();
        for (int i = 0; i < entries.size(); i++) {
            if (byDocument.get(i).isEmpty()) {
                continue;
            }
            DocumentSummary summary = DocumentSummary.of(null, entries.get(i).text());
            ObjectNode document = answer.addObject().put("index", i).put("id", summary.id())
                    .put("version", summary.version());
            document.set("problems", ProblemsJson.array(byDocument.get(i)));
        }
        return answer;
    }

    private static int indexOf(List<DocumentSet.Entry> entries, JourneySetChecker.SetProblem problem) {
        for (int i = 0; i < entries.size(); i++) {
            DefinitionParser.Definition definition = entries.get(i).definition();
            if (definition.isJourney() && definition.journey().journey().id().equals(problem.journeyId())
                    && definition.journey().journey().version() == problem.version()) {
                return i;
            }
        }
        throw new IllegalStateException("Expected a document of " + problem.journeyId() + " v" + problem.version());
    }

    private static ObjectNode answer(SimulationRun.Outcome outcome) {
        ObjectNode answer = Answer.JSON.createObjectNode();
        answer.set("report", ReportJson.tree(outcome.report()));
        answer.set("actions", jsonLines(outcome.result().actions()));
        answer.set("steps", jsonLines(outcome.result().steps()));
        answer.set("profileWrites", jsonLines(outcome.result().profileWrites()));
        answer.set("deadLetters", jsonLines(outcome.result().deadLetters()));
        return answer;
    }

    private static ArrayNode jsonLines(List<String> lines) {
        ArrayNode array = Answer.JSON.createArrayNode();
        for (String line : lines) {
            try {
                array.add(Answer.JSON.readTree(line));
            } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
                throw new IllegalStateException("Expected the job to write JSON, but got " + line, e);
            }
        }
        return array;
    }
}
