package io.journeys.report;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.journeys.dsl.DefinitionParser;
import io.journeys.dsl.Journey;
import io.journeys.dsl.Step;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The designer's page lays journeys out as the HTML report does: its JS port of this package's FlowLayout
 * (src/designer/src/canvas/layout.js, run by node) puts every box of every journey of jobs/ at the same layer and
 * place, finds the same back edges and leaves the same crossings.
 */
class FlowLayoutParityTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    private record Graph(String name, List<String> nodes, List<FlowLayout.Edge> edges) {}

    @Test
    void shouldPlaceEveryStepOfEveryJobWhereTheReportPlacesIt() throws Exception {
        List<Graph> graphs = jobJourneys();
        assertThat(graphs).as("journeys of jobs/").hasSizeGreaterThan(8);
        ArrayNode input = JSON.createArrayNode();
        for (Graph graph : graphs) {
            ObjectNode item = input.addObject();
            graph.nodes().forEach(item.putArray("nodes")::add);
            ArrayNode edges = item.putArray("edges");
            graph.edges().forEach(e -> edges.addObject().put("from", e.from()).put("to", e.to()).put("branch", e.branch()));
        }

        JsonNode answers = runNode(JSON.writeValueAsBytes(input));

        for (int i = 0; i < graphs.size(); i++) {
            Graph graph = graphs.get(i);
            FlowLayout.Layout expected = FlowLayout.layout(graph.nodes(), graph.edges());
            JsonNode answer = answers.get(i);
            for (FlowLayout.Box box : expected.boxes().values()) {
                JsonNode js = answer.get("boxes").get(box.id());
                assertThat(js.get(0).asInt()).as(graph.name() + " " + box.id() + " layer").isEqualTo(box.layer());
                assertThat(js.get(1).asDouble()).as(graph.name() + " " + box.id() + " x").isEqualTo(box.x());
                assertThat(js.get(2).asDouble()).as(graph.name() + " " + box.id() + " y").isEqualTo(box.y());
            }
            assertThat(answer.get("boxes").size()).as(graph.name()).isEqualTo(expected.boxes().size());
            List<Boolean> back = expected.routes().stream().map(FlowLayout.Route::back).toList();
            List<Boolean> jsBack = new ArrayList<>();
            answer.get("back").forEach(b -> jsBack.add(b.asBoolean()));
            assertThat(jsBack).as(graph.name() + " back edges").isEqualTo(back);
            assertThat(answer.get("crossings").asLong()).as(graph.name() + " crossings").isEqualTo(expected.crossings());
        }
    }

    /** Each journey document of jobs/: its steps, start first, and an edge per port (Step.ports()). */
    private static List<Graph> jobJourneys() throws IOException {
        List<Graph> graphs = new ArrayList<>();
        List<Path> files;
        try (Stream<Path> walk = Files.walk(Path.of("jobs"))) {
            files = walk.filter(p -> p.toString().endsWith(".json")).sorted().toList();
        }
        for (Path file : files) {
            DefinitionParser.Definition definition = DefinitionParser.parse(Files.readString(file));
            if (!definition.valid() || !definition.isJourney()) {
                continue;
            }
            Journey journey = definition.journey().journey();
            List<String> nodes = new ArrayList<>();
            nodes.add(journey.start());
            journey.steps().keySet().stream().filter(id -> !id.equals(journey.start())).forEach(nodes::add);
            List<FlowLayout.Edge> edges = new ArrayList<>();
            for (Map.Entry<String, Step> step : journey.steps().entrySet()) {
                for (Step.Port port : step.getValue().ports()) {
                    edges.add(new FlowLayout.Edge(step.getKey(), port.target(), port.name()));
                }
            }
            graphs.add(new Graph(file.toString(), nodes, edges));
        }
        return graphs;
    }

    private static JsonNode runNode(byte[] input) throws Exception {
        Process node = new ProcessBuilder("node", "test/layout-parity.mjs").directory(Path.of("src/designer").toFile())
                .redirectError(ProcessBuilder.Redirect.INHERIT).start();
        try (OutputStream in = node.getOutputStream()) {
            in.write(input);
        }
        byte[] output = node.getInputStream().readAllBytes();
        assertThat(node.waitFor(1, TimeUnit.MINUTES)).isTrue();
        assertThat(node.exitValue()).as(new String(output, StandardCharsets.UTF_8)).isZero();
        return JSON.readTree(output);
    }
}
