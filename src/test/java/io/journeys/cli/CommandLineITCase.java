package io.journeys.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** The commands as a user runs them: exit codes, messages, files written; never a stack trace. */
class CommandLineITCase {

    @RegisterExtension
    static final MiniClusterExtension CLUSTER = new MiniClusterExtension(
            new MiniClusterResourceConfiguration.Builder().setNumberTaskManagers(1).setNumberSlotsPerTaskManager(2).build());

    @TempDir
    Path temp;

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    @BeforeAll
    static void trustAvro() {
    }

    private int run(String... args) {
        return Main.execute(new PrintWriter(out, true), new PrintWriter(err, true), args);
    }

    @Test
    void shouldAcceptTheReadyToRunJourneys() {
        assertThat(run("validate", "jobs/welcome/journey.json", "jobs/weekday")).isZero();
        assertThat(out.toString()).contains("valid (welcome v1)", "valid (weekday v1)");
    }

    @Test
    void shouldListEveryProblemAndExitWithOne() throws Exception {
        Path broken = temp.resolve("broken.json");
        Files.writeString(broken, """
                {"id": "Bad Id", "version": 0, "entry": {"type": "event", "event": "x"}, "start": "a",
                 "steps": {"a": {"type": "wait", "duration": "P1D", "next": "logged-ni"}, "b": {"type": "end"}}}""");

        assertThat(run("validate", broken.toString())).isEqualTo(1);
        assertThat(out.toString()).contains("JRN-005 /id", "JRN-006 /version",
                "JRN-013 /steps/a/next: unknown step \"logged-ni\"", "JRN-014 /steps/b");
    }

    @Test
    void shouldReportAMissingFileWithoutAStackTrace() {
        assertThat(run("simulate", "--journeys", "jobs/welcome", "--events", temp.resolve("none.jsonl").toString(),
                "--out", temp.toString())).isEqualTo(2);
        assertThat(err.toString()).contains("no such file").doesNotContain("Exception");
    }

    @Test
    void shouldRefuseABadUntilInstant() {
        assertThat(run("simulate", "--journeys", "jobs/welcome", "--events", "jobs/welcome/events.jsonl",
                "--until", "tomorrow", "--out", temp.toString())).isEqualTo(2);
        assertThat(err.toString()).contains("--until expects an ISO-8601 instant");
    }

    @Test
    void shouldSimulateWelcomeAndWriteTheThreeFiles() throws Exception {
        assertThat(run("simulate", "--journeys", "jobs/welcome", "--events", "jobs/welcome/events.jsonl",
                "--profiles", "jobs/welcome/profiles.jsonl", "--out", temp.toString())).isZero();

        assertThat(Files.readAllLines(temp.resolve("actions.jsonl"))).hasSize(4);
        assertThat(Files.readAllLines(temp.resolve("dead-letters.jsonl"))).hasSize(2);
        assertThat(Files.readAllLines(temp.resolve("steps.jsonl"))).isNotEmpty();
        assertThat(out.toString()).contains("welcome v1", "{email=3, push=1}");
    }

    @Test
    void shouldRefuseAnUnknownConfigurationKeyBeforeRunning() {
        assertThat(run("simulate", "--journeys", "jobs/welcome", "--events", "jobs/welcome/events.jsonl",
                "--set", "guardRails.maxSteps=3", "--out", temp.toString())).isEqualTo(2);
        assertThat(err.toString()).contains("Unknown configuration key \"guardRails.maxSteps\"",
                "guardRails.maxStepsPerJourney");
    }

    @Test
    void shouldApplyAConfigurationFileAndOverrides() throws Exception {
        Path config = temp.resolve("job.yaml");
        Files.writeString(config, "guardRails:\n  maxStepsPerJourney: 3\nparallelism: 1\n");
        assertThat(run("simulate", "--journeys", "jobs/welcome", "--events", "jobs/welcome/events.jsonl",
                "--config", config.toString(), "--out", temp.toString())).isEqualTo(1);
        assertThat(err.toString()).contains("JRN-028");

        assertThat(run("simulate", "--journeys", "jobs/welcome", "--events", "jobs/welcome/events.jsonl",
                "--config", config.toString(), "--set", "guardRails.maxStepsPerJourney=10",
                "--set", "guardRails.maxPayloadBytes=100", "--out", temp.toString())).isZero();
        // every sample event but the short non-JSON line is larger than 100 bytes
        assertThat(Files.readAllLines(temp.resolve("dead-letters.jsonl"))).hasSize(8)
                .filteredOn(line -> line.contains("INP-007")).hasSize(7);
    }

    @Test
    void shouldLearnSendTimesFromTheEngagementTypesItIsGivenAndRefuseOnesItCannotUse() throws Exception {
        assertThat(run("simulate", "--journeys", "jobs/sendtime/spring-sale.json", "--events", "jobs/sendtime/events.jsonl",
                "--set", "sendTime.engagements=email.opened=sms/opens", "--out", temp.toString())).isEqualTo(2);
        assertThat(err.toString()).contains("sendTime.engagements", "\"sms/opens\" of email.opened is none of");

        // jobs/sendtime's opens are email.opened: under another name nothing is learnt, every email goes at once
        assertThat(run("simulate", "--journeys", "jobs/sendtime/spring-sale.json", "--events", "jobs/sendtime/events.jsonl",
                "--profiles", "jobs/sendtime/profiles.jsonl", "--set", "sendTime.engagements=mail.open=email/opens",
                "--out", temp.toString())).isZero();
        List<String> steps = Files.readAllLines(temp.resolve("steps.jsonl"));
        assertThat(steps).filteredOn(line -> line.contains("\"stepId\":\"mail\"") || line.contains("\"stepId\": \"mail\""))
                .isNotEmpty().noneMatch(line -> line.contains("by profile)") || line.contains("by population)"));
    }

    @Test
    void shouldRefuseJourneysThatJumpInALoop() throws Exception {
        Path a = temp.resolve("a.json");
        Path b = temp.resolve("b.json");
        Files.writeString(a, """
                {"id": "a", "version": 1, "entry": {"type": "event", "event": "x"}, "start": "go",
                 "steps": {"go": {"type": "jump", "journey": "b", "next": "done"}, "done": {"type": "end"}}}""");
        Files.writeString(b, Files.readString(a).replace("\"a\"", "\"b\"").replace("\"journey\": \"b\"", "\"journey\": \"a\""));

        assertThat(run("validate", a.toString(), b.toString())).isEqualTo(1);
        assertThat(out.toString()).contains("JRN-026");
    }

    @Test
    void shouldRefuseABadJobConfigurationBeforeSubmittingAnything() {
        assertThat(run("job", "--bootstrap-servers", "localhost:1", "--set", "delivery.guarantee=maybe")).isEqualTo(2);
        assertThat(err.toString()).contains("delivery.guarantee", "exactly-once or at-least-once");
    }

    @Test
    void shouldRefuseATransactionTimeoutTheCheckpointsCouldOutlastBeforeSubmittingAnything() {
        assertThat(run("job", "--bootstrap-servers", "localhost:1", "--set", "checkpoints.interval=PT9M"))
                .isEqualTo(2);
        assertThat(err.toString()).startsWith("error: Expected kafka.transactionTimeout of at least PT14M, "
                + "but found PT10M").doesNotContain("Exception");
    }

    @Test
    void shouldRefuseToPublishAnInvalidJourney() throws Exception {
        Path broken = temp.resolve("broken.json");
        Files.writeString(broken, "{\"id\": \"x\"}");
        assertThat(run("publish", "--bootstrap-servers", "localhost:1", broken.toString())).isEqualTo(1);
        assertThat(err.toString()).contains("JRN-002");
    }

    @Test
    void shouldPrintHelpForEveryCommand() {
        assertThat(run("simulate", "--help")).isZero();
        assertThat(out.toString()).contains("--journeys", "--events", "--profiles", "--until", "--out");
        assertThat(run("validate", "--help")).isZero();
        for (String command : new String[] {"demo", "job", "publish", "close", "stop"}) {
            assertThat(run(command, "--help")).as(command).isZero();
        }
        assertThat(out.toString()).contains("--bootstrap-servers", "--duration", "--keep-running");
    }

    @Test
    void shouldOfferTheBenchmarksWhenTheirClassesAreOnTheClasspathAsTheLauncherPutsThem() {
        assertThat(run("--help")).isZero();
        assertThat(out.toString().replaceAll("\\s+", " ")).containsSubsequence(" stop ", " bench-exports ", " bench ",
                " help ");

        // the launcher's settings reach them too: --only reads parts in any case
        assertThat(run("bench", "--only", "latency")).isEqualTo(2);
        assertThat(err.toString()).contains("Expected --latency-rate when latency runs without throughput");
        assertThat(run("bench-exports", "--help")).isZero();
        assertThat(out.toString()).contains("--members", "--parts");
    }
}
