package io.journeys.designer;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.journeys.dsl.JourneyParser;
import io.journeys.job.JobConfig;
import io.journeys.job.RunningKafkaJob;
import io.journeys.report.ReportBuilder;
import io.journeys.report.ReportJson;
import io.journeys.report.StepEventsTopic;
import io.journeys.testing.KafkaBroker;
import io.journeys.testing.TopicReader;
import java.awt.image.BufferedImage;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import javax.imageio.ImageIO;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.CleanupMode;
import org.junit.jupiter.api.io.TempDir;

/**
 * Publish and live mode in Debian's Chromium against a real broker (KRaft, in process), the real streaming job
 * on a MiniCluster reading that broker's topics, and the designer started with {@code --bootstrap-servers} on a
 * copy of jobs/nudge. {@code src/designer/test/live.mjs} opens the journey and clicks Publish; here the
 * definitions topic is read to check the document published is the file, then nudge's sample events go to the
 * profile-events topic (their timestamps now: the job runs on the wall clock, so with nudge's two-day await the
 * profiles that do not react wait at {@code reaction}). Once the job has handled them all, the report of the
 * step-events topic ({@link ReportBuilder} fed by {@link StepEventsTopic}) goes to the script, which opens the
 * Live tab, follows the counts until the page has read as many step events, and checks every count on the
 * canvas and each edge's against it, and against what {@code GET /api/live} answers the page then.
 *
 * <p>The screenshot of the live view goes to {@code target/designer-screenshots/}, or with
 * {@code -Ddesigner.screenshots=docs} to where the README shows it.
 */
class DesignerLiveBrowserITCase {

    private static final Path NUDGE = Path.of("jobs/nudge");
    private static final Path PAGE = Path.of("src/designer");
    private static final String SCREENSHOT = "designer-live.png";
    private static final Duration STEP = Duration.ofMinutes(3);

    @RegisterExtension
    static final MiniClusterExtension CLUSTER = new MiniClusterExtension(
            new MiniClusterResourceConfiguration.Builder().setNumberTaskManagers(1).setNumberSlotsPerTaskManager(2).build());

    @RegisterExtension
    static final KafkaBroker BROKER = new KafkaBroker();

    @TempDir
    Path temp;

    // the job may still write a checkpoint while it is being cancelled: leave the folder for the OS to clean
    @TempDir(cleanup = CleanupMode.NEVER)
    Path checkpoints;

    @Test
    void shouldPublishFromThePageAndShowTheJobsLiveCountsOnTheCanvas() throws Exception {
        Path folder = Files.createDirectories(temp.resolve("nudge"));
        Files.copy(NUDGE.resolve("journey.json"), folder.resolve("journey.json"));
        String file = Files.readString(folder.resolve("journey.json"));
        Path screenshots = Path.of(System.getProperty("designer.screenshots", "target/designer-screenshots"))
                .toAbsolutePath();
        Files.createDirectories(screenshots);
        Instant before = Instant.now();

        // one slot: every event goes through one subtask, so the job handles them in the order of their partition
        RunningKafkaJob job = RunningKafkaJob.start(BROKER.kafka(), checkpoints, "parallelism=1");
        JobConfig config = job.config();
        String definitionsTopic = config.string(JobConfig.Key.TOPIC_DEFINITIONS);
        String eventsTopic = config.string(JobConfig.Key.TOPIC_PROFILE_EVENTS);
        String stepsTopic = config.string(JobConfig.Key.TOPIC_STEP_EVENTS);
        List<String> output = Collections.synchronizedList(new ArrayList<>());
        Process node = null;
        try (DesignerServer server = DesignerServer.start(new DesignerServer.Settings(folder, 0, config,
                BROKER.bootstrapServers()));
                KafkaProducer<String, String> producer = BROKER.producer();
                TopicReader definitions = new TopicReader(BROKER.bootstrapServers(), List.of(definitionsTopic));
                TopicReader steps = new TopicReader(BROKER.bootstrapServers(), List.of(stepsTopic))) {
            node = new ProcessBuilder("node", "test/live.mjs", server.url(), folder.toAbsolutePath().toString(),
                    screenshots.toString()).directory(PAGE.toFile()).redirectErrorStream(true).start();
            BlockingQueue<String> lines = lines(node, output);

            awaitLine(lines, "published", output);
            // what the page published: the file, as the job reads it
            List<String> published = definitions.readUntil(values -> !values.isEmpty(), Duration.ofSeconds(30));
            assertThat(published).as("documents on " + definitionsTopic).hasSize(1);
            assertThat(published.get(0)).as("the published document").isEqualTo(file);

            // the job may read events before the definition: one more cart until a probe profile enters
            boolean live = false;
            for (int attempt = 0; attempt < 40 && !live; attempt++) {
                String probe = "p-probe-" + attempt;
                producer.send(new ProducerRecord<>(eventsTopic, 0, probe, cart(probe))).get();
                live = steps.readUntil(values -> values.stream().anyMatch(v -> isOf(v, probe)), Duration.ofSeconds(3))
                        .stream().anyMatch(v -> isOf(v, probe));
            }
            assertThat(live).as("the job runs nudge").isTrue();
            // the samples, then a last cart, all on one partition: once the last one's step events are committed,
            // so are those of every sample before it
            for (String line : Files.readAllLines(NUDGE.resolve("events.jsonl"))) {
                if (line.isBlank()) {
                    continue;
                }
                ObjectNode event = (ObjectNode) DesignerClient.JSON.readTree(line);
                event.put("timestamp", Instant.now().toString());
                producer.send(new ProducerRecord<>(eventsTopic, 0, event.get("profileId").asText(), event.toString())).get();
            }
            ObjectNode expected = settled(producer, steps, eventsTopic, stepsTopic, file, "p-last");
            JsonNode nudge = expected.get("report").get("journeys").get(0);
            assertThat(nudge.get("journeyId").asText()).isEqualTo("nudge");
            // the samples' four carts over 0, the probes and the last cart; every profile's outcome is the page's to show
            assertThat(nudge.get("entered").asLong()).isGreaterThanOrEqualTo(6);
            assertThat(nudge.get("steps").get("reaction").get("waiting").asLong()).isPositive();
            OutputStream in = node.getOutputStream();
            in.write((expected + "\n").getBytes(StandardCharsets.UTF_8));
            in.flush();

            // one more cart while the page follows: its long poll brings the new counts
            awaitLine(lines, "following", output);
            ObjectNode more = settled(producer, steps, eventsTopic, stepsTopic, file, "p-more");
            assertThat(more.get("events").asLong()).isGreaterThan(expected.get("events").asLong());
            in.write((more + "\n").getBytes(StandardCharsets.UTF_8));
            in.flush();

            if (!node.waitFor(STEP.toSeconds(), TimeUnit.SECONDS)) {
                throw new AssertionError("the browser test did not finish in " + STEP + ":\n" + String.join("\n", output));
            }
        } finally {
            if (node != null && node.isAlive()) {
                node.destroyForcibly();
            }
            job.close();
        }
        String printed = String.join("\n", output);
        System.out.println(printed);
        assertThat(node.exitValue()).as(printed).isZero();
        assertThat(printed).as("every check of the script ran and passed").contains(
                "ok - open a journey", "ok - publish", "ok - live counts on the canvas",
                "ok - live counts as GET /api/live answers them", "ok - live counts follow",
                "ok - no error in the page")
                .doesNotContain("not ok").containsPattern("\\d+ passed, 0 failed");
        Path shot = screenshots.resolve(SCREENSHOT);
        assertThat(Files.getLastModifiedTime(shot).toInstant()).as(SCREENSHOT + " taken by this run")
                .isAfter(before.minusSeconds(2));
        BufferedImage image = ImageIO.read(shot.toFile());
        assertThat(image.getWidth()).as(SCREENSHOT).isEqualTo(1680);
    }

    /**
     * Sends a cart of {@code profile} after the events sent before (on the same partition), waits until its step
     * events reach the await, then answers {"events": N, "report": report.json} of the whole step-events topic:
     * the job has handled every earlier event by then, and its sinks committed what it wrote for them.
     */
    private static ObjectNode settled(KafkaProducer<String, String> producer, TopicReader steps, String eventsTopic,
            String stepsTopic, String file, String profile) throws Exception {
        producer.send(new ProducerRecord<>(eventsTopic, 0, profile, cart(profile))).get();
        assertThat(steps.readUntil(values -> values.stream().anyMatch(v -> isOf(v, profile) && v.contains("\"reaction\"")),
                Duration.ofSeconds(60))).as("step events").anyMatch(v -> isOf(v, profile) && v.contains("\"reaction\""));
        ReportBuilder builder = new ReportBuilder(List.of(JourneyParser.parse(file).journey()));
        List<String> warnings = new ArrayList<>();
        try (StepEventsTopic topic = new StepEventsTopic(BROKER.bootstrapServers(), stepsTopic, warnings::add)) {
            topic.catchUp(builder);
        }
        assertThat(warnings).isEmpty();
        ObjectNode answer = DesignerClient.JSON.createObjectNode();
        answer.put("events", builder.events());
        answer.set("report", ReportJson.tree(builder.build()));
        return answer;
    }

    private static String cart(String profile) {
        return "{\"eventId\": \"" + profile + "-cart\", \"profileId\": \"" + profile
                + "\", \"type\": \"cart.abandoned\", \"timestamp\": \"" + Instant.now() + "\", \"data\": {\"total\": 10}}";
    }

    private static boolean isOf(String stepEvent, String profile) {
        try {
            return DesignerClient.JSON.readTree(stepEvent).path("profileId").asText().equals(profile);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The script's lines as it prints them, also kept in {@code output}; a null-free queue ends with "" at its end. */
    private static BlockingQueue<String> lines(Process node, List<String> output) {
        BlockingQueue<String> lines = new LinkedBlockingQueue<>();
        Thread reader = new Thread(() -> {
            try (BufferedReader in = new BufferedReader(new InputStreamReader(node.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line = in.readLine(); line != null; line = in.readLine()) {
                    output.add(line);
                    lines.add(line);
                }
            } catch (IOException e) {
                output.add("(reading the script's output failed: " + e + ")");
            }
            lines.add("");
        }, "live.mjs output");
        reader.setDaemon(true);
        reader.start();
        return lines;
    }

    /** Waits for the script's line {@code wanted}; fails when it ends or fails first. */
    private static void awaitLine(BlockingQueue<String> lines, String wanted, List<String> output) throws InterruptedException {
        long deadline = System.nanoTime() + STEP.toNanos();
        while (System.nanoTime() < deadline) {
            String line = lines.poll(deadline - System.nanoTime(), TimeUnit.NANOSECONDS);
            if (line == null || line.isEmpty() || line.startsWith("not ok")) {
                break;
            }
            if (line.equals(wanted)) {
                return;
            }
        }
        throw new AssertionError("Expected the script to print \"" + wanted + "\", but got:\n" + String.join("\n", output));
    }
}
