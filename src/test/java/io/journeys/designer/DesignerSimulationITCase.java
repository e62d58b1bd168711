package io.journeys.designer;

import static io.journeys.designer.DesignerClient.json;
import static io.journeys.designer.DesignerClient.quoted;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import io.journeys.cli.Main;
import io.journeys.job.JobConfig;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Test mode runs the real simulation: the designer's answer for jobs/nudge's documents and events is what
 * {@code ./journeys simulate} writes for the same inputs (each on a local Flink cluster of its own).
 */
class DesignerSimulationITCase {

    private static final Path NUDGE = Path.of("jobs/nudge");

    @TempDir
    Path temp;

    @Test
    void shouldAnswerTheReportAndOutputsOfTheSimulateCommand() throws Exception {
        Path out = temp.resolve("simulated");
        StringWriter err = new StringWriter();
        int exit = Main.execute(new PrintWriter(new StringWriter()), new PrintWriter(err), "simulate", "--journeys",
                NUDGE.toString(), "--events", NUDGE.resolve("events.jsonl").toString(), "--out", out.toString());
        assertThat(exit).as(err.toString()).isZero();

        try (DesignerServer server = DesignerServer.start(new DesignerServer.Settings(NUDGE, 0, JobConfig.defaults(),
                null))) {
            DesignerClient client = new DesignerClient(server);
            JsonNode samples = json(client.get("/api/samples"));
            String body = "{\"documents\": [" + quoted(new String(client.get("/api/documents/journey.json").body(),
                    java.nio.charset.StandardCharsets.UTF_8)) + "], \"events\": " + samples.get("events") + "}";

            HttpResponse<byte[]> response = client.post("/api/simulate", body);

            assertThat(response.statusCode()).as(new String(response.body())).isEqualTo(200);
            JsonNode answer = json(response);
            JsonNode report = DesignerClient.JSON.readTree(out.resolve("report.json").toFile());
            assertThat(answer.get("report")).isEqualTo(report);
            assertThat(report.get("journeys").get(0).get("entered").asLong()).as("the run did something").isPositive();
            assertThat(answer.get("steps")).isEqualTo(jsonLines(out.resolve("steps.jsonl")));
            assertThat(answer.get("actions")).isEqualTo(jsonLines(out.resolve("actions.jsonl")));
            assertThat(answer.get("deadLetters")).isEqualTo(jsonLines(out.resolve("dead-letters.jsonl")));
            assertThat(answer.get("profileWrites")).isEqualTo(jsonLines(out.resolve("profile-writes.jsonl")));
        }
    }

    private static ArrayNode jsonLines(Path file) throws IOException {
        ArrayNode lines = DesignerClient.JSON.createArrayNode();
        for (String line : Files.readAllLines(file)) {
            lines.add(DesignerClient.JSON.readTree(line));
        }
        return lines;
    }
}
