package io.journeys.designer;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.journeys.dsl.Problem;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * The folder's documents over HTTP: list, read and write them byte for byte, validate them, and the sample
 * inputs test mode runs on.
 */
final class DocumentRoutes {

    static final String DOCUMENTS = "/api/documents";
    static final String SAMPLE_EVENTS = "events.jsonl";
    static final String SAMPLE_PROFILES = "profiles.jsonl";

    private final DocumentFolder folder;
    private final FolderValidation validation;

    DocumentRoutes(DocumentFolder folder, FolderValidation validation) {
        this.folder = folder;
        this.validation = validation;
    }

    void register(Router router) {
        router.on("GET", DOCUMENTS, request -> list())
                .onParameter("GET", DOCUMENTS + "/", request -> read(request.parameter()))
                .onParameter("PUT", DOCUMENTS + "/", this::write)
                .on("POST", "/api/validate", this::validate)
                .on("GET", "/api/samples", request -> samples());
    }

    /** {@code [{file, kind, id, version}]}, with {@code problems} for a file that is not a JSON object. */
    private Answer list() throws Exception {
        ArrayNode documents = Answer.JSON.createArrayNode();
        for (String name : folder.names()) {
            byte[] content;
            try {
                content = folder.read(name);
            } catch (ApiException goneMeanwhile) {
                continue;
            }
            documents.add(DocumentSummary.of(name, new String(content, StandardCharsets.UTF_8)).toJson());
        }
        return Answer.json(200, documents);
    }

    /** The file's bytes unchanged: the page's JSON view and its byte-identical round trip start from them. */
    private Answer read(String name) throws Exception {
        return new Answer(200, Answer.JSON_TYPE, folder.read(name));
    }

    /** Writes the body as it came, then answers the validation of what was written (a draft with problems is saved too). */
    private Answer write(Request request) throws Exception {
        String name = request.parameter();
        byte[] content = request.body();
        boolean created = folder.write(name, content);
        List<Problem> problems = validation.validate(new String(content, StandardCharsets.UTF_8), name);
        ObjectNode answer = Answer.JSON.createObjectNode().put("file", name).put("created", created);
        answer.set("problems", ProblemsJson.array(problems));
        return Answer.json(created ? 201 : 200, answer);
    }

    /** {@code ?file=NAME}: the body stands in for that file of the folder (as when it is saved there). */
    private Answer validate(Request request) throws Exception {
        return Answer.ok(ProblemsJson.answer(validation.validate(request.bodyText(),
                FolderValidation.replacedFile(request))));
    }

    /** {@code {"events": text | null, "profiles": text | null}}, ready for {@code POST /api/simulate}. */
    private Answer samples() throws Exception {
        ObjectNode answer = Answer.JSON.createObjectNode();
        answer.put("events", folder.readSample(SAMPLE_EVENTS).orElse(null));
        answer.put("profiles", folder.readSample(SAMPLE_PROFILES).orElse(null));
        return Answer.ok(answer);
    }
}
