package io.journeys.docker;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.journeys.job.JobConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.flink.runtime.util.EnvironmentInformation;
import org.apache.kafka.common.utils.AppInfoParser;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * There is no Docker engine here: the compose file and the Dockerfile are checked by parsing them, and by
 * checking that their images, ports, paths, topics and commands agree with the build and the job's options.
 */
class DockerFilesTest {

    private static JsonNode compose;
    private static List<String> dockerfile;

    @BeforeAll
    static void read() throws Exception {
        compose = new ObjectMapper(new YAMLFactory()).readTree(Path.of("docker/compose.yaml").toFile());
        dockerfile = Files.readAllLines(Path.of("docker/Dockerfile"));
    }

    @Test
    void shouldUseTheKafkaAndFlinkVersionsTheBuildUses() {
        assertThat(service("kafka").get("image").asText()).isEqualTo("apache/kafka:" + AppInfoParser.getVersion());
        assertThat(service("topics").get("image").asText()).isEqualTo(service("kafka").get("image").asText());
        assertThat(dockerfile).contains("FROM flink:" + EnvironmentInformation.getVersion() + "-java17");
        for (String flink : List.of("jobmanager", "taskmanager", "submit")) {
            assertThat(service(flink).get("image").asText()).as(flink).isEqualTo("journeys-flink:0.1.0");
        }
    }

    @Test
    void shouldCopyTheClusterJarTheBuildProducesAndRunItWithTheJobsMainClass() throws Exception {
        String version = matchIn(Files.readString(Path.of("pom.xml")), "<artifactId>journeys</artifactId>\\s*<version>([^<]+)</version>");
        String jarDestination = copyDestination("target/journeys-" + version + "-job.jar");
        List<String> submit = command("submit");
        assertThat(submit.subList(0, 5)).containsExactly("flink", "run", "-d", "-m", "jobmanager:8081");
        assertThat(submit).contains(jarDestination);
        assertThat(service("jobmanager").get("ports").get(0).asText()).isEqualTo("8081:8081");
        assertThat(option(submit, "--config")).isEqualTo(copyDestination("docker/job.yaml"));
    }

    @Test
    void shouldPointTheJobAtTheBrokersAdvertisedListenerAndLoadItsConfiguration() throws Exception {
        String bootstrap = option(command("submit"), "--bootstrap-servers");
        assertThat(service("kafka").get("environment").get("KAFKA_ADVERTISED_LISTENERS").asText())
                .contains("PLAINTEXT://" + bootstrap);
        JobConfig config = JobConfig.load(Path.of("docker/job.yaml"), List.of());
        assertThat(config.string(JobConfig.Key.BOOTSTRAP_SERVERS)).isEqualTo(bootstrap);
    }

    @Test
    void shouldCreateEveryTopicTheJobUsesWithCompactedDefinitionsPopulationAndWinnersTopics() {
        String script = service("topics").get("command").get(0).asText();
        Set<String> created = new HashSet<>(List.of(matchIn(script, "for topic in ([^;]+);").trim().split("\\s+")));
        created.add(matchIn(script, "--topic (journey-definitions) --partitions 1 [^\\n]*cleanup.policy=compact"));
        created.add(matchIn(script, "--topic (send-time-population) --partitions 1 [^\\n]*cleanup.policy=compact"));
        created.add(matchIn(script, "--topic (experiment-winners) --partitions 1 [^\\n]*cleanup.policy=compact"));
        assertThat(created).containsExactlyInAnyOrderElementsOf(JobConfig.defaults().topicNames());
    }

    @Test
    void shouldGiveEveryFlinkJvmTheSettingsTheJobNeeds() {
        for (String flink : List.of("jobmanager", "taskmanager", "submit")) {
            JsonNode environment = service(flink).get("environment");
            // Jackson's YAML tree keeps a merge key as the name of its anchor: resolve it as compose does
            JsonNode merged = environment.has("<<")
                    ? compose.get("x-" + environment.get("<<").asText())
                    : environment;
            String properties = merged.get("FLINK_PROPERTIES").asText();
            assertThat(properties).as(flink).contains(
                    "pipeline.generic-types: false",
                    "state.backend.type: rocksdb",
                    "jobmanager.rpc.address: jobmanager");
        }
        assertThat(command("jobmanager")).isEmpty();
        assertThat(service("jobmanager").get("command").asText()).isEqualTo("jobmanager");
        assertThat(service("taskmanager").get("command").asText()).isEqualTo("taskmanager");
    }

    private static JsonNode service(String name) {
        JsonNode service = compose.get("services").get(name);
        assertThat(service).as("service " + name).isNotNull();
        return service;
    }

    private static List<String> command(String name) {
        List<String> command = new ArrayList<>();
        JsonNode node = service(name).get("command");
        if (node != null && node.isArray()) {
            node.forEach(part -> command.add(part.asText()));
        }
        return command;
    }

    private static String option(List<String> command, String name) {
        int at = command.indexOf(name);
        assertThat(at).as(name + " in " + command).isNotNegative();
        return command.get(at + 1);
    }

    private static String copyDestination(String source) {
        return dockerfile.stream().filter(line -> line.startsWith("COPY " + source + " "))
                .map(line -> line.substring(("COPY " + source + " ").length()).trim())
                .findFirst().orElseThrow(() -> new AssertionError("Expected the Dockerfile to COPY " + source));
    }

    private static String matchIn(String text, String regex) {
        Matcher matcher = Pattern.compile(regex).matcher(text);
        assertThat(matcher.find()).as(regex).isTrue();
        return matcher.group(1);
    }
}
