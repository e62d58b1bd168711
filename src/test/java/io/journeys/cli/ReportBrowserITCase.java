package io.journeys.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.imageio.ImageIO;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The HTML report of a simulated journey (jobs/nudge) in a real browser: headless Chromium (Debian's
 * {@code chromium}, found on the PATH) runs its script, and what it renders is read back as its DOM and as a
 * screenshot.
 */
class ReportBrowserITCase {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int WIDTH = 1400;
    private static final int HEIGHT = 1000;
    private static final Pattern G_TAG = Pattern.compile("<g((?:\\s+[a-z-]+=\"[^\"]*\")*)\\s*>");
    private static final Pattern ATTRIBUTE = Pattern.compile("([a-z-]+)=\"([^\"]*)\"");

    @RegisterExtension
    static final MiniClusterExtension CLUSTER = new MiniClusterExtension(
            new MiniClusterResourceConfiguration.Builder().setNumberTaskManagers(1).setNumberSlotsPerTaskManager(2).build());

    @TempDir
    static Path temp;

    private static Path html;
    private static JsonNode nudge;

    @BeforeAll
    static void simulateAndRender() throws Exception {
        StringWriter err = new StringWriter();
        PrintWriter errors = new PrintWriter(err, true);
        PrintWriter ignored = new PrintWriter(new StringWriter());
        assertThat(Main.execute(ignored, errors, "simulate", "--journeys", "jobs/nudge", "--events",
                "jobs/nudge/events.jsonl", "--out", temp.toString())).as(err.toString()).isZero();
        html = temp.resolve("nudge.html");
        assertThat(Main.execute(ignored, errors, "report", "--steps", temp.resolve("steps.jsonl").toString(),
                "--journeys", "jobs/nudge", "--html", html.toString())).as(err.toString()).isZero();
        nudge = JSON.readTree(temp.resolve("report.json").toFile()).get("journeys").get(0);
    }

    @Test
    void shouldShowEveryStepWithItsCountsAndEveryEdgeInTheRenderedPage() throws Exception {
        String dom = chromium("--dump-dom", html.toUri().toString());

        assertThat(dom).as("the page's script ran").contains("data-ready=\"true\"");
        Map<String, Map<String, String>> nodes = new HashMap<>();
        List<Map<String, String>> edges = new ArrayList<>();
        Matcher tag = G_TAG.matcher(dom);
        while (tag.find()) {
            Map<String, String> attributes = attributes(tag.group(1));
            if (attributes.containsKey("data-step-id")) {
                assertThat(nodes.put(attributes.get("data-step-id"), attributes)).as("one node per step").isNull();
            }
            if (attributes.containsKey("data-edge")) {
                edges.add(attributes);
            }
        }
        assertThat(nodes.keySet()).containsExactlyInAnyOrderElementsOf(names(nudge.get("steps")));
        for (Map.Entry<String, Map<String, String>> node : nodes.entrySet()) {
            JsonNode counts = nudge.get("steps").get(node.getKey());
            for (String figure : List.of("reached", "waiting", "held", "executed", "completed", "exited", "skipped",
                    "excluded")) {
                assertThat(node.getValue().get("data-" + figure)).as(node.getKey() + " " + figure)
                        .isEqualTo(counts.get(figure).asText());
            }
            assertThat(node.getValue().get("data-timed-out")).isEqualTo(counts.get("timedOut").asText());
        }
        // the counts are drawn, not only carried: the reaction box reads "reached 4"
        assertThat(dom).containsPattern("data-step-id=\"reaction\"[^>]*>.*?>reached</text><text [^>]*"
                + "data-figure=\"reached\">" + nudge.get("steps").get("reaction").get("reached").asText() + "</text>");
        Set<String> drawn = new HashSet<>();
        edges.forEach(e -> drawn.add(e.get("data-edge") + " " + e.get("data-branch") + " " + e.get("data-count")));
        Set<String> reported = new HashSet<>();
        nudge.get("edges").forEach(e -> reported.add(e.get("from").asText() + "->" + e.get("to").asText() + " "
                + e.get("branch").asText() + " " + e.get("count").asText()));
        assertThat(drawn).isEqualTo(reported);
    }

    @Test
    void shouldShowAllTheCountsOfTheStepTheAddressNames() throws Exception {
        String dom = chromium("--dump-dom", html.toUri() + "#step=reaction");

        Matcher details = Pattern.compile("<div class=\"details\"[^>]*>(.*?)</div>", Pattern.DOTALL).matcher(dom);
        assertThat(details.find()).isTrue();
        JsonNode reaction = nudge.get("steps").get("reaction");
        assertThat(details.group(1)).contains("<h4>reaction (await)</h4>",
                "<dt>reached</dt><dd>" + reaction.get("reached").asText() + "</dd>",
                "<dt>timedOut</dt><dd>" + reaction.get("timedOut").asText() + "</dd>",
                "<dt>exited</dt><dd>" + reaction.get("exited").asText() + "</dd>");
        assertThat(dom).containsPattern("<g class=\"step selected\"[^>]*data-step-id=\"reaction\"");
    }

    @Test
    void shouldRenderThePageAsARealImage() throws Exception {
        Path png = temp.resolve("nudge.png");
        chromium("--window-size=" + WIDTH + "," + HEIGHT, "--screenshot=" + png, html.toUri().toString());

        byte[] bytes = Files.readAllBytes(png);
        assertThat(Arrays.copyOf(bytes, 8)).as("the PNG signature")
                .isEqualTo(new byte[] {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'});
        assertThat(new String(bytes, 12, 4, StandardCharsets.US_ASCII)).isEqualTo("IHDR");
        ByteBuffer header = ByteBuffer.wrap(bytes, 16, 8);
        assertThat(header.getInt()).as("width").isEqualTo(WIDTH);
        assertThat(header.getInt()).as("height").isEqualTo(HEIGHT);
        assertThat(bytes.length).as("bytes of a drawn page, not a blank one").isGreaterThan(20_000);

        BufferedImage image = ImageIO.read(png.toFile());
        Set<Integer> colours = new HashSet<>();
        long ink = 0;
        int background = image.getRGB(WIDTH - 1, HEIGHT - 1);
        for (int y = 0; y < image.getHeight(); y += 2) {
            for (int x = 0; x < image.getWidth(); x += 2) {
                int rgb = image.getRGB(x, y);
                colours.add(rgb);
                ink += rgb == background ? 0 : 1;
            }
        }
        assertThat(colours.size()).as("colours of text, boxes and arrows").isGreaterThan(50);
        assertThat(ink).as("pixels drawn on the background").isGreaterThan((long) WIDTH * HEIGHT / 4 / 20);
    }

    // ---- helpers ----

    /** Runs headless Chromium with these arguments and returns what it printed; fails clearly without it. */
    private static String chromium(String... arguments) throws IOException, InterruptedException {
        Path binary = onPath("chromium").or(() -> onPath("chromium-browser")).orElseThrow(() -> new AssertionError(
                "Expected Chromium on the PATH for the browser test of the HTML report, but found none: install it "
                        + "with `apt-get install -y --no-install-recommends chromium` (.ci/run does)"));
        List<String> command = new ArrayList<>(List.of(binary.toString(), "--headless", "--no-sandbox", "--disable-gpu",
                "--disable-dev-shm-usage", "--hide-scrollbars", "--user-data-dir=" + temp.resolve("chromium-profile")));
        command.addAll(List.of(arguments));
        Process process = new ProcessBuilder(command).redirectError(temp.resolve("chromium.log").toFile()).start();
        ByteArrayOutputStream output = new ByteArrayOutputStream();
        try (InputStream stdout = process.getInputStream()) {
            stdout.transferTo(output);
        }
        if (!process.waitFor(120, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new AssertionError("Chromium did not finish within 120 s: " + command);
        }
        assertThat(process.exitValue()).as("Chromium's exit code; its log: " + temp.resolve("chromium.log")).isZero();
        return output.toString(StandardCharsets.UTF_8);
    }

    private static Optional<Path> onPath(String name) {
        return Arrays.stream(System.getenv().getOrDefault("PATH", "").split(File.pathSeparator))
                .map(directory -> Path.of(directory, name)).filter(Files::isExecutable).findFirst();
    }

    private static Map<String, String> attributes(String text) {
        Map<String, String> attributes = new HashMap<>();
        Matcher attribute = ATTRIBUTE.matcher(text);
        while (attribute.find()) {
            attributes.put(attribute.group(1), unescape(attribute.group(2)));
        }
        return attributes;
    }

    private static String unescape(String value) {
        return value.replace("&gt;", ">").replace("&lt;", "<").replace("&quot;", "\"").replace("&#39;", "'")
                .replace("&amp;", "&");
    }

    private static List<String> names(JsonNode node) {
        List<String> names = new ArrayList<>();
        node.fieldNames().forEachRemaining(names::add);
        return names;
    }
}
