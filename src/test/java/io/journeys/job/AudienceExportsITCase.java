package io.journeys.job;

import static org.assertj.core.api.Assertions.assertThat;

import io.journeys.dsl.JourneyParser;
import io.journeys.testing.KafkaBroker;
import io.journeys.testing.Json;
import io.journeys.testing.TopicReader;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.apache.flink.runtime.minicluster.MiniCluster;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.test.junit5.InjectMiniCluster;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.CleanupMode;
import org.junit.jupiter.api.io.TempDir;

/**
 * Exports dropped into the monitored folder while the job runs: read only once complete, each member
 * entering exactly once, even when a TaskManager dies in the middle of the file; incremental exports
 * enter only new members.
 */
class AudienceExportsITCase {


    @RegisterExtension
    static final MiniClusterExtension CLUSTER = new MiniClusterExtension(
            new MiniClusterResourceConfiguration.Builder().setNumberTaskManagers(1).setNumberSlotsPerTaskManager(2).build());

    @RegisterExtension
    static final KafkaBroker BROKER = new KafkaBroker();

    // the job may still write a checkpoint while it is being cancelled: leave the folder for the OS to clean
    @TempDir(cleanup = CleanupMode.NEVER)
    Path home;

    @Test
    void shouldEnterEachMemberOfADroppedExportExactlyOnceAcrossATaskManagerFailure(
            @InjectMiniCluster MiniCluster miniCluster) throws Exception {
        Path exports = Files.createDirectories(home.resolve("exports"));
        RunningKafkaJob job = RunningKafkaJob.start(BROKER.kafka(), home.resolve("checkpoints"),
                "exports.dir=" + exports.toUri(), "exports.interval=PT1S",
                "topics.journeyDefinitions=exports-definitions", "topics.actionsPrefix=exports-actions.");
        new DefinitionPublisher(BROKER.bootstrapServers(), "exports-definitions").publish(List.of(JourneyParser.parse("""
                {"id": "lapsed", "version": 1, "entry": {"type": "audience", "audience": "lapsed", "incremental": true},
                 "start": "send", "steps": {
                   "send": {"type": "action", "channel": "sms", "template": "come-back",
                            "params": {"segment": "audience.segment"}, "next": "done"},
                   "done": {"type": "end"}}}""").journey()));
        int members = 20_000;
        try (TopicReader actions = new TopicReader(BROKER.bootstrapServers(), List.of("exports-actions.sms"))) {
            Path first = writePart(exports.resolve("lapsed/w1"), 0, members);
            assertThat(actions.readUntil(values -> false, Duration.ofSeconds(4))).as("read before _SUCCESS").isEmpty();

            marker(first, "w1", "2026-06-01T00:00:00Z", members);
            actions.readUntil(values -> values.size() >= 500, Duration.ofSeconds(90));
            miniCluster.terminateTaskManager(0).get();
            miniCluster.startTaskManager();
            List<String> afterFirst = actions.readUntil(values -> values.size() >= members, Duration.ofSeconds(180));

            Path second = writePart(exports.resolve("lapsed/w2"), members - 100, members + 50);
            marker(second, "w2", "2026-06-08T00:00:00Z", 150);
            List<String> all = actions.readUntil(values -> values.size() >= members + 50, Duration.ofSeconds(120));

            assertThat(afterFirst.size()).isGreaterThanOrEqualTo(members);
            Map<String, Long> byProfile = all.stream().map(v -> Json.read(v).get("profileId").asText())
                    .collect(Collectors.groupingBy(Function.identity(), Collectors.counting()));
            assertThat(byProfile).hasSize(members + 50);
            assertThat(byProfile.values()).containsOnly(1L);
        } finally {
            job.close();
        }
    }

    private static Path writePart(Path exportDir, int from, int to) throws IOException {
        Files.createDirectories(exportDir);
        StringBuilder csv = new StringBuilder("profileId,segment\n");
        for (int i = from; i < to; i++) {
            csv.append("m-").append(i).append(",s").append(i % 7).append('\n');
        }
        Files.writeString(exportDir.resolve("part-0.csv"), csv);
        return exportDir;
    }

    private static void marker(Path exportDir, String exportId, String exportedAt, int records) throws IOException {
        Files.writeString(exportDir.resolve("_SUCCESS"), "{\"audienceId\": \"lapsed\", \"exportId\": \"" + exportId
                + "\", \"exportedAt\": \"" + exportedAt + "\", \"records\": " + records + "}");
    }
}
