package io.journeys.designer;

import static io.journeys.designer.DesignerClient.json;
import static io.journeys.designer.DesignerClient.quoted;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.journeys.job.JobConfig;
import java.io.IOException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The designer's API over a copy of jobs/nudge, without Kafka: a real server on a free port, real HTTP. */
class DesignerServerTest {

    private static final int BODY_LIMIT = 64 * 1024;

    @TempDir
    Path temp;

    private Path folder;
    private DesignerServer server;
    private DesignerClient client;
    private final List<String> log = new ArrayList<>();

    @BeforeEach
    void startOnACopyOfNudge() throws Exception {
        folder = Files.createDirectories(temp.resolve("nudge"));
        try (Stream<Path> files = Files.list(Path.of("jobs/nudge"))) {
            for (Path file : files.toList()) {
                Files.copy(file, folder.resolve(file.getFileName()));
            }
        }
        server = DesignerServer.start(new DesignerServer.Settings(folder, 0, JobConfig.defaults(), null, BODY_LIMIT,
                log::add));
        client = new DesignerClient(server);
    }

    @AfterEach
    void stop() throws Exception {
        server.close();
    }

    @Test
    void shouldListTheFoldersDocumentsWithKindIdAndVersion() throws Exception {
        Files.writeString(folder.resolve("marketing.json"), "{\"kind\": \"rules\", \"id\": \"marketing\", \"version\": 3}");
        Files.writeString(folder.resolve("broken.json"), "{\"id\": \"half");
        Files.writeString(folder.resolve("notes.txt"), "not a document");

        HttpResponse<byte[]> response = client.get("/api/documents");

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type")).hasValue("application/json");
        JsonNode documents = json(response);
        assertThat(documents).hasSize(3);
        assertThat(documents.get(0).get("file").asText()).isEqualTo("broken.json");
        assertThat(documents.get(0).get("kind").isNull()).isTrue();
        assertThat(documents.get(0).get("id").isNull()).isTrue();
        assertThat(documents.get(0).get("problems").get(0).get("code").asText()).isEqualTo("JRN-001");
        assertThat(documents.get(1).toString())
                .isEqualTo("{\"file\":\"journey.json\",\"kind\":\"journey\",\"id\":\"nudge\",\"version\":1}");
        assertThat(documents.get(2).toString())
                .isEqualTo("{\"file\":\"marketing.json\",\"kind\":\"rules\",\"id\":\"marketing\",\"version\":3}");
    }

    @Test
    void shouldGiveAFileByteForByteAndLeaveItByteIdenticalWhenTheSameBytesArePut() throws Exception {
        byte[] original = Files.readAllBytes(folder.resolve("journey.json"));

        HttpResponse<byte[]> read = client.get("/api/documents/journey.json");
        assertThat(read.statusCode()).isEqualTo(200);
        assertThat(read.headers().firstValue("Content-Type")).hasValue("application/json");
        assertThat(read.body()).isEqualTo(original);

        HttpResponse<byte[]> written = client.put("/api/documents/journey.json", read.body());
        assertThat(written.statusCode()).isEqualTo(200);
        assertThat(json(written).toString()).isEqualTo("{\"file\":\"journey.json\",\"created\":false,\"problems\":[]}");
        assertThat(Files.readAllBytes(folder.resolve("journey.json"))).isEqualTo(original);
        try (Stream<Path> files = Files.list(folder)) {
            assertThat(files.map(f -> f.getFileName().toString())).as("no temporary file left")
                    .containsExactlyInAnyOrder("journey.json", "events.jsonl", "expected-actions.jsonl", "README.md");
        }
    }

    @Test
    void shouldWriteANewFileAsSentAndAnswerTheProblemsOfWhatWasWritten() throws Exception {
        byte[] draft = brokenNext().getBytes(StandardCharsets.UTF_8);

        HttpResponse<byte[]> written = client.put("/api/documents/draft.json", draft);

        assertThat(written.statusCode()).isEqualTo(201);
        assertThat(json(written).get("created").asBoolean()).isTrue();
        assertThat(json(written).get("problems").get(0).get("code").asText()).isEqualTo("JRN-013");
        assertThat(Files.readAllBytes(folder.resolve("draft.json"))).isEqualTo(draft);
    }

    @Test
    void shouldRefuseFilesOutsideTheFolder() throws Exception {
        Path outside = Files.writeString(temp.resolve("outside.json"), "{\"id\": \"secret\"}");
        Files.createSymbolicLink(folder.resolve("escape.json"), outside);
        byte[] body = "{}".getBytes(StandardCharsets.UTF_8);

        for (String path : List.of("/api/documents/..%2Foutside.json", "/api/documents/../outside.json",
                "/api/documents/%2E%2E", "/api/documents/sub%2Fx.json", "/api/documents/%2Ftmp%2Fx.json",
                "/api/documents/journey.txt", "/api/documents/.hidden.json", "/api/documents/a%5Cb.json")) {
            HttpResponse<byte[]> put = client.put(path, body);
            assertThat(put.statusCode()).as(path).isEqualTo(400);
            assertThat(json(put).get("error").asText()).as(path).isNotBlank();
        }
        assertThat(client.put("/api/documents/escape.json", body).statusCode()).isEqualTo(403);
        HttpResponse<byte[]> read = client.get("/api/documents/escape.json");
        assertThat(read.statusCode()).isEqualTo(403);
        assertThat(json(read).get("error").asText()).contains("link out of it");

        assertThat(Files.readString(outside)).isEqualTo("{\"id\": \"secret\"}");
        assertThat(Files.exists(temp.resolve("x.json"))).isFalse();
        assertThat(json(client.get("/api/documents"))).extracting(d -> d.get("file").asText())
                .containsExactly("journey.json");
    }

    @Test
    void shouldListABrokenNextWithItsPointerAndNoProblemOnceFixed() throws Exception {
        HttpResponse<byte[]> broken = client.post("/api/validate", brokenNext());

        assertThat(broken.statusCode()).isEqualTo(200);
        JsonNode problems = json(broken).get("problems");
        assertThat(problems).hasSize(1);
        assertThat(problems.get(0).get("code").asText()).isEqualTo("JRN-013");
        assertThat(problems.get(0).get("pointer").asText()).isEqualTo("/steps/email-a/next");
        assertThat(problems.get(0).get("message").asText()).contains("reactoin");

        HttpResponse<byte[]> fixed = client.post("/api/validate", nudge());
        assertThat(json(fixed).toString()).isEqualTo("{\"problems\":[]}");
    }

    @Test
    void shouldFindALoopOfJumpsThroughTheFoldersJourneys() throws Exception {
        Files.writeString(folder.resolve("a.json"), jumper("a", "b"));

        JsonNode problems = json(client.post("/api/validate", jumper("b", "a"))).get("problems");

        assertThat(problems).hasSize(1);
        assertThat(problems.get(0).get("code").asText()).isEqualTo("JRN-026");
        assertThat(problems.get(0).get("pointer").asText()).isEqualTo("/steps/hop/journey");
        // standing in for a.json, b's jump to a has no loop to close
        assertThat(json(client.post("/api/validate?file=a.json", jumper("b", "a"))).get("problems")).isEmpty();
        // a jump to a journey the folder lacks is no problem for validate, as for ./journeys validate
        assertThat(json(client.post("/api/validate", jumper("c", "elsewhere"))).get("problems")).isEmpty();
    }

    @Test
    void shouldValidateAJourneyUnderARuleSetOnlyWhenTheFolderHasThatRuleSet() throws Exception {
        Files.writeString(folder.resolve("marketing.json"), MARKETING);

        assertThat(json(client.post("/api/validate", underRules("marketing"))).get("problems")).isEmpty();
        JsonNode missing = json(client.post("/api/validate", underRules("other"))).get("problems");
        assertThat(missing).hasSize(1);
        assertThat(missing.get(0).get("code").asText()).isEqualTo("JRN-035");
        assertThat(missing.get(0).get("pointer").asText()).isEqualTo("/rules");
        // a rule set that does not validate would not be loaded either: said so
        Files.writeString(folder.resolve("promo.json"), MARKETING.replace("\"marketing\"", "\"promo\"")
                .replace("\"day\"", "\"fortnight\""));
        JsonNode broken = json(client.post("/api/validate", underRules("promo"))).get("problems");
        assertThat(broken.get(0).get("code").asText()).isEqualTo("JRN-035");
        assertThat(broken.get(0).get("message").asText()).contains("has problems");
        // publishing validates the same way: refused without Kafka anyway, but the journey PUT answers it
        JsonNode written = json(client.put("/api/documents/promo-journey.json",
                underRules("other").getBytes(StandardCharsets.UTF_8)));
        assertThat(written.get("problems").get(0).get("code").asText()).isEqualTo("JRN-035");
    }

    @Test
    void shouldListEveryProblemOfARuleSetWithItsPointerAndSaveItAsWritten() throws Exception {
        String bad = MARKETING.replace("\"day\"", "\"fortnight\"").replace("\"21:00\"", "\"25:00\"");

        HttpResponse<byte[]> written = client.put("/api/documents/marketing.json", bad.getBytes(StandardCharsets.UTF_8));

        assertThat(written.statusCode()).isEqualTo(201);
        JsonNode problems = json(written).get("problems");
        assertThat(problems).extracting(p -> p.get("code").asText() + " " + p.get("pointer").asText())
                .containsExactlyInAnyOrder("JRN-037 /frequency/0/per", "JRN-036 /quietHours/0/from");
        assertThat(client.get("/api/documents/marketing.json").body()).isEqualTo(bad.getBytes(StandardCharsets.UTF_8));
        assertThat(json(client.post("/api/validate?file=marketing.json", MARKETING)).toString()).isEqualTo("{\"problems\":[]}");
        assertThat(json(client.get("/api/documents")).toString()).contains(
                "{\"file\":\"marketing.json\",\"kind\":\"rules\",\"id\":\"marketing\",\"version\":1}");
    }

    @Test
    void shouldRefuseToSimulateAJourneyWithoutTheRuleSetItNames() throws Exception {
        String without = "{\"documents\": [" + quoted(underRules("marketing")) + "], \"events\": \"\"}";

        JsonNode refused = json(client.post("/api/simulate", without));

        assertThat(refused.get("documents").get(0).get("index").asInt()).isZero();
        assertThat(refused.get("documents").get(0).get("problems").get(0).get("code").asText()).isEqualTo("JRN-035");
        // with the rule set among the documents, the set is complete (the run itself is DesignerSimulationITCase's)
        String badRules = "{\"documents\": [" + quoted(underRules("marketing")) + ", "
                + quoted(MARKETING.replace("\"day\"", "\"fortnight\"")) + "], \"events\": \"\"}";
        JsonNode problems = json(client.post("/api/simulate", badRules)).get("documents");
        assertThat(problems).hasSize(1);
        assertThat(problems.get(0).get("index").asInt()).isEqualTo(1);
        assertThat(problems.get(0).get("id").asText()).isEqualTo("marketing");
        assertThat(problems.get(0).get("problems").get(0).get("code").asText()).isEqualTo("JRN-037");
    }

    @Test
    void shouldGiveTheSampleInputsOfTheFolder() throws Exception {
        JsonNode samples = json(client.get("/api/samples"));

        assertThat(samples.get("events").asText()).isEqualTo(Files.readString(folder.resolve("events.jsonl")));
        assertThat(samples.get("profiles").isNull()).isTrue();
    }

    @Test
    void shouldRefuseDocumentsThatDoNotValidateBeforeSimulating() throws Exception {
        String body = "{\"documents\": [" + quoted(nudge()) + ", " + quoted(brokenNext().replace("\"nudge\"", "\"other\""))
                + ", " + quoted(jumper("c", "elsewhere")) + "], \"events\": \"\"}";

        HttpResponse<byte[]> response = client.post("/api/simulate", body);

        assertThat(response.statusCode()).isEqualTo(400);
        JsonNode answer = json(response);
        assertThat(answer.get("error").asText()).contains("problems");
        assertThat(answer.get("documents")).hasSize(1);
        assertThat(answer.get("documents").get(0).get("index").asInt()).isEqualTo(1);
        assertThat(answer.get("documents").get(0).get("id").asText()).isEqualTo("other");
        assertThat(answer.get("documents").get(0).get("problems").get(0).get("code").asText()).isEqualTo("JRN-013");

        // once each is valid, the set is checked as a simulation loads it: c jumps to a journey not among them
        String set = "{\"documents\": [" + quoted(nudge()) + ", " + quoted(jumper("c", "elsewhere")) + "], \"events\": \"\"}";
        JsonNode unknown = json(client.post("/api/simulate", set));
        assertThat(unknown.get("documents").get(0).get("index").asInt()).isEqualTo(1);
        assertThat(unknown.get("documents").get(0).get("problems").get(0).get("code").asText()).isEqualTo("JRN-027");
    }

    @Test
    void shouldAnswerEveryFailureAsAJsonError() throws Exception {
        assertError(client.get("/api/nothing"), 404, "/api/nothing");
        assertError(client.get("/api/documents/missing.json"), 404, "missing.json");
        assertError(client.post("/api/documents", "{}"), 405, "GET");
        assertError(client.post("/api/simulate", "{not json"), 400, "JSON");
        assertError(client.post("/api/simulate", "{\"documents\": [{}], \"events\": \"\"}"), 400, "string");
        assertError(client.post("/api/simulate", "{\"documents\": [\"{}\"], \"event\": \"\"}"), 400, "event");
        assertError(client.post("/api/validate", "x".repeat(BODY_LIMIT + 1)), 413, String.valueOf(BODY_LIMIT));
        assertError(client.post("/api/publish", nudge()), 404, "--bootstrap-servers");
        assertError(client.get("/api/live"), 404, "--bootstrap-servers");
        assertThat(client.get("/api/info").statusCode()).isEqualTo(200);
        assertThat(json(client.get("/api/info")).get("kafka").asBoolean()).isFalse();
    }

    @Test
    void shouldRefuseRequestsFromOtherPagesOfTheBrowser() throws Exception {
        HttpResponse<byte[]> response = client.send(client.request("/api/documents/journey.json")
                .header("Origin", "https://evil.example")
                .PUT(HttpRequest.BodyPublishers.ofString("{}")));

        assertError(response, 403, "evil.example");
        assertThat(Files.readString(folder.resolve("journey.json"))).isEqualTo(nudge());
        assertThat(client.send(client.request("/api/documents").header("Origin", "http://127.0.0.1:" + server.port())
                .GET()).statusCode()).isEqualTo(200);
    }

    @Test
    void shouldServeThePageBuiltByNpmWithItsScriptAndStylesheet() {
        HttpResponse<byte[]> page = client.get("/");

        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.headers().firstValue("Content-Type")).hasValue("text/html; charset=utf-8");
        assertThat(new String(page.body(), StandardCharsets.UTF_8)).contains("/static/designer.js",
                "/static/designer.css");
        HttpResponse<byte[]> script = client.get("/static/designer.js");
        assertThat(script.statusCode()).isEqualTo(200);
        assertThat(script.headers().firstValue("Content-Type")).hasValue("text/javascript; charset=utf-8");
        assertThat(script.body().length).isGreaterThan(1000);
        assertThat(client.get("/static/designer.css").headers().firstValue("Content-Type"))
                .hasValue("text/css; charset=utf-8");
        assertError(client.get("/static/..%2Fjourneys.json"), 404, "designer's page");
        assertError(client.get("/static/nothing.js"), 404, "nothing.js");
    }

    private static void assertError(HttpResponse<byte[]> response, int status, String mentioned) {
        assertThat(response.statusCode()).isEqualTo(status);
        assertThat(response.headers().firstValue("Content-Type")).hasValue("application/json");
        JsonNode body = json(response);
        assertThat(body.size()).isEqualTo(1);
        assertThat(body.get("error").asText()).contains(mentioned);
    }

    private String nudge() throws IOException {
        return Files.readString(folder.resolve("journey.json"));
    }

    private String brokenNext() throws IOException {
        String text = nudge();
        String broken = text.replace("\"template\": \"cart-a\", \"params\": {\"total\": \"event.total\"}, \"next\": \"reaction\"",
                "\"template\": \"cart-a\", \"params\": {\"total\": \"event.total\"}, \"next\": \"reactoin\"");
        assertThat(broken).isNotEqualTo(text);
        return broken;
    }

    /** A rule set: a daily email cap and quiet hours. */
    static final String MARKETING = """
            {"kind": "rules", "id": "marketing", "version": 1,
             "frequency": [{"id": "email-daily", "channels": ["email"], "max": 1, "per": "day"}],
             "quietHours": [{"id": "night", "channels": ["email"], "from": "21:00", "to": "08:00"}]}
            """;

    /** A journey under a rule set, with a window step and an action exempt from the rules. */
    private static String underRules(String ruleSet) {
        return """
                {"id": "promo", "version": 1, "rules": "%s", "priority": 80, "entry": {"type": "event", "event": "go"},
                 "start": "mail", "steps": {"mail": {"type": "action", "channel": "email", "template": "a", "next": "win"},
                  "win": {"type": "window", "days": [1, 2, 3, 4, 5], "from": "09:00", "to": "17:00", "next": "receipt"},
                  "receipt": {"type": "action", "channel": "email", "template": "r", "rules": false, "next": "done"},
                  "done": {"type": "end"}}}
                """.formatted(ruleSet);
    }

    private static String jumper(String id, String target) {
        return """
                {"id": "%s", "version": 1, "entry": {"type": "event", "event": "go"}, "start": "hop",
                 "steps": {"hop": {"type": "jump", "journey": "%s", "next": "done"}, "done": {"type": "end"}}}
                """.formatted(id, target);
    }
}
