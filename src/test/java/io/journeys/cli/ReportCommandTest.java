package io.journeys.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The report command on a steps file: its outputs, and its messages for what it cannot use. */
class ReportCommandTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path temp;

    private Path steps;
    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    @BeforeEach
    void writeSteps() throws Exception {
        steps = temp.resolve("steps.jsonl");
        Files.write(steps, List.of(
                step("e1", "i1", "ab-test", "entered", null, null),
                step("e2", "i1", "ab-test", "executed", "branches/1", "email-b"),
                "",
                step("e3", "i1", "email-b", "executed", "next", "reaction"),
                step("e4", "i1", "reaction", "waiting", null, null)));
    }

    @Test
    void shouldPrintTheTableOfTheStepsFile() {
        assertThat(run("report", "--steps", steps.toString(), "--journeys", "jobs/nudge")).as(err.toString()).isZero();

        assertThat(out.toString()).startsWith(
                "nudge v1: entered 1, inside 1, completed 0, exited 0, timedOut 0, errors 0, excluded 0\n");
        assertThat(out.toString()).containsPattern("\n  reaction +await +1 +1 ");
    }

    @Test
    void shouldPrintReportJsonOrWriteTheFilesAsked() throws Exception {
        assertThat(run("report", "--steps", steps.toString(), "--json", "--journeys", "jobs/nudge")).isZero();
        JsonNode printed = JSON.readTree(out.toString());
        assertThat(printed.get("journeys").get(0).get("steps").get("reaction").get("waiting").asLong()).isEqualTo(1);

        out.getBuffer().setLength(0);
        Path json = temp.resolve("out/report.json");
        Path html = temp.resolve("out/report.html");
        assertThat(run("report", "--steps", steps.toString(), "--journeys", "jobs/nudge", "--json", json.toString(),
                "--html", html.toString())).isZero();
        assertThat(JSON.readTree(json.toFile())).isEqualTo(printed);
        assertThat(Files.readString(html)).startsWith("<!DOCTYPE html>").contains("data-step-id=\"reaction\"");
        assertThat(out.toString()).isEqualTo("Written: " + json + ", " + html + "\n");
        assertThat(temp.resolve("out").toFile().list()).containsExactlyInAnyOrder("report.json", "report.html");
    }

    @Test
    void shouldNameTheLineThatIsNotAStepEvent() throws Exception {
        Files.writeString(steps, step("e1", "i1", "ab-test", "entered", null, null) + "\n{\"eventId\": \"e2\"}\n");

        assertThat(run("report", "--steps", steps.toString())).isEqualTo(2);
        assertThat(err.toString()).startsWith("error: " + steps + " line 2: not a step event (journeyVersion missing")
                .doesNotContain("Exception");
    }

    @Test
    void shouldRefuseOptionsThatDoNotGoTogether() {
        assertThat(run("report", "--steps", steps.toString(), "--bootstrap-servers", "localhost:1")).isEqualTo(2);
        assertThat(err.toString()).contains("give one");
        assertThat(run("report", "--steps", steps.toString(), "--follow")).isEqualTo(2);
        assertThat(err.toString()).contains("nothing to follow");
        assertThat(run("report", "--steps", temp.resolve("none.jsonl").toString())).isEqualTo(2);
        assertThat(err.toString()).contains("no such file").doesNotContain("Exception");
    }

    @Test
    void shouldListTheProblemsOfAnInvalidJourney() throws Exception {
        Path broken = temp.resolve("broken.json");
        Files.writeString(broken, "{\"id\": \"x\"}");

        assertThat(run("report", "--steps", steps.toString(), "--journeys", broken.toString())).isEqualTo(1);
        assertThat(err.toString()).contains(broken + ": ", "JRN-002");
    }

    @Test
    void shouldDescribeItsOptions() {
        assertThat(run("report", "--help")).isZero();
        assertThat(out.toString()).contains("--steps", "--journeys", "--json", "--html", "--bootstrap-servers", "--topic",
                "--follow", "--every", "--config");
    }

    private static String step(String eventId, String instance, String stepId, String status, String branch,
            String next) {
        return "{\"eventId\": \"" + eventId + "\", \"profileId\": \"p\", \"journeyId\": \"nudge\", \"journeyVersion\": 1,"
                + " \"instanceId\": \"" + instance + "\", \"stepId\": \"" + stepId + "\", \"status\": \"" + status + "\","
                + " \"timestamp\": \"2026-02-02T09:00:00Z\""
                + (next == null ? "" : ", \"next\": \"" + next + "\", \"branch\": \"" + branch + "\"") + "}";
    }

    private int run(String... args) {
        return Main.execute(new PrintWriter(out, true), new PrintWriter(err, true), args);
    }
}
