package io.journeys.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.journeys.demo.EmbeddedKafka;
import io.journeys.job.DefinitionPublisher;
import io.journeys.job.JobConfig;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code publish} with rule sets on a real broker (KRaft): rule sets go before the journeys that name them, and a
 * journey whose rule set is neither given nor on the definitions topic is refused, since the job would refuse it.
 */
class PublishRulesITCase {

    private static final String RULES = """
            {"kind": "rules", "id": "marketing", "version": 1,
             "frequency": [{"id": "email-daily", "channels": ["email"], "max": 2, "per": "day"}]}""";
    private static final String JOURNEY = """
            {"id": "promo", "version": 1, "rules": "%s", "entry": {"event": "promo"}, "start": "mail",
             "steps": {"mail": {"type": "action", "channel": "email", "template": "t", "next": "done"},
                       "done": {"type": "end"}}}""";

    private static EmbeddedKafka kafka;

    @TempDir
    Path temp;

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    @BeforeAll
    static void startBroker() throws Exception {
        kafka = EmbeddedKafka.start();
        kafka.createTopics(JobConfig.defaults(), 1);
    }

    @AfterAll
    static void stopBroker() throws Exception {
        kafka.close();
    }

    private int publish(Path... files) {
        String[] args = new String[files.length + 3];
        args[0] = "publish";
        args[1] = "--bootstrap-servers";
        args[2] = kafka.bootstrapServers();
        for (int i = 0; i < files.length; i++) {
            args[i + 3] = files[i].toString();
        }
        return Main.execute(new PrintWriter(out, true), new PrintWriter(err, true), args);
    }

    @Test
    void shouldPublishRuleSetsFirstAndRefuseAJourneyWhoseRuleSetIsNowhere() throws Exception {
        Path orphan = Files.writeString(temp.resolve("orphan.json"), JOURNEY.formatted("nowhere").replace("promo", "orphan"));
        assertThat(publish(orphan)).isEqualTo(1);
        assertThat(err.toString()).contains("JRN-035", "nowhere");

        Path journey = Files.writeString(temp.resolve("a-promo.json"), JOURNEY.formatted("marketing"));
        Path rules = Files.writeString(temp.resolve("z-rules.json"), RULES);
        assertThat(publish(journey, rules)).as(err.toString()).isZero();
        assertThat(out.toString()).containsSubsequence("published rules marketing v1", "published promo v1");

        // the rule set is on the topic now: a journey naming it may be published alone
        Path second = Files.writeString(temp.resolve("second.json"), JOURNEY.formatted("marketing").replace("promo", "second"));
        assertThat(publish(second)).as(err.toString()).isZero();
        String topic = JobConfig.defaults().string(JobConfig.Key.TOPIC_DEFINITIONS);
        assertThat(new DefinitionPublisher(kafka.bootstrapServers(), topic).latestDocuments())
                .containsKeys("rules:marketing", "promo", "second").doesNotContainKey("orphan");
    }
}
