package io.journeys.designer;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.journeys.cli.Main;
import io.journeys.job.JobConfig;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The designer's page in Debian's Chromium: the real server on a copy of jobs/nudge, driven by playwright-core
 * from {@code src/designer/test/browser.mjs}, which opens the journey and checks every step on the canvas, runs
 * test mode and compares the counts with what {@code ./journeys simulate} writes for the same inputs, breaks a
 * {@code next} in the JSON view and fixes it, edits on the canvas and in the properties pane, saves, and builds a
 * journey from nothing (steps from the palette, a port dragged to a step, the entry in the form) and tests it. Then
 * {@code rules.mjs} puts a journey under a rule set of the folder (rules, priority, a window step, an action's
 * "subject to delivery rules"), tests it, and edits a rule set in its form after a bad value. The files the page
 * wrote are checked here, independently of the scripts.
 *
 * <p>The screenshots of the main views go to {@code target/designer-screenshots/}, or with
 * {@code -Ddesigner.screenshots=docs} to where the README shows them.
 */
class DesignerBrowserITCase {

    private static final Path NUDGE = Path.of("jobs/nudge");
    private static final Path PAGE = Path.of("src/designer");
    private static final String[] SCREENSHOTS = {"designer-canvas.png", "designer-problems.png", "designer-test-mode.png",
            "designer-rules.png", "designer-rules-test.png"};
    /** A journey for src/designer/test/rules.mjs to put under delivery rules: an email, then the end. */
    private static final String PROMO = """
            {
              "id": "promo",
              "version": 1,
              "entry": {"type": "event", "event": "cart.abandoned"},
              "start": "mail",
              "steps": {
                "mail": {"type": "action", "channel": "email", "template": "promo", "next": "done"},
                "done": {"type": "end"}
              }
            }
            """;
    /** Its rule set: nudge's carts are abandoned between 09:00 and 12:00 UTC, so the quiet hours hold some emails. */
    private static final String MARKETING = """
            {
              "kind": "rules",
              "id": "marketing",
              "version": 1,
              "frequency": [{"id": "email-daily", "channels": ["email"], "max": 1, "per": "day"}],
              "quietHours": [{"id": "mornings", "channels": ["email"], "from": "00:00", "to": "10:30", "timeZone": "UTC"}]
            }
            """;

    @TempDir
    Path temp;

    @Test
    void shouldOpenTestFixAndSaveNudgeInTheBrowser() throws Exception {
        Path folder = temp.resolve("nudge");
        Files.createDirectories(folder);
        for (String file : List.of("journey.json", "events.jsonl")) {
            Files.copy(NUDGE.resolve(file), folder.resolve(file));
        }
        Path simulated = temp.resolve("simulated");
        StringWriter err = new StringWriter();
        assertThat(Main.execute(new PrintWriter(new StringWriter()), new PrintWriter(err), "simulate", "--journeys",
                folder.toString(), "--events", folder.resolve("events.jsonl").toString(), "--out", simulated.toString()))
                .as(err.toString()).isZero();
        Path screenshots = Path.of(System.getProperty("designer.screenshots", "target/designer-screenshots"))
                .toAbsolutePath();
        Files.createDirectories(screenshots);
        Instant before = Instant.now();

        String output;
        int exit;
        try (DesignerServer server = DesignerServer.start(new DesignerServer.Settings(folder, 0, JobConfig.defaults(),
                null))) {
            Process node = new ProcessBuilder("node", "test/browser.mjs", server.url(), folder.toAbsolutePath().toString(),
                    simulated.toAbsolutePath().toString(), screenshots.toString())
                    .directory(PAGE.toFile()).redirectErrorStream(true).start();
            CompletableFuture<String> read = CompletableFuture.supplyAsync(() -> readAll(node.getInputStream()));
            if (!node.waitFor(8, TimeUnit.MINUTES)) {
                node.destroyForcibly();
                throw new AssertionError("the browser test did not finish in 8 minutes:\n" + read.getNow(""));
            }
            exit = node.exitValue();
            output = read.get(1, TimeUnit.MINUTES);
            // then delivery rules, on a journey and a rule set of their own
            Files.writeString(folder.resolve("promo.json"), PROMO);
            Files.writeString(folder.resolve("marketing.json"), MARKETING);
            Process rules = new ProcessBuilder("node", "test/rules.mjs", server.url(), folder.toAbsolutePath().toString(),
                    screenshots.toString()).directory(PAGE.toFile()).redirectErrorStream(true).start();
            CompletableFuture<String> readRules = CompletableFuture.supplyAsync(() -> readAll(rules.getInputStream()));
            if (!rules.waitFor(5, TimeUnit.MINUTES)) {
                rules.destroyForcibly();
                throw new AssertionError("the rules browser test did not finish in 5 minutes:\n" + readRules.getNow(""));
            }
            exit = Math.max(exit, rules.exitValue());
            output = output + readRules.get(1, TimeUnit.MINUTES);
        }
        System.out.println(output);

        assertThat(exit).as(output).isZero();
        assertThat(output).as("every check of the script ran and passed").contains(
                "ok - open a journey", "ok - test mode", "ok - break a next in the JSON view",
                "ok - edit a field in the properties pane", "ok - canvas: drop a step from the palette",
                "ok - save untouched", "ok - save an edit", "ok - a file with a byte order mark",
                "ok - build a journey from nothing", "ok - live mode", "ok - rules: the folder's rule set",
                "ok - rules: the journey names a rule set", "ok - rules: a window step", "ok - rules: an action's",
                "ok - rules: test mode runs the journey under its rule set", "ok - rules: a rule set opens")
                .doesNotContain("not ok").containsPattern("\\d+ passed, 0 failed");
        // what the page wrote: the one edited line in journey.json, and a second version beside it
        List<String> original = Files.readAllLines(NUDGE.resolve("journey.json"));
        List<String> saved = Files.readAllLines(folder.resolve("journey.json"));
        assertThat(changedLines(original, saved)).containsExactly(14);
        assertThat(saved.get(13)).contains("\"template\": \"cart-b2\"");
        JsonNode v2 = DesignerClient.JSON.readTree(folder.resolve("journey-v2.json").toFile());
        assertThat(v2.get("version").asInt()).isEqualTo(2);
        assertThat(changedLines(saved, Files.readAllLines(folder.resolve("journey-v2.json")))).containsExactly(3);
        JsonNode built = DesignerClient.JSON.readTree(folder.resolve("built.json").toFile());
        assertThat(built.get("steps").get("action").get("next").asText()).isEqualTo("end");
        // what the rules checks saved: the journey under marketing with its window, and the rule set edited in its form
        JsonNode promo = DesignerClient.JSON.readTree(folder.resolve("promo.json").toFile());
        assertThat(promo.get("rules").asText()).isEqualTo("marketing");
        assertThat(promo.get("priority").asInt()).isEqualTo(80);
        assertThat(promo.get("steps").get("mail").has("rules")).as("the action's toggle back on").isFalse();
        assertThat(promo.get("steps").get("mail").get("sendTime").toString()).as("send at the best time")
                .isEqualTo("{\"within\":\"PT12H\"}");
        assertThat(promo.get("steps").get("window").toString()).isEqualTo("{\"type\":\"window\",\"from\":\"13:00\","
                + "\"to\":\"17:00\",\"next\":\"done\",\"days\":[1,2,3,4,5],\"timeZone\":\"Europe/Paris\"}");
        JsonNode marketing = DesignerClient.JSON.readTree(folder.resolve("marketing.json").toFile());
        assertThat(marketing.get("frequency").get(0).toString()).isEqualTo(
                "{\"id\":\"email-daily\",\"channels\":[\"email\"],\"max\":2,\"per\":\"week\"}");
        assertThat(io.journeys.dsl.DefinitionParser.parse(Files.readString(folder.resolve("marketing.json"))).valid()).isTrue();
        for (String name : SCREENSHOTS) {
            Path shot = screenshots.resolve(name);
            assertThat(Files.getLastModifiedTime(shot).toInstant()).as(name + " taken by this run").isAfter(before.minusSeconds(2));
            BufferedImage image = ImageIO.read(shot.toFile());
            assertThat(image.getWidth()).as(name).isEqualTo(1680);
        }
    }

    /** The 1-based numbers of the lines that differ, when both have the same number of lines. */
    private static List<Integer> changedLines(List<String> a, List<String> b) {
        assertThat(b).hasSameSizeAs(a);
        List<Integer> changed = new ArrayList<>();
        for (int i = 0; i < a.size(); i++) {
            if (!a.get(i).equals(b.get(i))) {
                changed.add(i + 1);
            }
        }
        return changed;
    }

    private static String readAll(InputStream in) {
        try (in) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
